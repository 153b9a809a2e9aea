"""RecordProcessor: validate, handle with bounded retries, publish, or dead-letter."""

import json
from collections.abc import Sequence

import pytest

from devoured_core.errors import InvalidMessage, PermanentError, SkippedInput, TransientError
from devoured_core.messages import DeadLetter, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.pump import Record, RecordProcessor
from tests.fakes import RecordingPublisher
from tests.unit import samples

TOPIC = PageFetched.TOPIC
DLQ = TOPIC + ".dlq"


class ScriptedHandler:
    """Raises the scripted errors in turn, then returns ``outputs``; counts its calls."""

    def __init__(self, *errors: Exception, outputs: Sequence[Message] = ()) -> None:
        self.errors = list(errors)
        self.outputs = list(outputs)
        self.received: list[Message] = []

    async def __call__(self, message: PageFetched) -> Sequence[Message]:
        self.received.append(message)
        if self.errors:
            raise self.errors.pop(0)
        return self.outputs


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def processor(
    handler: ScriptedHandler, publisher: RecordingPublisher, sleeps: Sleeps, *, attempts: int = 3
) -> RecordProcessor:
    stage = Stage("extractor", PageFetched, handler)
    return RecordProcessor(stage, publisher, max_attempts=attempts, backoff_s=0.5, sleep=sleeps)


def record(value: bytes, *, key: bytes | None = b"article-key") -> Record:
    return Record(topic=TOPIC, partition=2, offset=17, key=key, value=value)


def only_dead_letter(publisher: RecordingPublisher) -> DeadLetter:
    assert [topic for topic, _ in publisher.published] == [DLQ]
    letter = publisher.published[0][1]
    assert isinstance(letter, DeadLetter)
    return letter


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


async def test_success_publishes_the_returned_messages(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    outputs = [samples.article_extracted(), samples.article_extracted(article_id="other")]
    handler = ScriptedHandler(outputs=outputs)
    page = samples.page_fetched()

    await processor(handler, publisher, sleeps).process(record(page.model_dump_json().encode()))

    assert handler.received == [page]
    assert publisher.published == [(m.TOPIC, m) for m in outputs]
    assert sleeps.delays == []


async def test_success_with_nothing_to_publish(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler()
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(handler.received) == 1
    assert publisher.published == []


async def test_invalid_json_is_dead_lettered_without_calling_the_handler(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler()
    await processor(handler, publisher, sleeps).process(record(b"{not json", key=b"k\xff"))

    letter = only_dead_letter(publisher)
    assert handler.received == []
    assert letter.error.startswith("invalid PageFetched")
    assert (letter.original_topic, letter.partition, letter.offset) == (TOPIC, 2, 17)
    assert letter.payload == "{not json"
    assert letter.message_key == "k\ufffd"
    assert (letter.service, letter.attempts) == ("extractor", 1)


async def test_schema_invalid_payload_is_dead_lettered_with_the_fields_named(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler()
    payload = samples.page_fetched().model_dump(mode="json")
    del payload["body"]
    payload["unexpected"] = True

    await processor(handler, publisher, sleeps).process(record(json.dumps(payload).encode()))

    letter = only_dead_letter(publisher)
    assert handler.received == []
    assert "body" in letter.error
    assert "unexpected" in letter.error


async def test_undecodable_payload_is_dead_lettered_lossily(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    await processor(ScriptedHandler(), publisher, sleeps).process(record(b"\xff\xfe\x00", key=None))
    letter = only_dead_letter(publisher)
    assert letter.message_key is None
    assert "\ufffd" in letter.payload


async def test_transient_error_is_retried_with_backoff_until_it_succeeds(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    output = samples.article_extracted()
    handler = ScriptedHandler(
        TransientError("db down"), TransientError("db down"), outputs=[output]
    )

    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )

    assert len(handler.received) == 3
    assert sleeps.delays == [0.5, 1.0]
    assert publisher.published == [(output.TOPIC, output)]


async def test_repeated_failure_is_dead_lettered_after_max_attempts(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler(*(TransientError(f"timeout {i}") for i in range(10)))

    await processor(handler, publisher, sleeps, attempts=4).process(
        record(samples.page_fetched().model_dump_json().encode())
    )

    letter = only_dead_letter(publisher)
    assert len(handler.received) == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]
    assert letter.attempts == 4
    assert "gave up after 4 attempts" in letter.error
    assert "TransientError: timeout 3" in letter.error


async def test_unexpected_exceptions_are_retried_like_transient_ones(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler(KeyError("surprise"), outputs=[])
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(handler.received) == 2
    assert publisher.published == []


@pytest.mark.parametrize("error", [PermanentError("bad input"), SkippedInput("not html")])
async def test_permanent_error_is_dead_lettered_at_once(
    publisher: RecordingPublisher, sleeps: Sleeps, error: PermanentError
) -> None:
    handler = ScriptedHandler(error)

    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )

    letter = only_dead_letter(publisher)
    assert len(handler.received) == 1
    assert sleeps.delays == []
    assert letter.attempts == 1
    assert letter.error == f"{type(error).__name__}: {error}"


async def test_permanent_error_after_a_retry_counts_the_attempts(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler(TransientError("blip"), PermanentError("now broken"))
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert only_dead_letter(publisher).attempts == 2


async def test_at_least_one_attempt_is_made(publisher: RecordingPublisher, sleeps: Sleeps) -> None:
    handler = ScriptedHandler(TransientError("once"))
    await processor(handler, publisher, sleeps, attempts=0).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(handler.received) == 1
    assert only_dead_letter(publisher).attempts == 1


async def test_long_errors_are_truncated(publisher: RecordingPublisher, sleeps: Sleeps) -> None:
    handler = ScriptedHandler(PermanentError("x" * 10_000))
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(only_dead_letter(publisher).error) == 4000


async def test_publishing_failure_propagates(sleeps: Sleeps) -> None:
    class Broken(RecordingPublisher):
        async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
            raise ConnectionError("broker gone")

    handler = ScriptedHandler(outputs=[samples.article_extracted()])
    with pytest.raises(ConnectionError):
        await processor(handler, Broken(), sleeps).process(
            record(samples.page_fetched().model_dump_json().encode())
        )


async def test_invalid_message_from_a_handler_is_not_retried(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler(InvalidMessage("entry link is not absolute"))
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(handler.received) == 1
    assert only_dead_letter(publisher).attempts == 1

"""RecordProcessor: validate, handle, wait out outages, and dead-letter only bad records."""

import json
import random
from collections.abc import Sequence

import pytest
import sqlalchemy.exc
from aiokafka.errors import KafkaConnectionError

from devoured_core.errors import InvalidMessage, PermanentError, SkippedInput, TransientError
from devoured_core.messages import DeadLetter, Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.faults import Outage
from devoured_infra.pump import OutageContinues, Record, RecordProcessor
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


class Committed:
    """``after_commit``: what the processor handed on after each successful handling."""

    def __init__(self) -> None:
        self.outputs: list[Sequence[Message]] = []

    async def __call__(self, outputs: Sequence[Message]) -> None:
        self.outputs.append(outputs)


def processor(
    handler: ScriptedHandler,
    publisher: RecordingPublisher,
    sleeps: Sleeps,
    *,
    attempts: int = 3,
    outage: Outage | None = None,
    after_commit: Committed | None = None,
    max_outage_wait_s: float | None = None,
) -> RecordProcessor:
    stage = Stage("extractor", PageFetched, handler)
    return RecordProcessor(
        stage,
        publisher,
        max_attempts=attempts,
        backoff_s=0.5,
        sleep=sleeps,
        outage=outage or Outage("extractor", rand=random.Random(7)),
        after_commit=after_commit,
        max_outage_wait_s=max_outage_wait_s,
    )


def database_down() -> Exception:
    """What SQLAlchemy raises when PostgreSQL refuses the connection (the driver's error as
    its cause)."""
    try:
        try:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        except ConnectionRefusedError as cause:
            raise sqlalchemy.exc.OperationalError("SELECT 1", {}, cause) from cause
    except sqlalchemy.exc.OperationalError as exc:
        return exc


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


async def test_success_hands_the_outputs_on_after_the_commit_and_publishes_nothing(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    """The outputs are in the outbox (written by the handler); the relay publishes them."""
    outputs = [samples.article_extracted(), samples.article_extracted(article_id="other")]
    handler = ScriptedHandler(outputs=outputs)
    committed = Committed()
    page = samples.page_fetched()

    await processor(handler, publisher, sleeps, after_commit=committed).process(
        record(page.model_dump_json().encode())
    )

    assert handler.received == [page]
    assert committed.outputs == [outputs]
    assert publisher.published == []
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


@pytest.mark.parametrize(
    "outage",
    [
        TransientError("db down"),
        database_down(),
        ConnectionResetError("reset by peer"),
        TimeoutError(),
        KafkaConnectionError("no broker"),
    ],
    ids=["transient", "database", "socket", "timeout", "broker"],
)
async def test_an_outage_is_waited_out_however_long_it_lasts_and_never_dead_lettered(
    publisher: RecordingPublisher, sleeps: Sleeps, outage: Exception
) -> None:
    handler = ScriptedHandler(*[outage] * 40, outputs=[samples.article_extracted()])
    watch = Outage("extractor", rand=random.Random(7))
    committed = Committed()

    await processor(handler, publisher, sleeps, outage=watch, after_commit=committed).process(
        record(samples.page_fetched().model_dump_json().encode())
    )

    assert len(handler.received) == 41
    assert publisher.published == []
    assert len(committed.outputs) == 1
    # Capped exponential backoff with jitter: grows from about 0.5 s, never above 30 s.
    assert 0.25 <= sleeps.delays[0] <= 0.5
    assert max(sleeps.delays) <= 30.0
    assert sum(d > 15 for d in sleeps.delays) > 20
    assert not watch.waiting


async def test_while_an_outage_lasts_the_service_is_not_ready(sleeps: Sleeps) -> None:
    watch = Outage("extractor", rand=random.Random(7))
    seen: list[bool] = []

    class Watching(ScriptedHandler):
        async def __call__(self, message: PageFetched) -> Sequence[Message]:
            seen.append(watch.waiting)
            return await super().__call__(message)

    handler = Watching(database_down(), database_down())
    await processor(handler, RecordingPublisher(), sleeps, outage=watch).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert seen == [False, True, True]
    assert not watch.waiting


async def test_an_outage_longer_than_one_wait_hands_the_record_back_to_the_broker(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    """So the consumer polls again before its max poll interval (it is not evicted)."""
    handler = ScriptedHandler(*[database_down()] * 100)
    with pytest.raises(OutageContinues):
        await processor(handler, publisher, sleeps, max_outage_wait_s=0.0).process(
            record(samples.page_fetched().model_dump_json().encode())
        )
    assert publisher.published == []


async def test_an_unexpected_error_is_retried_then_dead_lettered(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    """A bug met on this record: retrying cannot be expected to help for long."""
    handler = ScriptedHandler(*(KeyError(f"field {i}") for i in range(10)))

    await processor(handler, publisher, sleeps, attempts=4).process(
        record(samples.page_fetched().model_dump_json().encode())
    )

    letter = only_dead_letter(publisher)
    assert len(handler.received) == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]
    assert letter.attempts == 4
    assert "gave up after 4 attempts" in letter.error
    assert "KeyError: 'field 3'" in letter.error


async def test_an_unexpected_error_that_goes_away_is_not_dead_lettered(
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
    handler = ScriptedHandler(database_down(), PermanentError("now broken"))
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert only_dead_letter(publisher).attempts == 2


async def test_at_least_one_attempt_is_made(publisher: RecordingPublisher, sleeps: Sleeps) -> None:
    handler = ScriptedHandler(ValueError("once"))
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


async def test_a_dead_letter_waits_out_a_broker_outage(sleeps: Sleeps) -> None:
    class Flaky(RecordingPublisher):
        def __init__(self) -> None:
            super().__init__()
            self.refusals = 3

        async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
            if self.refusals:
                self.refusals -= 1
                raise KafkaConnectionError("broker gone")
            await super().publish(messages, topic=topic)

    publisher = Flaky()
    await processor(ScriptedHandler(), publisher, sleeps).process(record(b"{not json"))
    assert only_dead_letter(publisher).error.startswith("invalid PageFetched")
    assert len(sleeps.delays) == 3


async def test_a_dead_letter_the_broker_refuses_for_good_propagates(sleeps: Sleeps) -> None:
    class Refusing(RecordingPublisher):
        async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
            raise ValueError("message too large")

    with pytest.raises(ValueError, match="too large"):
        await processor(ScriptedHandler(), Refusing(), sleeps).process(record(b"{not json"))


async def test_invalid_message_from_a_handler_is_not_retried(
    publisher: RecordingPublisher, sleeps: Sleeps
) -> None:
    handler = ScriptedHandler(InvalidMessage("entry link is not absolute"))
    await processor(handler, publisher, sleeps).process(
        record(samples.page_fetched().model_dump_json().encode())
    )
    assert len(handler.received) == 1
    assert only_dead_letter(publisher).attempts == 1

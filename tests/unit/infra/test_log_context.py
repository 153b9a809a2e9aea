"""Every log line about a record carries its topic, partition, offset and article id."""

import json
import logging
from collections.abc import Sequence

from devoured_core.messages import Message, PageFetched
from devoured_infra.bus import Stage
from devoured_infra.log_context import bound, current_fields
from devoured_infra.pump import Record, RecordProcessor
from devoured_infra.runtime import RepeatLimiter
from tests.fakes import RecordingPublisher
from tests.support.logs import Lines
from tests.unit import samples


async def _no_sleep(_: float) -> None:
    return None


async def test_handler_logs_and_retries_carry_the_record_fields(lines: Lines) -> None:
    page = samples.page_fetched()
    calls = 0

    async def handle(message: PageFetched) -> Sequence[Message]:
        nonlocal calls
        calls += 1
        logging.getLogger("devoured.extractor").info("working on it")
        if calls == 1:
            raise ValueError("flaky")
        return []

    stage = Stage("extractor", PageFetched, handle)
    processor = RecordProcessor(stage, RecordingPublisher(), sleep=_no_sleep)
    record = Record(PageFetched.TOPIC, 4, 99, b"the-key", page.model_dump_json().encode())
    await processor.process(record)
    about = [
        line for line in lines.lines if line["logger"] in ("devoured.extractor", "devoured.pump")
    ]
    assert [line["message"] for line in about] == [
        "working on it",
        "handler failed",
        "working on it",
        "processed",
    ]
    for line in about:
        assert line["topic"] == PageFetched.TOPIC
        assert (line["partition"], line["offset"], line["key"]) == (4, 99, "the-key")
        assert line["article_id"] == page.article_id
        assert line["message_id"] == page.message_id
    assert current_fields() == {}  # nothing leaks past the record


async def test_invalid_record_still_names_its_article(lines: Lines) -> None:
    async def handle(message: PageFetched) -> Sequence[Message]:
        raise AssertionError("not called")

    processor = RecordProcessor(Stage("extractor", PageFetched, handle), RecordingPublisher())
    value = json.dumps({"article_id": "abc123", "status": "not a number"}).encode()
    await processor.process(Record(PageFetched.TOPIC, 0, 5, None, value))
    (dead,) = [line for line in lines.lines if line["message"] == "dead-lettered"]
    assert (dead["article_id"], dead["offset"]) == ("abc123", 5)
    assert "message_id" not in dead


def test_bound_fields_nest_and_unwind() -> None:
    with bound(topic="a", offset=1):
        with bound(offset=2, article_id=None):
            assert current_fields() == {"topic": "a", "offset": 2}
        assert current_fields() == {"topic": "a", "offset": 1}
    assert current_fields() == {}


def test_repeated_client_library_lines_are_held_back_and_counted() -> None:
    """A broker outage makes aiokafka log the same errors many times a second."""
    now = [0.0]
    limiter = RepeatLimiter(every_s=30.0, clock=lambda: now[0])

    def line(name: str, msg: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)

    template = "Unable connect to node with id %s: %s"
    passed = [limiter.filter(line("aiokafka", template, 1, f"errno {i}")) for i in range(500)]
    assert passed == [True] + [False] * 499
    assert limiter.filter(line("aiokafka.consumer.fetcher", "Failed fetch messages from %s", 1))
    assert limiter.filter(line("devoured.pump", "handler failed"))
    assert limiter.filter(line("devoured.pump", "handler failed"))  # ours are never held

    now[0] = 31.0
    summary = line("aiokafka", template, 1, "errno 111")
    assert limiter.filter(summary)
    assert getattr(summary, "repeated", None) == 499

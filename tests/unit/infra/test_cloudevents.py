"""The CloudEvents headers of a record (Kafka binding, binary mode)."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat

from devoured_core.messages import FetchArticle, Message, PollFeed
from devoured_infra import cloudevents
from tests.unit import samples

WHEN = datetime(2026, 11, 29, 7, 30, 5, 123000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("message", "type_", "subject"),
    [
        (samples.url_submitted(), "io.devoured.url_submitted.v1", None),
        (samples.page_fetched(), "io.devoured.page_fetched.v1", samples.page_fetched().article_id),
        (
            samples.article_extracted(),
            "io.devoured.article_extracted.v1",
            samples.article_extracted().article_id,
        ),
        (
            samples.article_summarized(),
            "io.devoured.article_summarized.v1",
            samples.article_summarized().article_id,
        ),
        (samples.digest_published(), "io.devoured.digest_published.v1", "2026-11-29"),
        (samples.dead_letter(), "io.devoured.dead_letter.v1", None),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Message) else None,
)
def test_headers_of_each_message(message: Message, type_: str, subject: str | None) -> None:
    found = cloudevents.headers(message, service="svc", topic=message.TOPIC)
    assert found["ce_specversion"] == "1.0"
    assert found["ce_id"] == message.message_id
    assert found["ce_source"] == "devoured/svc"
    assert found["ce_type"] == type_
    assert found["content-type"] == "application/json"
    assert found.get("ce_subject") == subject
    assert all(isinstance(v, str) for v in found.values())


@pytest.mark.parametrize(
    "message",
    [
        PollFeed(url="https://a.example/f", source=samples.SOURCE),
        FetchArticle(url="https://a.example/a", source=samples.SOURCE),
    ],
)
def test_both_kinds_of_fetch_request_are_one_wire_type(message: Message) -> None:
    found = cloudevents.headers(message, service="fetcher", topic=message.TOPIC)
    assert found["ce_type"] == "io.devoured.fetch_requested.v1"
    assert "ce_subject" not in found


def test_time_is_rfc3339_utc_with_z() -> None:
    message = samples.digest_published(occurred_at=WHEN)
    found = cloudevents.headers(message, service="publisher", topic=message.TOPIC)
    assert found["ce_time"] == "2026-11-29T07:30:05.123000Z"


def test_time_in_another_offset_is_converted_to_utc() -> None:
    east = timezone(timedelta(hours=2))
    message = samples.digest_published(occurred_at=datetime(2026, 11, 29, 9, 0, tzinfo=east))
    found = cloudevents.headers(message, service="publisher", topic=message.TOPIC)
    assert found["ce_time"] == "2026-11-29T07:00:00Z"


def test_naive_time_is_taken_as_utc() -> None:
    assert cloudevents.rfc3339(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"


def test_type_carries_the_records_schema_version() -> None:
    # Only version 1 exists today; the type follows the record, not the code's newest.
    message = samples.page_fetched().model_copy(update={"schema_version": 7})
    assert cloudevents.event_type(message) == "io.devoured.page_fetched.v7"


def test_snake_case() -> None:
    assert cloudevents.snake_case("ArticleSummarized") == "article_summarized"
    assert cloudevents.snake_case("DeadLetter") == "dead_letter"


def test_the_sdk_reads_the_headers_as_a_cloudevent() -> None:
    message = samples.article_summarized(occurred_at=WHEN)
    found = cloudevents.headers(message, service="summarizer", topic=message.TOPIC)
    record = KafkaMessage(
        headers={k: v.encode() for k, v in found.items()},
        key=message.key(),
        value=message.model_dump_json().encode(),
    )
    event = from_binary(record, JSONFormat())
    assert event.get_id() == message.message_id
    assert event.get_source() == "devoured/summarizer"
    assert event.get_type() == "io.devoured.article_summarized.v1"
    assert event.get_subject() == message.article_id
    assert event.get_time() == WHEN
    assert event.get_datacontenttype() == "application/json"
    assert event.get_data() == json.loads(message.model_dump_json())

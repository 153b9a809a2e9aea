"""Records published by the real ``KafkaPublisher`` are CloudEvents (Kafka binding, binary
mode) that the official CloudEvents SDK reads, dead letters included."""

import json
import time
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat

from devoured_core.messages import Message
from devoured_core.topics import dead_letter_topic
from devoured_infra.kafka import KafkaPublisher, make_broker
from devoured_infra.settings import Settings
from tests.support.kafka import provisioned_settings
from tests.unit import samples

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(120)]

WHEN = datetime(2026, 11, 29, 7, 30, 5, 250000, tzinfo=UTC)


async def _publish(settings: Settings, service: str, messages: list[Message], topic: str) -> None:
    broker = make_broker(settings, service)
    await broker.connect()
    try:
        await KafkaPublisher(broker, settings, service).publish(messages, topic=topic)
    finally:
        await broker.stop()


async def _records(servers: str, topic: str, count: int) -> list[ConsumerRecord[bytes, bytes]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=servers, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[ConsumerRecord[bytes, bytes]] = []
    deadline = time.monotonic() + 60
    try:
        while len(found) < count and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                found.extend(batch)
    finally:
        await consumer.stop()
    assert len(found) == count, f"{topic}: {len(found)} records, expected {count}"
    return found


def _event(record: ConsumerRecord[bytes, bytes]) -> BaseCloudEvent:
    headers = {name: value for name, value in record.headers}
    assert headers["content-type"] == b"application/json"
    message = KafkaMessage(headers=headers, key=record.key, value=record.value or b"")
    return from_binary(message, JSONFormat())


async def test_a_published_record_is_a_cloudevent(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(kafka_bootstrap_servers, topic_prefix, topic_partitions=1)
    digest = samples.digest_published(occurred_at=WHEN)
    await _publish(settings, "publisher", [digest], digest.TOPIC)

    [record] = await _records(kafka_bootstrap_servers, settings.physical_topic(digest.TOPIC), 1)
    event = _event(record)
    assert event.get_specversion() == "1.0"
    assert event.get_id() == digest.message_id
    assert event.get_source() == "devoured/publisher"
    assert event.get_type() == "io.devoured.digest_published.v1"
    assert event.get_subject() == "2026-11-29"
    assert event.get_time() == WHEN
    assert event.get_datacontenttype() == "application/json"
    assert event.get_data() == json.loads(digest.model_dump_json())
    assert event.get_extension("partitionkey") == "2026-11-29"  # the record's key, by the SDK
    # The body is unchanged: still the message itself.
    assert type(digest).model_validate_json(record.value or b"") == digest


async def test_a_dead_letter_is_a_cloudevent_too(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(kafka_bootstrap_servers, topic_prefix, topic_partitions=1)
    page = samples.page_fetched()
    letter = samples.dead_letter(occurred_at=WHEN, message_key=page.article_id)
    dlq = dead_letter_topic(page.TOPIC)
    await _publish(settings, "extractor", [letter], dlq)

    [record] = await _records(kafka_bootstrap_servers, settings.physical_topic(dlq), 1)
    event = _event(record)
    assert event.get_id() == letter.message_id
    assert event.get_source() == "devoured/extractor"
    assert event.get_type() == "io.devoured.dead_letter.v1"
    assert event.get_subject() is None
    assert event.get_time() == WHEN
    assert event.get_data() == json.loads(letter.model_dump_json())

"""Test helpers that talk to the real broker: produce raw bytes, collect a topic's messages."""

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from devoured_core.messages import Message
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import ensure_topics


async def produce(servers: str, topic: str, values: list[bytes], key: bytes = b"k") -> None:
    producer = AIOKafkaProducer(bootstrap_servers=servers, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def collect(
    servers: str,
    topic: str,
    *,
    until: Callable[[list[dict[str, Any]]], bool],
    timeout_s: float = 60.0,
) -> list[dict[str, Any]]:
    """Read ``topic`` from the beginning until ``until(messages)`` holds; raises on timeout."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    try:
        while not until(messages):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{topic}: condition not met in {timeout_s} s; got {len(messages)} messages"
                )
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                messages.extend(json.loads(r.value) for r in records if r.value)
    finally:
        await consumer.stop()
    return messages


async def wait_for(
    condition: Callable[[], Any],
    *,
    timeout_s: float,
    interval_s: float = 0.5,
    message: str = "condition",
) -> Any:
    """Poll an async or sync ``condition`` until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{message} not met within {timeout_s} s")
        await asyncio.sleep(interval_s)


async def produce_messages(servers: str, settings: Settings, messages: Sequence[Message]) -> None:
    """Publish ``messages`` as the services do: JSON on their (prefixed) topic, by their key."""
    for message in messages:
        await produce(
            servers,
            settings.physical_topic(message.TOPIC),
            [message.model_dump_json().encode()],
            key=message.key(),
        )


async def provisioned_settings(servers: str, prefix: str, **values: Any) -> Settings:
    """Settings for a test on the real broker, with the pipeline's topics created under
    ``prefix`` (pass ``topic_partitions``: the production default of 12 is slow to create)."""
    settings = Settings(kafka_bootstrap_servers=servers, kafka_topic_prefix=prefix, **values)
    await ensure_topics(settings)
    return settings


async def committed_total(servers: str, group: str, topic: str, partitions: int) -> int:
    """The sum of ``group``'s committed offsets over ``topic``'s partitions, as the broker
    holds them (a partition with no commit counts 0)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        wanted = [TopicPartition(topic, p) for p in range(partitions)]
        offsets = await admin.list_consumer_group_offsets(group, partitions=wanted)
    finally:
        await admin.close()
    return sum(max(0, meta.offset) for meta in offsets.values() if meta is not None)

"""Consumer-group lag measured on the real broker, as each stage exports it."""

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from devoured_core.topics import PAGE_FETCHED
from devoured_infra.lag import group_id, measure_lag
from tests.support.kafka import produce, provisioned_settings

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(60)]


async def test_lag_counts_uncommitted_records_over_all_partitions(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        topic_partitions=2,
    )
    topic = settings.physical_topic(PAGE_FETCHED)
    await produce(kafka_bootstrap_servers, topic, [b"{}"] * 5, key=b"a")
    await produce(kafka_bootstrap_servers, topic, [b"{}"] * 4, key=b"b")
    group = group_id(settings, "extractor")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap_servers)
    committer = AIOKafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    await admin.start()
    await consumer.start()
    await committer.start()
    try:
        assert await measure_lag(admin, consumer, group, topic) == 9  # nothing committed yet
        ends = await consumer.end_offsets([TopicPartition(topic, p) for p in (0, 1)])
        busy = max(ends, key=lambda tp: ends[tp])  # the partition holding key "a" (5 records)
        committer.assign([busy])
        await committer.commit({busy: OffsetAndMetadata(ends[busy] - 2, "")})
        assert await measure_lag(admin, consumer, group, topic) == 9 - ends[busy] + 2
    finally:
        await committer.stop()
        await consumer.stop()
        await admin.close()

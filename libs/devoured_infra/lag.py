"""Consumer-group lag of a stage, exported by the stage itself as a Prometheus gauge.

Every replica of a stage measures the lag of its whole consumer group on its input topic (the
sum over partitions of the log-end offset minus the group's committed offset), so any replica's
value is the stage's lag: dashboards and alerts take ``max by (service, topic)``. A group that
has not committed on a partition yet counts from the partition's first retained offset, because
the stages consume from the earliest offset.
"""

import asyncio
import logging

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from pydantic_settings import BaseSettings, SettingsConfigDict

from devoured_infra import metrics, registry
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import topic_partitions

log = logging.getLogger("devoured.lag")


class LagSettings(BaseSettings):
    """``DEVOURED_LAG_INTERVAL_S``: seconds between two lag measurements (0 turns them off)."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_", extra="ignore")

    lag_interval_s: float = 15.0


def group_id(settings: Settings, service: str, topic: str | None = None) -> str:
    """The consumer group of ``service`` on ``topic``; the Kafka transport subscribes with the
    same id. A service's main input uses ``devoured-<service>``; another input gets a group of
    its own (``devoured-fetcher-url_submitted``), so stopping one consumer never rebalances the
    other in the middle of a record and fails its commit. The main input is the first of the
    service's descriptor's inputs; a service not installed here has only named inputs."""
    group = f"{settings.kafka_topic_prefix}devoured-{service}"
    if topic is None or registry.main_inputs().get(service) == topic:
        return group
    return f"{group}-{topic.removeprefix('devoured.')}"


async def measure_lag(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, group: str, topic: str
) -> int:
    """Messages in ``topic`` not yet committed by ``group``, summed over partitions."""
    partitions = await topic_partitions(admin, topic)  # fresh: new partitions are seen
    if not partitions:
        return 0
    ends = await consumer.end_offsets(partitions)
    committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    starts = await consumer.beginning_offsets(partitions)
    lag = 0
    for tp in partitions:
        meta = committed.get(tp)
        position = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
        lag += max(0, ends[tp] - position)
    return lag


async def export_lag(settings: Settings, service: str, logical_topic: str) -> None:
    """Measure the lag every ``DEVOURED_LAG_INTERVAL_S`` and set the gauge; runs until cancelled."""
    interval = LagSettings().lag_interval_s
    if interval <= 0:
        return
    topic = settings.physical_topic(logical_topic)
    gauge = metrics.CONSUMER_LAG.labels(service, logical_topic)
    client_id = f"devoured-{service}-lag"
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, client_id=client_id
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=client_id,
        enable_auto_commit=False,
    )
    await admin.start()
    try:
        await consumer.start()
        try:
            while True:
                try:
                    gauge.set(
                        await measure_lag(
                            admin, consumer, group_id(settings, service, logical_topic), topic
                        )
                    )
                except Exception as exc:  # the broker may be down: keep the last value, retry
                    log.warning(
                        "lag not measured", extra={"topic": logical_topic, "error": repr(exc)}
                    )
                await asyncio.sleep(interval)
        finally:
            await consumer.stop()
    finally:
        await admin.close()

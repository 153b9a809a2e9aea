"""``devoured topics ensure``: create every topic and its dead-letter topic, report drift."""

import contextlib
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from devoured_core.topics import all_topics
from devoured_infra.settings import Settings


@dataclass(frozen=True)
class TopicReport:
    topic: str
    action: str  # created | ok | partitions-increased | drift
    detail: str = ""


async def ensure_topics(settings: Settings) -> list[TopicReport]:
    """Idempotently create the pipeline's topics with the configured partitions and limits."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, client_id="devoured-topics"
    )
    await admin.start()
    try:
        return await _ensure(admin, settings)
    finally:
        await admin.close()


async def _ensure(admin: AIOKafkaAdminClient, settings: Settings) -> list[TopicReport]:
    wanted = [settings.physical_topic(t) for t in all_topics()]
    existing = set(await admin.list_topics())
    configs = {
        "max.message.bytes": str(settings.kafka_max_message_bytes),
        "retention.ms": str(settings.topic_retention_ms),
    }
    missing = [t for t in wanted if t not in existing]
    reports = []
    if missing:
        new = [
            NewTopic(
                t,
                settings.topic_partitions,
                settings.topic_replication_factor,
                topic_configs=configs,
            )
            for t in missing
        ]
        # Another replica may create them at the same moment: that is fine.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
        reports += [TopicReport(t, "created") for t in missing]
    present = [t for t in wanted if t in existing]
    if present:
        described = await admin.describe_topics(present)
        for info in described:
            reports.append(await _reconcile(admin, settings, info))
    return sorted(reports, key=lambda r: r.topic)


async def _reconcile(
    admin: AIOKafkaAdminClient, settings: Settings, info: dict[str, object]
) -> TopicReport:
    name = str(info["topic"])
    partitions = info.get("partitions") or []
    count = len(partitions) if isinstance(partitions, list) else 0
    if count < settings.topic_partitions:
        await admin.create_partitions({name: NewPartitions(settings.topic_partitions)})
        return TopicReport(name, "partitions-increased", f"{count} -> {settings.topic_partitions}")
    if count > settings.topic_partitions:
        return TopicReport(
            name,
            "drift",
            f"has {count} partitions, configured "
            f"{settings.topic_partitions} (partitions are never reduced)",
        )
    return TopicReport(name, "ok", f"{count} partitions")

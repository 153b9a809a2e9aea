"""``devoured topics ensure``: create every topic and its dead-letter topic, report drift.

Idempotent: a second run changes nothing and reports every topic ``ok``. Partitions are raised
to the configured count (never lowered); replication factor and topic configs of existing topics
are compared with the settings and reported as drift, never changed, because an automatic
``alter_configs`` would replace every other override an operator set on the topic.
"""

import contextlib
from dataclasses import dataclass
from typing import Any

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError

from devoured_infra.registry import all_topics
from devoured_infra.settings import Settings


@dataclass(frozen=True)
class TopicReport:
    topic: str
    action: str  # created | ok | partitions-increased | drift
    detail: str = ""


def wanted_configs(settings: Settings) -> dict[str, str]:
    """The topic-level configs every Devoured topic is created with."""
    return {
        "max.message.bytes": str(settings.kafka_max_message_bytes),
        "retention.ms": str(settings.topic_retention_ms),
        # Stored as the producers send them (zstd, or gzip without the codec): "producer"
        # never recompresses, whatever a client (a replay tool, an older version) uses.
        "compression.type": "producer",
    }


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
    missing = [t for t in wanted if t not in existing]
    reports = []
    if missing:
        new = [
            NewTopic(
                t,
                settings.topic_partitions,
                settings.topic_replication_factor,
                topic_configs=wanted_configs(settings),
            )
            for t in missing
        ]
        # Another replica may create them at the same moment: that is fine.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new)
        reports += [TopicReport(t, "created") for t in missing]
    present = [t for t in wanted if t in existing]
    if present:
        configs = await _topic_configs(admin, present)
        for info in await admin.describe_topics(present):
            name = str(info["topic"])
            reports.append(await _reconcile(admin, settings, info, configs.get(name, {})))
    return sorted(reports, key=lambda r: r.topic)


async def _topic_configs(
    admin: AIOKafkaAdminClient, topics: list[str]
) -> dict[str, dict[str, str]]:
    """The current value of each wanted config key, per topic (describe_configs)."""
    keys = dict.fromkeys(("max.message.bytes", "retention.ms", "compression.type"), "")
    resources = [ConfigResource(ConfigResourceType.TOPIC, t, keys) for t in topics]
    found: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs(resources):
        # Each resource: (error_code, error_message, type, name, [(name, value, ...), ...]).
        for resource in response.resources:
            entries: list[Any] = resource[4]
            found[str(resource[3])] = {str(e[0]): str(e[1]) for e in entries}
    return found


async def _reconcile(
    admin: AIOKafkaAdminClient,
    settings: Settings,
    info: dict[str, object],
    configs: dict[str, str],
) -> TopicReport:
    name = str(info["topic"])
    partitions = info.get("partitions") or []
    count = len(partitions) if isinstance(partitions, list) else 0
    drift = _config_drift(settings, configs) + _replication_drift(settings, partitions)
    if count > settings.topic_partitions:
        drift.insert(
            0,
            f"has {count} partitions, configured {settings.topic_partitions} "
            "(partitions are never reduced)",
        )
    if count < settings.topic_partitions:
        await admin.create_partitions({name: NewPartitions(settings.topic_partitions)})
        detail = "; ".join([f"{count} -> {settings.topic_partitions}", *drift])
        return TopicReport(name, "partitions-increased", detail)
    if drift:
        return TopicReport(name, "drift", "; ".join(drift))
    return TopicReport(name, "ok", f"{count} partitions")


def _config_drift(settings: Settings, configs: dict[str, str]) -> list[str]:
    return [
        f"{key} is {configs.get(key, '?')}, configured {value}"
        for key, value in wanted_configs(settings).items()
        if configs.get(key) != value
    ]


def _replication_drift(settings: Settings, partitions: object) -> list[str]:
    if not isinstance(partitions, list) or not partitions:
        return []
    factors = {len(p.get("replicas") or []) for p in partitions if isinstance(p, dict)}
    if factors == {settings.topic_replication_factor}:
        return []
    shown = ",".join(str(f) for f in sorted(factors))
    return [f"replication factor is {shown}, configured {settings.topic_replication_factor}"]


async def topic_partitions(admin: AIOKafkaAdminClient, topic: str) -> list[TopicPartition]:
    """The partitions of ``topic`` as the cluster knows them now (empty if it does not exist)."""
    found: list[TopicPartition] = []
    for info in await admin.describe_topics([topic]):
        if info.get("error_code"):
            continue
        found += [TopicPartition(topic, int(p["partition"])) for p in info.get("partitions") or []]
    return sorted(found)

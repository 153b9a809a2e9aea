"""`devoured topics ensure` on the real broker: idempotent creation and every kind of drift."""

import pytest

from devoured_infra.registry import all_topics
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import TopicReport, ensure_topics

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(90)]


def _actions(reports: list[TopicReport]) -> set[str]:
    return {r.action for r in reports}


async def test_ensure_creates_then_reports_ok_then_drift(
    kafka_bootstrap_servers: str, topic_prefix: str
) -> None:
    def settings(**changes: object) -> Settings:
        values: dict[str, object] = {
            "kafka_bootstrap_servers": kafka_bootstrap_servers,
            "kafka_topic_prefix": topic_prefix,
            "topic_partitions": 2,
        }
        return Settings(**(values | changes))  # type: ignore[arg-type]

    created = await ensure_topics(settings())
    assert [r.topic for r in created] == sorted(topic_prefix + t for t in all_topics())
    assert _actions(created) == {"created"}
    again = await ensure_topics(settings())
    assert _actions(again) == {"ok"}, again

    retention = await ensure_topics(settings(topic_retention_ms=3_600_000))
    assert _actions(retention) == {"drift"}
    assert "retention.ms is 604800000, configured 3600000" in retention[0].detail

    size = await ensure_topics(settings(kafka_max_message_bytes=1_000_000))
    assert "max.message.bytes is 16777216, configured 1000000" in size[0].detail

    replicas = await ensure_topics(settings(topic_replication_factor=3))
    assert "replication factor is 1, configured 3" in replicas[0].detail

    grown = await ensure_topics(settings(topic_partitions=3))
    assert _actions(grown) == {"partitions-increased"}
    assert grown[0].detail == "2 -> 3"
    fewer = await ensure_topics(settings())
    assert _actions(fewer) == {"drift"}
    assert "has 3 partitions, configured 2" in fewer[0].detail
    assert _actions(await ensure_topics(settings(topic_partitions=3))) == {"ok"}

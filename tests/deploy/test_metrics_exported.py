"""Every metric the dashboard and the alert rules query is exported by the running services.

The four services run as processes against the real Kafka broker and PostgreSQL. The metric
names are read from the dashboard JSON and alerts.yml, and compared with the live /metrics, so
the test follows both files as they change.
"""

import asyncio
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from devoured_infra.settings import Settings
from devoured_infra.topic_admin import ensure_topics
from tests.deploy.test_dashboard import dashboard_exprs
from tests.deploy.tools import DEPLOY
from tests.support.kafka import wait_for
from tests.support.services import SERVICES, ServiceProcess

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.e2e, pytest.mark.timeout(240)]

# Queried by the dashboard before their stage exports them (a panel built ahead of the metric).
# Each must still be missing, so this list shrinks when they land; a misspelt name in the
# dashboard or the alerts fails the test instead.
PENDING: dict[str, str] = {}
# Series Prometheus makes itself rather than scraping them.
SYNTHETIC = {"up"}
_NAME = re.compile(r"\b(devoured_[a-z0-9_]+|up)\b(?!\s*\()")


def used_metric_names() -> set[str]:
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    exprs = [r["expr"] for g in alerts["groups"] for r in g["rules"]] + dashboard_exprs()
    return {m for e in exprs for m in _NAME.findall(e)} - SYNTHETIC


def exported_names(text: str) -> set[str]:
    names = set()
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names |= {s.name for s in family.samples}
        if family.type == "counter":
            names.add(f"{family.name}_total")
        if family.type == "histogram":
            names |= {f"{family.name}_{s}" for s in ("bucket", "sum", "count")}
    return names


def test_names_are_found_in_queries() -> None:
    """The extraction itself: names inside functions and selectors, not function names."""
    used = used_metric_names()
    assert "devoured_handler_seconds_bucket" in used
    assert "devoured_consumer_lag_messages" in used
    assert "histogram_quantile" not in used


async def test_every_queried_metric_is_exported(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    await ensure_topics(
        Settings(
            kafka_bootstrap_servers=kafka_bootstrap_servers,
            kafka_topic_prefix=topic_prefix,
            topic_partitions=1,
        )
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n")
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DEVOURED_KAFKA_TOPIC_PREFIX": topic_prefix,
        "DEVOURED_SOURCES_FILE": str(sources),
        "DEVOURED_OUT_DIR": str(tmp_path / "out"),
        "DEVOURED_LAG_INTERVAL_S": "1",
    }
    services = [ServiceProcess(s, env, tmp_path) for s in SERVICES]
    try:
        for service in services:
            service.start()
        for service in services:
            await asyncio.to_thread(service.wait_ready)
        scraped: dict[str, str] = {}

        def lag_exported() -> bool:
            for service in services:
                scraped[service.service] = service.metrics()
            return all(
                f'devoured_consumer_lag_messages{{service="{s.service}"' in scraped[s.service]
                for s in services
            )

        await wait_for(lag_exported, timeout_s=60, message="every service exports its lag")
    finally:
        for service in services:
            service.stop()
    exported = set().union(*(exported_names(text) for text in scraped.values()))
    used = used_metric_names()
    missing = used - exported
    assert sorted(missing - set(PENDING)) == [], "queried by the dashboard or alerts, not exported"
    landed = set(PENDING) & exported
    assert sorted(landed) == [], "now exported: remove from PENDING"
    assert set(PENDING) <= used, "PENDING lists a metric nothing queries"

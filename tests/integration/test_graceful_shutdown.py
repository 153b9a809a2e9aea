"""SIGTERM drains: a record in flight when the service is told to stop is finished, its output
published and its offset committed before the process exits (docs/operations.md, Kubernetes'
terminationGracePeriodSeconds)."""

import asyncio
import json
import signal
import time
from pathlib import Path

import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from devoured_core.messages import FetchRequested, PageFetched, SourceInfo
from devoured_core.urls import article_id_for
from tests.support.kafka import collect, produce, provisioned_settings, wait_for
from tests.support.services import ServiceProcess
from tests.support.site import serve_site

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

SLOW_PAGE_S = 4.0


async def _committed(servers: str, group: str, tp: TopicPartition) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=servers)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=[tp])
    finally:
        await admin.close()
    meta = offsets.get(tp)
    return meta.offset if meta is not None else -1


async def test_sigterm_finishes_the_record_in_flight_and_commits_it(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        topic_partitions=1,
    )
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DEVOURED_KAFKA_TOPIC_PREFIX": topic_prefix,
        "DEVOURED_SCHEDULER_ENABLED": "false",
        "DEVOURED_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "DEVOURED_SHUTDOWN_GRACE_S": "20",
    }
    fetcher = ServiceProcess("fetcher", env, tmp_path)
    with serve_site(1, delay_s=SLOW_PAGE_S) as site:
        url = f"{site.base_url}{site.article_path(0)}"
        request = FetchRequested(
            url=url, kind="article", source=SourceInfo(source_id="s", name="S")
        )
        fetcher.start()
        try:
            await asyncio.to_thread(fetcher.wait_ready)
            topic = settings.physical_topic(request.TOPIC)
            await produce(kafka_bootstrap_servers, topic, [request.model_dump_json().encode()])
            await wait_for(
                lambda: site.article_path(0) in site.requests,
                timeout_s=60,
                message="the fetcher requested the slow page",
            )
            assert fetcher.process is not None
            stopped_at = time.monotonic()
            fetcher.process.send_signal(signal.SIGTERM)  # the page is still being served
            returncode = await asyncio.to_thread(fetcher.process.wait, 60)
            drained_s = time.monotonic() - stopped_at
        finally:
            fetcher.stop()
    # uvicorn re-raises the SIGTERM it handled once shutdown is complete, so the process ends
    # "killed by SIGTERM" after a clean shutdown; anything else is a crash.
    assert returncode in (0, -signal.SIGTERM), fetcher.log_tail()
    log = fetcher.log_path.read_text()
    assert "Application shutdown complete" in log, fetcher.log_tail()
    assert "dead-lettered" not in log, fetcher.log_tail()
    # The record's own log line carries where it came from and which article it is.
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    (processed,) = [line for line in lines if line["message"] == "processed"]
    assert processed["topic"] == request.TOPIC
    assert (processed["partition"], processed["offset"]) == (0, 0)
    assert processed["article_id"] == article_id_for(url)
    assert processed["outputs"] == 1
    # It waited for the slow page instead of dropping it (a sanity bound, not a timing test).
    assert drained_s > SLOW_PAGE_S / 2, f"exited after {drained_s:.1f} s: {fetcher.log_tail()}"
    pages = await collect(
        kafka_bootstrap_servers,
        settings.physical_topic(PageFetched.TOPIC),
        until=lambda found: len(found) >= 1,
        timeout_s=10,
    )
    assert pages[0]["article_id"] == article_id_for(url)
    committed = await _committed(
        kafka_bootstrap_servers,
        f"{topic_prefix}devoured-fetcher",
        TopicPartition(settings.physical_topic(request.TOPIC), 0),
    )
    assert committed == 1, "the drained record's offset was not committed"

"""The offset of a record is committed only after the stage's database write.

The kill tests show nothing is lost or doubled, but with fast handlers the window between
"offset committed" and "row written" is too short for a kill to land in it. Here the window is
held open: another connection locks the summarizer's table, so the service's write waits on
the lock while the test reads the consumer group's committed offset from the broker.
"""

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from devoured_core.messages import ArticleExtracted, ArticleSummarized
from devoured_infra.lag import group_id
from tests.integration.test_services_on_kafka import _input_for, _provisioned, serving
from tests.support.kafka import collect, committed_total, produce_messages, wait_for
from tests.support.site import serve_site

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

# Longer than any commit interval a consumer could be configured with by mistake (aiokafka's
# auto-commit default is 5 s), so an early commit has time to show.
HOLD_S = 6.0


def _dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


async def _writes_waiting_on_a_lock(observer: asyncpg.Connection) -> bool:
    waiting = await observer.fetchval(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return bool(waiting)


async def test_offset_is_committed_after_the_database_write_not_before(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    settings = await _provisioned(kafka_bootstrap_servers, database_url, topic_prefix)
    topic = settings.physical_topic(ArticleExtracted.TOPIC)
    group = group_id(settings, "summarizer", ArticleExtracted.TOPIC)
    partitions = settings.topic_partitions
    with serve_site(1) as site:
        message = _input_for("summarizer", site)
    assert isinstance(message, ArticleExtracted)
    blocker = await asyncpg.connect(_dsn(database_url))
    observer = await asyncpg.connect(_dsn(database_url))
    try:
        lock = blocker.transaction()
        await lock.start()
        await blocker.execute("LOCK TABLE summarizer_summaries IN ACCESS EXCLUSIVE MODE")
        async with serving("summarizer", settings, tmp_path):
            await produce_messages(kafka_bootstrap_servers, settings, [message])
            await wait_for(
                lambda: _writes_waiting_on_a_lock(observer),
                timeout_s=60,
                message="the summarizer's write waits on the lock",
            )
            await asyncio.sleep(HOLD_S)
            held = await committed_total(kafka_bootstrap_servers, group, topic, partitions)
            await lock.rollback()  # the write goes through now
            outputs = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(ArticleSummarized.TOPIC),
                until=lambda found: len(found) >= 1,
            )
            after = await wait_for(
                lambda: committed_total(kafka_bootstrap_servers, group, topic, partitions),
                timeout_s=30,
                message="the offset is committed after the write",
            )
    finally:
        await blocker.close()
        await observer.close()
    assert held == 0  # while the row could not be written, the record was not committed
    assert after == 1
    assert outputs[0]["article_id"] == message.article_id

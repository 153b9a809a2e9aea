"""``devoured status`` on the real broker and database: lag, rate, dead letters, leases, edition."""

import asyncio
import json
import os
import sys
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from pydantic import SecretStr
from sqlalchemy import insert

from devoured_core.messages import DeadLetter
from devoured_core.model import EditionRecord
from devoured_core.topics import ARTICLE_EXTRACTED, PAGE_FETCHED, dead_letter_topic
from devoured_embedded.status import gather_status
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.lag import group_id
from devoured_infra.settings import Settings
from devoured_infra.tables import leader_leases
from devoured_publisher.bootstrap import wire
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import StatusPage, create_web_app
from tests.support.kafka import produce, provisioned_settings

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(120)]

NOW = datetime.now(UTC)


def _letter(n: int, failed_at: datetime) -> bytes:
    letter = DeadLetter(
        original_topic=PAGE_FETCHED,
        partition=0,
        offset=n,
        payload="{}",
        error=f"ExtractionFailed: page {n} has no text",
        service="extractor",
        attempts=3,
        failed_at=failed_at,
    )
    return letter.model_dump_json().encode()


async def _dead_letters(servers: str, topic: str) -> None:
    """Three letters on two partitions; the newest (by failed_at) is not the last sent."""
    producer = AIOKafkaProducer(bootstrap_servers=servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, _letter(1, NOW - timedelta(minutes=9)), partition=0)
        await producer.send_and_wait(topic, _letter(2, NOW - timedelta(minutes=1)), partition=1)
        await producer.send_and_wait(topic, _letter(3, NOW - timedelta(minutes=5)), partition=0)
    finally:
        await producer.stop()


async def _seed_database(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(leader_leases),
                [
                    {
                        "name": "job-a",
                        "holder": "host-1:42:abc",
                        "epoch": 7,
                        "expires_at": NOW + timedelta(hours=1),
                    },
                    {
                        "name": "job-b",
                        "holder": "host-2:43:def",
                        "epoch": 2,
                        "expires_at": NOW - timedelta(hours=1),
                    },
                ],
            )
        sessions = create_sessionmaker(engine)
        for edition_id, stories in (("2026-11-28", 5), ("2026-11-29", 12)):
            async with PublisherUnitOfWork(sessions, service="publisher") as uow:
                await uow.editions.save(
                    EditionRecord(
                        edition_id=edition_id,
                        edition_date=date.fromisoformat(edition_id),
                        title=f"Daily - {edition_id}",
                        overview="",
                        item_count=stories - 1,
                        story_count=stories,
                        markdown="",
                        html="",
                        content_hash="0" * 64,
                        built_at=NOW,
                    )
                )
                await uow.commit()
    finally:
        await engine.dispose()


async def _commit(settings: Settings, servers: str, offset: int, *, after_s: float = 0) -> None:
    """Commit ``offset`` on partition 0 of page_fetched for the extractor's group."""
    await asyncio.sleep(after_s)
    committer = AIOKafkaConsumer(
        bootstrap_servers=servers,
        group_id=group_id(settings, "extractor", PAGE_FETCHED),
        enable_auto_commit=False,
    )
    await committer.start()
    try:
        tp = TopicPartition(settings.physical_topic(PAGE_FETCHED), 0)
        committer.assign([tp])
        await committer.commit({tp: OffsetAndMetadata(offset, "")})
    finally:
        await committer.stop()


async def _prepared(servers: str, prefix: str, database_url: str) -> Settings:
    settings = await provisioned_settings(
        servers, prefix, topic_partitions=2, database_url=database_url
    )
    topic = settings.physical_topic(PAGE_FETCHED)
    producer = AIOKafkaProducer(bootstrap_servers=servers, acks="all")
    await producer.start()
    try:
        for _ in range(5):
            await producer.send_and_wait(topic, b"{}", partition=0)
    finally:
        await producer.stop()
    # 4 more on the summarizer's input, nothing committed there: all of them are lag.
    await produce(servers, settings.physical_topic(ARTICLE_EXTRACTED), [b"{}"] * 4)
    await _dead_letters(servers, settings.physical_topic(dead_letter_topic(PAGE_FETCHED)))
    await _seed_database(database_url)
    await _commit(settings, servers, 2)
    return settings


async def test_status_reports_lag_rate_dead_letters_leases_and_edition(
    kafka_bootstrap_servers: str, topic_prefix: str, database_url: str
) -> None:
    settings = await _prepared(kafka_bootstrap_servers, topic_prefix, database_url)
    # Two more records are committed in the middle of the 4 s between the two readings.
    committing = asyncio.create_task(_commit(settings, kafka_bootstrap_servers, 4, after_s=2.0))
    status = await gather_status(settings, interval_s=4.0)
    await committing

    assert status.problems == []
    stages = {s.topic: s for s in status.stages}
    extractor = stages[PAGE_FETCHED]
    assert extractor.service == "extractor"
    assert extractor.lag == 1  # 5 records, 4 committed
    assert extractor.records_per_s is not None
    assert 0.3 < extractor.records_per_s <= 0.5  # 2 records in a little over 4 s
    assert extractor.dead_letters == 3
    assert extractor.last_error == "ExtractionFailed: page 2 has no text"  # newest, not last
    summarizer = stages[ARTICLE_EXTRACTED]
    assert (summarizer.lag, summarizer.records_per_s, summarizer.dead_letters) == (4, 0.0, 0)
    assert summarizer.last_error is None

    leases = {lease.name: lease for lease in status.leases}
    assert (leases["job-a"].holder, leases["job-a"].epoch, leases["job-a"].expired) == (
        "host-1:42:abc",
        7,
        False,
    )
    assert leases["job-b"].expired is True
    assert status.latest_edition is not None
    assert (status.latest_edition.edition_id, status.latest_edition.story_count) == (
        "2026-11-29",
        12,
    )


async def test_status_command_prints_json_and_exits_1_on_a_problem(
    kafka_bootstrap_servers: str, topic_prefix: str, database_url: str
) -> None:
    settings = await _prepared(kafka_bootstrap_servers, topic_prefix, database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DEVOURED_KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
    }
    cli = [sys.executable, "-m", "devoured_embedded.cli", "status"]
    ok = await _run([*cli, "--json", "--interval", "0"], env)
    assert ok[0] == 0, ok[2]
    report = json.loads(ok[1])
    stages = {s["topic"]: s for s in report["stages"]}
    assert stages[PAGE_FETCHED]["lag"] == 3
    assert stages[PAGE_FETCHED]["records_per_s"] is None  # no interval, no rate
    assert stages[PAGE_FETCHED]["dead_letters"] == 3
    assert [lease["name"] for lease in report["leases"]] == ["job-a", "job-b"]
    assert report["latest_edition"]["story_count"] == 12

    table = await _run([*cli, "--interval", "0"], {**env, "COLUMNS": "200"})
    assert table[0] == 0, table[2]
    assert "host-1:42:abc" in table[1]
    assert "12 stories" in table[1]

    # A database that does not exist: the Kafka part is still shown, the command exits 1.
    gone = database_url.rsplit("/", 1)[0] + "/no_such_database"
    failed = await _run([*cli, "--json", "--interval", "0"], {**env, "DATABASE_URL": gone})
    assert failed[0] == 1, failed[2]
    partial = json.loads(failed[1])
    assert {s["topic"]: s["dead_letters"] for s in partial["stages"]}[PAGE_FETCHED] == 3
    assert len(partial["problems"]) == 2  # the leases and the latest edition
    assert all(p.startswith("database: ") for p in partial["problems"])


async def test_the_publishers_status_page_serves_the_same_report(
    kafka_bootstrap_servers: str, topic_prefix: str, database_url: str
) -> None:
    settings = await _prepared(kafka_bootstrap_servers, topic_prefix, database_url)
    engine = create_engine(database_url)
    try:
        sessions = create_sessionmaker(engine)
        _, deps = wire(lambda: PublisherUnitOfWork(sessions, service="publisher"))
        page = StatusPage(token=SecretStr("s3cret"), settings=settings, interval_s=0)
        app = create_web_app(deps, base_url="http://testserver", status=page)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as site:
            bearer = await site.get("/status", headers={"Authorization": "Bearer s3cret"})
            query = await site.get("/status?token=s3cret")
    finally:
        await engine.dispose()
    assert (bearer.status_code, query.status_code) == (200, 200)
    assert bearer.headers["cache-control"] == "no-store"
    report = bearer.json()
    assert report["problems"] == []
    stages = {s["topic"]: s for s in report["stages"]}
    assert (stages[PAGE_FETCHED]["lag"], stages[PAGE_FETCHED]["dead_letters"]) == (3, 3)
    assert stages[PAGE_FETCHED]["last_error"] == "ExtractionFailed: page 2 has no text"
    assert {lease["name"]: lease["epoch"] for lease in report["leases"]} == {"job-a": 7, "job-b": 2}
    assert report["latest_edition"]["edition_id"] == "2026-11-29"
    assert query.json()["latest_edition"]["story_count"] == 12


async def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()

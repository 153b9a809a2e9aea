"""Deliveries are claimed, then sent: never twice to a target, and never by a former leader."""

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table

from devoured_core.errors import StaleLeader
from devoured_infra.leader import LeaderTerm
from devoured_infra.tables import leader_leases
from devoured_publisher.bootstrap import wire
from devoured_publisher.builder import LEASE_NAME as EDITION_BUILDER
from devoured_publisher.handlers import PublisherDeps, build_edition, deliver_edition
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.tables import publisher_delivery_claims, publisher_editions
from devoured_publisher.uow import PublisherUnitOfWork
from tests.fakes import FakeClock
from tests.support.leaders import FrozenLeader, RecordingChannel
from tests.support.sqlite import TestDatabase
from tests.unit import samples

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EDITION = "2026-11-29"
FORMER = FrozenLeader(LeaderTerm(EDITION_BUILDER, "a", 1))
CURRENT = FrozenLeader(LeaderTerm(EDITION_BUILDER, "b", 2))


async def _publisher(
    database: TestDatabase, tmp_path: Path, channel: RecordingChannel
) -> PublisherDeps:
    settings = PublisherSettings(digest_name="Devoured Daily", out_dir=tmp_path)
    new_uow = database.uow(PublisherUnitOfWork, "publisher")
    stage, deps = wire(new_uow, settings=settings, sink=FileSink(tmp_path), clock=FakeClock(NOON))
    deps = dataclasses.replace(deps, channels=[channel], delivery_attempts=1)
    assert await stage.handle(samples.article_summarized()) == []
    await build_edition(EDITION, deps=deps)
    return deps


async def _insert(database: TestDatabase, table: Table, **values: Any) -> None:
    """Commit one row, as another process would (tests/support/sqlite.py has no writer)."""
    async with database.engine.begin() as connection:
        await connection.execute(table.insert().values(**values))


async def _lease(database: TestDatabase, holder: str, epoch: int) -> None:
    """The edition builder's lease, held by ``holder`` under ``epoch``."""
    expires = NOON + timedelta(hours=1)
    await _insert(
        database,
        leader_leases,
        name=EDITION_BUILDER,
        holder=holder,
        epoch=epoch,
        expires_at=expires,
    )


async def _claims(database: TestDatabase) -> dict[tuple[str, str, str], tuple[int, str]]:
    """The committed delivery claims: (edition, channel, target) -> (epoch, claimed by)."""
    return {
        (r["edition_id"], r["channel"], r["target"]): (r["epoch"], r["claimed_by"])
        for r in await database.rows(publisher_delivery_claims)
    }


async def test_each_target_gets_the_edition_once_and_a_failed_attempt_is_retried(
    database: TestDatabase, tmp_path: Path
) -> None:
    channel = RecordingChannel(["t1", "t2"], failing=("t2",))
    deps = await _publisher(database, tmp_path, channel)
    assert await deliver_edition(EDITION, deps=deps) == 1
    assert list(await _claims(database)) == [(EDITION, "webhook", "t1")]  # t2's was dropped
    assert await deliver_edition(EDITION, deps=deps) == 1
    assert await deliver_edition(EDITION, deps=deps) == 0
    assert channel.sent == ["t1", "t2"]


async def test_an_attempt_claimed_but_never_recorded_is_not_sent_again(
    database: TestDatabase, tmp_path: Path
) -> None:
    channel = RecordingChannel(["t1", "t2"])
    deps = await _publisher(database, tmp_path, channel)
    # The former leader claimed t1 and died mid-send: it may have gone out. At most once.
    await _insert(
        database,
        publisher_delivery_claims,
        edition_id=EDITION,
        channel="webhook",
        target="t1",
        epoch=1,
        claimed_by="a",
        claimed_at=NOON,
    )
    await _lease(database, "b", 2)
    assert await deliver_edition(EDITION, deps=deps, leader=CURRENT) == 1
    assert channel.sent == ["t2"]


async def test_a_former_leader_can_neither_claim_a_delivery_nor_write_an_edition(
    database: TestDatabase, tmp_path: Path
) -> None:
    channel = RecordingChannel(["t1"])
    deps = await _publisher(database, tmp_path, channel)
    await _lease(database, "b", 2)  # b took over from a
    built = await database.rows(publisher_editions, edition_id=EDITION)
    commits = database.commits
    with pytest.raises(StaleLeader):
        await deliver_edition(EDITION, deps=deps, leader=FORMER)
    with pytest.raises(StaleLeader):
        await build_edition(EDITION, deps=deps, leader=FORMER)
    assert (channel.sent, await _claims(database)) == ([], {})
    assert database.commits == commits  # nothing of the former leader's was committed
    assert await database.rows(publisher_editions, edition_id=EDITION) == built
    await build_edition(EDITION, deps=deps, leader=CURRENT)
    assert await deliver_edition(EDITION, deps=deps, leader=CURRENT) == 1
    assert await _claims(database) == {(EDITION, "webhook", "t1"): (2, "b")}

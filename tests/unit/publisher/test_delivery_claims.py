"""Deliveries are claimed, then sent: never twice to a target, and never by a former leader."""

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devoured_core.errors import StaleLeader
from devoured_infra.leader import LeaderTerm
from devoured_infra.settings import Settings
from devoured_publisher.bootstrap import wire
from devoured_publisher.builder import LEASE_NAME as EDITION_BUILDER
from devoured_publisher.handlers import PublisherDeps, build_edition, deliver_edition
from devoured_publisher.sinks import FileSink
from tests.fakes import FakeClock, FakeDatabase
from tests.support.leaders import FrozenLeader, RecordingChannel
from tests.unit import samples

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EDITION = "2026-11-29"
FORMER = FrozenLeader(LeaderTerm(EDITION_BUILDER, "a", 1))
CURRENT = FrozenLeader(LeaderTerm(EDITION_BUILDER, "b", 2))


async def _publisher(
    tmp_path: Path, channel: RecordingChannel
) -> tuple[FakeDatabase, PublisherDeps]:
    db = FakeDatabase()
    settings = Settings(digest_name="Devoured Daily", out_dir=tmp_path)
    stage, deps = wire(settings, db.new_uow, sink=FileSink(tmp_path), clock=FakeClock(NOON))
    deps = dataclasses.replace(deps, channels=[channel], delivery_attempts=1)
    assert await stage.handle(samples.article_summarized()) == []
    await build_edition(EDITION, deps=deps)
    return db, deps


async def test_each_target_gets_the_edition_once_and_a_failed_attempt_is_retried(
    tmp_path: Path,
) -> None:
    channel = RecordingChannel(["t1", "t2"], failing=("t2",))
    db, deps = await _publisher(tmp_path, channel)
    assert await deliver_edition(EDITION, deps=deps) == 1
    assert list(db.tables.delivery_claims) == [(EDITION, "webhook", "t1")]  # t2's was dropped
    assert await deliver_edition(EDITION, deps=deps) == 1
    assert await deliver_edition(EDITION, deps=deps) == 0
    assert channel.sent == ["t1", "t2"]


async def test_an_attempt_claimed_but_never_recorded_is_not_sent_again(tmp_path: Path) -> None:
    channel = RecordingChannel(["t1", "t2"])
    db, deps = await _publisher(tmp_path, channel)
    # The former leader claimed t1 and died mid-send: it may have gone out. At most once.
    db.tables.delivery_claims[(EDITION, "webhook", "t1")] = (1, "a")
    db.tables.leases[EDITION_BUILDER] = ("b", 2)
    assert await deliver_edition(EDITION, deps=deps, leader=CURRENT) == 1
    assert channel.sent == ["t2"]


async def test_a_former_leader_can_neither_claim_a_delivery_nor_write_an_edition(
    tmp_path: Path,
) -> None:
    channel = RecordingChannel(["t1"])
    db, deps = await _publisher(tmp_path, channel)
    db.tables.leases[EDITION_BUILDER] = ("b", 2)  # b took over from a
    built = db.tables.editions[EDITION]
    with pytest.raises(StaleLeader):
        await deliver_edition(EDITION, deps=deps, leader=FORMER)
    with pytest.raises(StaleLeader):
        await build_edition(EDITION, deps=deps, leader=FORMER)
    assert (channel.sent, db.tables.delivery_claims) == ([], {})
    assert db.tables.editions[EDITION] == built
    await build_edition(EDITION, deps=deps, leader=CURRENT)
    assert await deliver_edition(EDITION, deps=deps, leader=CURRENT) == 1
    assert db.tables.delivery_claims == {(EDITION, "webhook", "t1"): (2, "b")}

"""The leader lease on the real PostgreSQL server: a paused or stalled leader is replaced
within TTL plus one tick, at most one replica leads at any moment, and a former leader's late
edition writes and deliveries are refused (fencing)."""

import asyncio
import dataclasses
import os
import random
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from devoured_core.errors import StaleLeader
from devoured_infra import leader
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.leader import LeaderLease
from devoured_publisher.bootstrap import wire
from devoured_publisher.builder import LEASE_NAME as EDITION_BUILDER
from devoured_publisher.delivery import target_id
from devoured_publisher.handlers import (
    PublisherDeps,
    build_edition,
    build_pending_editions,
    deliver_edition,
    receive_story,
)
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.tables import publisher_delivery_claims, publisher_editions
from devoured_publisher.uow import PublisherUnitOfWork
from tests.fakes import FakeClock
from tests.support.leaders import FrozenLeader, LeaseUnitOfWork, RecordingChannel
from tests.unit import samples

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(60)]

TTL = 1.0
TICK = 0.2  # how often a follower tries to take over
SLACK = 0.5  # scheduling and round trips on a loaded test machine
NEVER = 3600.0  # renew_every_s of a leader that stops renewing (stalled, cut off)
NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EDITION = "2026-11-29"
ROOT = Path(__file__).resolve().parents[2]


async def _take_over(lease: LeaderLease, *, since: float, bound: float = TTL + TICK) -> float:
    """Try every TICK until ``lease`` leads; seconds from ``since`` until it did."""
    while not await lease.try_acquire():
        assert time.monotonic() - since < bound + SLACK, "no takeover within the bound"
        await asyncio.sleep(TICK)
    return time.monotonic() - since


async def test_a_leader_that_stops_renewing_is_replaced_within_ttl_plus_one_tick(
    database_url: str,
) -> None:
    """With the former session advisory lock, this leader kept leading forever: its
    connection stayed open, so PostgreSQL never released the lock."""
    engine_a, engine_b = create_engine(database_url), create_engine(database_url)
    a = LeaderLease(engine_a, "job", ttl_s=TTL, renew_every_s=NEVER)
    b = LeaderLease(engine_b, "job", ttl_s=TTL)
    try:
        acquired = time.monotonic()
        assert await a.try_acquire()
        assert not await b.try_acquire()
        # a is alive and connected, but renews no more (stalled event loop, partition).
        took = await _take_over(b, since=acquired)
        assert TTL - 0.05 <= took <= TTL + TICK + SLACK
        assert (a.held, b.epoch) == (False, 2)
        assert not await a.try_acquire()
    finally:
        await a.release()
        await b.release()
        await engine_a.dispose()
        await engine_b.dispose()


async def test_a_paused_process_loses_its_lease_and_its_late_write_is_refused(
    database_url: str,
) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.leader_child",
        database_url,
        "job",
        str(TTL),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    engine = create_engine(database_url)
    follower = LeaderLease(engine, "job", ttl_s=TTL)
    try:
        assert await asyncio.wait_for(child.stdout.readline(), 30) == b"leading 1\n"
        os.kill(child.pid, signal.SIGSTOP)  # the leader freezes: no renewal, session open
        paused = time.monotonic()
        await _take_over(follower, since=paused)
        assert follower.epoch == 2
        os.kill(child.pid, signal.SIGCONT)
        child.stdin.write(b"go\n")
        await child.stdin.drain()
        report = await asyncio.wait_for(child.stdout.readline(), 30)
        assert report == b"held=False write=refused leads=False\n"
        assert await child.wait() == 0
    finally:
        if child.returncode is None:
            os.kill(child.pid, signal.SIGCONT)
            child.kill()
            await child.wait()
        await follower.release()
        await engine.dispose()


async def test_a_leader_frozen_mid_write_holds_off_a_takeover_only_briefly(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its fence locks the lease row until its transaction ends; PostgreSQL ends it once it
    idles for FENCE_IDLE_TIMEOUT_S, and the frozen write is lost, not applied late."""
    monkeypatch.setattr(leader, "FENCE_IDLE_TIMEOUT_S", TTL)
    engine_a, engine_b = create_engine(database_url), create_engine(database_url)
    a = LeaderLease(engine_a, "job", ttl_s=TTL, renew_every_s=NEVER)
    b = LeaderLease(engine_b, "job", ttl_s=TTL)
    took: list[float] = []

    async def write_and_freeze() -> None:
        async with LeaseUnitOfWork(create_sessionmaker(engine_a), service="test") as uow:
            await uow.leases.fence(a.term())
            # a freezes here, inside its transaction, while b tries to take over
            took.append(await _take_over(b, since=acquired, bound=2 * TTL + TICK))
            await uow.commit()

    try:
        acquired = time.monotonic()
        assert await a.try_acquire()
        with pytest.raises(DBAPIError):  # PostgreSQL ended a's transaction: nothing written
            await write_and_freeze()
        assert TTL <= took[0] <= 2 * TTL + TICK + SLACK
        assert b.epoch == 2
    finally:
        await a.release()
        await b.release()
        await engine_a.dispose()
        await engine_b.dispose()


async def test_at_most_one_replica_leads_at_any_moment(database_url: str) -> None:
    ttl, tick = 0.5, 0.05
    engines = [create_engine(database_url) for _ in range(4)]
    leases = [
        LeaderLease(e, "job", holder=f"r{i}", ttl_s=ttl, renew_every_s=NEVER)
        for i, e in enumerate(engines)
    ]
    terms: list[tuple[int, str]] = []
    stop = asyncio.Event()

    async def replica(lease: LeaderLease, rng: random.Random) -> None:
        while not stop.is_set():
            roll = rng.random()
            if roll < 0.08:  # stalls: no renewal for longer than the TTL
                await asyncio.sleep(rng.uniform(ttl, 2 * ttl))
            elif roll < 0.12:
                await lease.release()
            else:
                await lease.try_acquire()
            await asyncio.sleep(tick)

    async def monitor() -> None:
        while not stop.is_set():
            leading = [lease for lease in leases if lease.held]
            assert len(leading) <= 1, [(x.holder, x.epoch) for x in leading]
            for lease in leading:
                assert lease.epoch is not None
                if not terms or terms[-1] != (lease.epoch, lease.holder):
                    terms.append((lease.epoch, lease.holder))
            await asyncio.sleep(0.005)

    tasks = [
        asyncio.create_task(replica(lease, random.Random(i))) for i, lease in enumerate(leases)
    ]
    watcher = asyncio.create_task(monitor())
    try:
        await asyncio.sleep(4)
    finally:
        stop.set()
        await asyncio.gather(*tasks, watcher)
        for lease in leases:
            await lease.release()
        for engine in engines:
            await engine.dispose()
    epochs = [epoch for epoch, _ in terms]
    assert len(set(terms)) >= 3, terms  # leadership did change hands
    assert epochs == sorted(epochs)  # never back to an older term
    assert len({epoch for epoch, _ in terms}) == len(set(terms))  # one holder per epoch


@asynccontextmanager
async def publisher(
    database_url: str, out: Path, channel: RecordingChannel
) -> AsyncIterator[PublisherDeps]:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    _, deps = wire(
        lambda: PublisherUnitOfWork(sessions, service="publisher"),
        settings=PublisherSettings(out_dir=out, digest_name="Test Digest"),
        clock=FakeClock(NOON),
    )
    try:
        yield dataclasses.replace(deps, channels=[channel], delivery_attempts=1)
    finally:
        await engine.dispose()


async def _stored(database_url: str) -> tuple[int, list[tuple[str, int]]]:
    """(story count of the stored edition, (target, epoch) of every delivery claim)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                select(publisher_editions.c.story_count).where(
                    publisher_editions.c.edition_id == EDITION
                )
            )
            claims = await connection.execute(
                select(publisher_delivery_claims.c.target, publisher_delivery_claims.c.epoch)
            )
            return count or 0, sorted((t, e) for t, e in claims)
    finally:
        await engine.dispose()


async def test_a_former_leaders_late_edition_write_and_deliveries_are_refused(
    database_url: str, tmp_path: Path
) -> None:
    channel = RecordingChannel(["https://a.example/hook", "https://b.example/hook"])
    engine = create_engine(database_url)
    a = LeaderLease(engine, EDITION_BUILDER, ttl_s=TTL, renew_every_s=NEVER)
    b = LeaderLease(engine, EDITION_BUILDER, ttl_s=TTL)
    try:
        async with publisher(database_url, tmp_path, channel) as deps:
            await receive_story(samples.article_summarized(article_id="s1"), deps=deps)
            assert await a.try_acquire()
            assert len(await build_pending_editions(deps=deps, leader=a)) == 1
            paused = FrozenLeader(a.term())  # a pauses right after reading its term
            await asyncio.sleep(TTL + 0.1)
            assert await b.try_acquire()

            await receive_story(samples.article_summarized(article_id="s2"), deps=deps)
            with pytest.raises(StaleLeader):  # a's own lease knows it expired
                await build_edition(EDITION, deps=deps, leader=a)
            with pytest.raises(StaleLeader, match="no longer current"):  # the database fence
                await build_edition(EDITION, deps=deps, leader=paused)
            with pytest.raises(StaleLeader, match="no longer current"):
                await deliver_edition(EDITION, deps=deps, leader=paused)
            assert channel.sent == []
            assert await _stored(database_url) == (1, [])

            await build_edition(EDITION, deps=deps, leader=b)
            assert await deliver_edition(EDITION, deps=deps, leader=b) == 2
            assert await deliver_edition(EDITION, deps=deps, leader=b) == 0  # never twice
            assert sorted(channel.sent) == sorted(channel.targets)
            stored = sorted((target_id(t), 2) for t in channel.targets)  # no URL is stored
            assert await _stored(database_url) == (2, stored)
    finally:
        await a.release()
        await b.release()
        await engine.dispose()


async def test_concurrent_senders_deliver_each_target_once(
    database_url: str, tmp_path: Path
) -> None:
    """Claim, then send: check-then-send let two senders both see a target as not served."""
    channel = RecordingChannel([f"https://{n}.example/hook" for n in "abcd"], delay_s=0.05)
    async with publisher(database_url, tmp_path, channel) as deps:
        await receive_story(samples.article_summarized(article_id="s1"), deps=deps)
        await build_edition(EDITION, deps=deps)
        counts = await asyncio.gather(*(deliver_edition(EDITION, deps=deps) for _ in range(3)))
    assert sum(counts) == 4
    assert sorted(channel.sent) == sorted(channel.targets)

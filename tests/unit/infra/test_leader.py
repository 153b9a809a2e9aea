"""The leader lease on SQLite (embedded mode runs the same statements): acquire, renew,
expire, release, the local deadline, and fencing a former leader's writes."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_core.errors import StaleLeader
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.leader import LeaderLease, LeaderTerm
from devoured_infra.migrate import upgrade_async
from devoured_infra.tables import leader_leases
from tests.support.leaders import LeaseUnitOfWork

NEVER = 3600.0  # renew_every_s of a lease whose holder stops renewing (paused, cut off)


class Monotonic:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


async def _fence(engine: AsyncEngine, term: LeaderTerm) -> None:
    async with LeaseUnitOfWork(create_sessionmaker(engine), service="test") as uow:
        await uow.leases.fence(term)
        await uow.commit()


async def test_one_leader_renews_its_epoch_and_a_release_hands_over(engine: AsyncEngine) -> None:
    a = LeaderLease(engine, "job", holder="a")
    b = LeaderLease(engine, "job", holder="b")
    try:
        assert await a.try_acquire()
        assert not await b.try_acquire()
        assert (a.epoch, b.epoch) == (1, None)
        assert await a.try_acquire()  # a renewal keeps the epoch
        assert a.term() == LeaderTerm("job", "a", 1)
        await a.release()
        assert not a.held
        assert await b.try_acquire()  # at once: the release expired the lease
        assert b.epoch == 2  # a new holder, a new epoch
        assert not await a.try_acquire()
    finally:
        await a.release()
        await b.release()


async def test_expired_lease_is_taken_over_and_the_former_leaders_writes_are_refused(
    engine: AsyncEngine,
) -> None:
    a = LeaderLease(engine, "job", holder="a", ttl_s=0.3, renew_every_s=NEVER)
    b = LeaderLease(engine, "job", holder="b", ttl_s=0.3)
    try:
        assert await a.try_acquire()
        stale = a.term()
        await _fence(engine, stale)  # current: accepted
        assert not await b.try_acquire()
        await asyncio.sleep(0.4)  # a stops renewing
        assert not a.held  # it knows, before doing any more work
        with pytest.raises(StaleLeader):
            a.term()
        assert await b.try_acquire()
        assert b.epoch == 2
        with pytest.raises(StaleLeader, match="epoch 1 of a is no longer current"):
            await _fence(engine, stale)
        await _fence(engine, b.term())
        assert not await a.try_acquire()  # the former leader is a follower now
    finally:
        await a.release()
        await b.release()


async def test_local_deadline_ends_leadership_before_the_database_lease_does(
    engine: AsyncEngine,
) -> None:
    clock = Monotonic()
    a = LeaderLease(engine, "job", holder="a", ttl_s=60, renew_every_s=NEVER, clock=clock)
    b = LeaderLease(engine, "job", holder="b", ttl_s=60)
    try:
        assert await a.try_acquire()
        clock.now += 59.9
        assert a.held
        clock.now += 0.1  # e.g. woken from SIGSTOP: its lease may be gone
        assert not a.held
        with pytest.raises(StaleLeader):
            a.term()
        assert not await b.try_acquire()  # the database lease had not expired yet
        assert await a.try_acquire()  # so a renews it, under the same epoch
        assert a.term().epoch == 1
    finally:
        await a.release()
        await b.release()


async def test_the_holder_renews_in_the_background(engine: AsyncEngine) -> None:
    a = LeaderLease(engine, "job", holder="a", ttl_s=0.6)
    b = LeaderLease(engine, "job", holder="b", ttl_s=0.6)
    try:
        assert await a.try_acquire()
        await asyncio.sleep(1.5)  # more than two TTLs without calling a again
        assert a.held
        assert not await b.try_acquire()
        await a.release()
        assert await b.try_acquire()
    finally:
        await a.release()
        await b.release()
    async with engine.connect() as connection:
        row = (await connection.execute(select(leader_leases))).one()
    assert (row.name, row.holder, row.epoch) == ("job", "b", 2)


async def test_leases_of_different_jobs_are_independent(engine: AsyncEngine) -> None:
    scheduler = LeaderLease(engine, "fetcher.scheduler", holder="a")
    builder = LeaderLease(engine, "publisher.edition_builder", holder="b")
    try:
        assert await scheduler.try_acquire()
        assert await builder.try_acquire()
        with pytest.raises(StaleLeader):  # a term fences only its own job
            await _fence(engine, LeaderTerm("publisher.edition_builder", "a", 1))
    finally:
        await scheduler.release()
        await builder.release()

"""The scheduler loop during a database outage: it keeps ticking, quietly."""

import logging
from datetime import UTC, datetime

import pytest

from devoured_fetcher.bootstrap import wire
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.scheduler import Scheduler
from devoured_fetcher.uow import FetcherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase


class UnreachableLease:
    """A lease whose database refuses connections, as while PostgreSQL restarts."""

    epoch: int | None = None

    async def try_acquire(self) -> bool:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    async def release(self) -> None:
        return None


class BrokenLease(UnreachableLease):
    async def try_acquire(self) -> bool:
        raise KeyError("a bug, not an outage")


def scheduler(http: HttpFetcher, lease: UnreachableLease, database: TestDatabase) -> Scheduler:
    clock = FakeClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    new_uow = database.uow(FetcherUnitOfWork, "fetcher")
    _, deps = wire(new_uow, http=http, clock=clock)
    return Scheduler(deps, lease, lambda: None)


async def test_an_outage_is_one_warning_not_a_traceback_per_tick(
    http: HttpFetcher, database: TestDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    loop = scheduler(http, UnreachableLease(), database)
    with caplog.at_level(logging.INFO, logger="devoured.fetcher.scheduler"):
        emitted = [await loop.tick() for _ in range(20)]
    assert emitted == [0] * 20
    assert not loop.leading
    lines = [r for r in caplog.records if r.name == "devoured.fetcher.scheduler"]
    assert [(r.levelname, r.exc_info) for r in lines] == [("WARNING", None)]


async def test_an_unexpected_lease_error_is_logged_with_its_traceback_every_time(
    http: HttpFetcher, database: TestDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    loop = scheduler(http, BrokenLease(), database)
    with caplog.at_level(logging.INFO, logger="devoured.fetcher.scheduler"):
        for _ in range(3):
            await loop.tick()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 3
    assert all(r.exc_info for r in errors)

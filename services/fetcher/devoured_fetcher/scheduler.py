"""The scheduler loop: one leader among the replicas emits the due polls.

Each tick, a replica acquires or renews the leader lease (``devoured_infra.leader.LeaderLease``).
The holder seeds the sources from the YAML file, leases and emits every due source, and renews
the lease every third of its TTL; when it dies, pauses or is cut off, its lease expires and
another replica takes over on its first tick after that (within TTL plus one tick).
"""

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_fetcher import metrics
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.handlers import poll_sources, schedule_due
from devoured_fetcher.sources import (
    SourceConfig,
    SourcesFileError,
    load_source_configs,
    parse_source_configs,
)
from devoured_infra.faults import Fault, Throttle, classify, describe
from devoured_infra.leader import LeaderLease
from devoured_infra.service import Phase, Wake

log = logging.getLogger("devoured.fetcher.scheduler")

LEASE_NAME = "fetcher.scheduler"
"""The leader lease of the scheduler: one replica schedules at a time."""


class Lock(Protocol):
    epoch: int | None  # of the current term, for fencing; None when not leading

    async def try_acquire(self) -> bool: ...
    async def release(self) -> None: ...


class Scheduler:
    def __init__(
        self,
        deps: FetcherDeps,
        lock: Lock,
        emitted: Callable[[], None],
        *,
        sources_file: Path | None = None,
        batch: int = 500,
        name: str = "scheduler",
    ) -> None:
        self._deps = deps
        self._lock = lock
        self._emitted = emitted
        self._sources_file = sources_file
        self._sources = SourcesSeeder(sources_file) if sources_file is not None else None
        self._batch = batch
        self.name = name
        self.leading = False
        self._quiet = Throttle(30.0)

    async def tick(self) -> int:
        """One round: returns how many polls this replica emitted (0 when not the leader)."""
        try:
            self.leading = await self._lock.try_acquire()
        except Exception as exc:
            # Every tick during a database outage: one line per 30 s, not one per tick.
            if classify(exc) is not Fault.OUTAGE:
                log.exception("leader lease unavailable", extra={"scheduler": self.name})
            elif self._quiet.ready():
                log.warning(
                    "leader lease unavailable: the database is away",
                    extra={"scheduler": self.name, "error": describe(exc)[:300]},
                )
            self.leading = False
        metrics.FETCH_SCHEDULER_LEADER.set(1 if self.leading else 0)
        if not self.leading:
            return 0
        if self._sources is not None:
            await self._sources.seed(self._deps)
        # The requests are in the outbox, committed with their leases; the relay sends them.
        requests = await schedule_due(deps=self._deps, limit=self._batch)
        if requests:
            self._emitted()
            log.info("scheduled polls", extra={"count": len(requests), "scheduler": self.name})
        return len(requests)

    async def run(self, tick_s: float) -> None:
        try:
            while True:
                await self.tick()
                await asyncio.sleep(tick_s)
        finally:
            await self._lock.release()
            metrics.FETCH_SCHEDULER_LEADER.set(0)


class SourcesSeeder:
    """Applies the sources file to the store on each of the leader's ticks.

    A malformed file is not applied, so the sources already stored (the last good file's) keep
    being polled. It is logged with its file, line and error once per version of the file, not
    on every tick, and ``devoured_fetcher_sources_config_valid`` is 0 until a good one is read.
    """

    def __init__(
        self,
        path: Path,
        *,
        refresh_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = path
        self._label = str(path)
        self._reported: str | None = None  # which malformed version was logged
        # The version applied last, and when: an unchanged file is applied again only every
        # ``refresh_s`` (it costs two statements per source; 1,000 per tick for 500 feeds),
        # which still repairs rows changed behind its back within a minute.
        self._applied: str | None = None
        self._applied_at = 0.0
        self._refresh_s = refresh_s
        self._clock = clock

    async def seed(self, deps: FetcherDeps) -> bool:
        """Apply the file; False when it is missing (the stored sources stand) or malformed."""
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as exc:
            self._malformed(SourcesFileError(self._path, None, f"cannot read: {exc}"), str(exc))
            return False
        version = hashlib.sha256(raw).hexdigest()
        now = self._clock()
        fresh = now - self._applied_at < self._refresh_s
        if version == self._applied and fresh and self._reported is None:
            return True
        try:
            configs = parse_source_configs(raw, self._path)
        except SourcesFileError as exc:
            self._malformed(exc, version)
            return False
        await save_source_configs(deps, configs)
        self._applied, self._applied_at = version, now
        if self._reported is not None:
            log.info("sources file valid again", extra={"file": self._label})
            self._reported = None
        metrics.FETCH_SOURCES_CONFIG_VALID.labels(self._label).set(1)
        metrics.FETCH_SOURCES_CONFIG_LOADED.labels(self._label).set_to_current_time()
        return True

    def _malformed(self, error: SourcesFileError, version: str) -> None:
        metrics.FETCH_SOURCES_CONFIG_VALID.labels(self._label).set(0)
        if version == self._reported:
            return
        self._reported = version
        log.error(
            "sources file not applied; polling the sources already stored",
            extra={"file": self._label, "line": error.line, "error": str(error)},
        )


async def seed_sources(deps: FetcherDeps, path: Path) -> None:
    """Upsert the YAML sources (configuration columns and per-source settings)."""
    await save_source_configs(deps, load_source_configs(path))


async def save_source_configs(deps: FetcherDeps, configs: list[SourceConfig]) -> None:
    async with deps.new_uow() as uow:
        await uow.sources.save_sources([c.source for c in configs])
        for config in configs:
            await uow.sources.save_settings(config.source.source_id, config.settings)
        await uow.commit()


class SchedulerLoop:
    """The scheduler as a service loop: under the leader lease in a service; in embedded mode
    one pass that stores the sources file (settings included) and polls every enabled source."""

    name = LEASE_NAME
    phase = Phase.FEED

    def __init__(
        self,
        deps: FetcherDeps,
        engine: AsyncEngine,
        *,
        sources_file: Path,
        tick_s: float,
        batch: int,
        lease_ttl_s: float,
    ) -> None:
        self._deps = deps
        self._engine = engine
        self._sources_file = sources_file
        self._tick_s = tick_s
        self._batch = batch
        self._lease_ttl_s = lease_ttl_s

    async def run(self, wake: Wake) -> None:
        lease = LeaderLease(self._engine, LEASE_NAME, ttl_s=self._lease_ttl_s)
        scheduler = Scheduler(
            self._deps, lease, wake, sources_file=self._sources_file, batch=self._batch
        )
        await scheduler.run(self._tick_s)

    async def once(self, wake: Wake) -> None:
        configs = load_source_configs(self._sources_file)
        await save_source_configs(self._deps, configs)
        await poll_sources([c.source for c in configs], deps=self._deps)
        wake()

"""The scheduler loop: one leader among the replicas emits the due polls.

Each tick, a replica tries the PostgreSQL advisory lock (``LeaderLock``). The holder seeds the
sources from the YAML file, leases and emits every due source, and keeps the lock for as long
as its database session lives; when it dies, another replica wins the lock on its next tick.
"""

import asyncio
import logging
from pathlib import Path
from typing import Protocol

from devoured_fetcher.handlers import FetcherDeps, schedule_due
from devoured_fetcher.sources import load_source_configs
from devoured_infra import metrics
from devoured_infra.bus import Publisher

log = logging.getLogger("devoured.fetcher.scheduler")


class Lock(Protocol):
    async def try_acquire(self) -> bool: ...
    async def release(self) -> None: ...


class Scheduler:
    def __init__(
        self,
        deps: FetcherDeps,
        lock: Lock,
        publisher: Publisher,
        *,
        sources_file: Path | None = None,
        batch: int = 500,
        name: str = "scheduler",
    ) -> None:
        self._deps = deps
        self._lock = lock
        self._publisher = publisher
        self._sources_file = sources_file
        self._batch = batch
        self.name = name
        self.leading = False

    async def tick(self) -> int:
        """One round: returns how many polls this replica emitted (0 when not the leader)."""
        try:
            self.leading = await self._lock.try_acquire()
        except Exception:
            log.exception("leader lock unavailable", extra={"scheduler": self.name})
            self.leading = False
        metrics.FETCH_SCHEDULER_LEADER.set(1 if self.leading else 0)
        if not self.leading:
            return 0
        if self._sources_file is not None and self._sources_file.exists():
            await seed_sources(self._deps, self._sources_file)
        requests = await schedule_due(deps=self._deps, limit=self._batch)
        await self._publisher.publish(requests)
        if requests:
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


async def seed_sources(deps: FetcherDeps, path: Path) -> None:
    """Upsert the YAML sources (configuration columns and per-source settings)."""
    configs = load_source_configs(path)
    async with deps.new_uow() as uow:
        await uow.sources.save_sources([c.source for c in configs])
        for config in configs:
            await uow.sources.save_settings(config.source.source_id, config.settings)
        await uow.commit()

"""The edition builder: the publisher's loop that builds changed editions and delivers closed
ones. With several replicas only the holder of its leader lease works, and its writes and
deliveries are fenced by the lease's epoch."""

import asyncio
import logging
import time

from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_core.errors import StaleLeader
from devoured_infra.leader import LeaderLease
from devoured_infra.memory import release_free_memory
from devoured_infra.service import Phase, Wake
from devoured_publisher.handlers import (
    PublisherDeps,
    build_pending_editions,
    deliver_closed_editions,
)

log = logging.getLogger("devoured.publisher")

LEASE_NAME = "publisher.edition_builder"
# A build that took t seconds is followed by a pause of at least this many times t: rebuilding
# a big edition (10,000 stories take seconds) every few seconds would keep a core busy on
# builds alone; this caps them at a fifth of the time.
PAUSE_PER_BUILD_SECOND = 4.0


def pause_after(interval_s: float, build_s: float) -> float:
    """Seconds to wait before the next build: the configured interval, or longer after a long
    build."""
    return max(interval_s, PAUSE_PER_BUILD_SECOND * build_s)


class EditionBuilder:
    name = LEASE_NAME
    phase = Phase.SETTLE

    def __init__(
        self, deps: PublisherDeps, engine: AsyncEngine, *, interval_s: float, lease_ttl_s: float
    ) -> None:
        self._deps = deps
        self._engine = engine
        self._interval_s = interval_s
        self._lease_ttl_s = lease_ttl_s

    async def run(self, wake: Wake) -> None:
        leader = LeaderLease(self._engine, LEASE_NAME, ttl_s=self._lease_ttl_s)
        pause = self._interval_s
        try:
            while True:
                await asyncio.sleep(pause)
                pause = self._interval_s
                if not await leader.try_acquire():
                    continue
                try:
                    started = time.monotonic()
                    if await build_pending_editions(deps=self._deps, leader=leader):
                        wake()
                    pause = pause_after(self._interval_s, time.monotonic() - started)
                    await deliver_closed_editions(deps=self._deps, leader=leader)
                    # A build reads every story of the edition; without this the process
                    # would keep the largest build's size.
                    await asyncio.to_thread(release_free_memory)
                except StaleLeader as error:  # another replica took over: follow it
                    log.warning("edition builder lost its lease", extra={"error": str(error)})
        finally:
            await leader.release()

    async def once(self, wake: Wake) -> None:
        """Embedded mode: build the editions its stories changed (it delivers nothing)."""
        if await build_pending_editions(deps=self._deps):
            wake()

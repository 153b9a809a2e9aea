"""The edition builder: the publisher's loop that builds changed editions and delivers closed
ones. With several replicas only the holder of its leader lease works, and its writes and
deliveries are fenced by the lease's epoch."""

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_core.errors import StaleLeader
from devoured_infra.leader import LeaderLease
from devoured_infra.service import Phase, Wake
from devoured_publisher.handlers import (
    PublisherDeps,
    build_pending_editions,
    deliver_closed_editions,
)

log = logging.getLogger("devoured.publisher")

LEASE_NAME = "publisher.edition_builder"


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
        try:
            while True:
                await asyncio.sleep(self._interval_s)
                if not await leader.try_acquire():
                    continue
                try:
                    if await build_pending_editions(deps=self._deps, leader=leader):
                        wake()
                    await deliver_closed_editions(deps=self._deps, leader=leader)
                except StaleLeader as error:  # another replica took over: follow it
                    log.warning("edition builder lost its lease", extra={"error": str(error)})
        finally:
            await leader.release()

    async def once(self, wake: Wake) -> None:
        """Embedded mode: build the editions its stories changed (it delivers nothing)."""
        if await build_pending_editions(deps=self._deps):
            wake()

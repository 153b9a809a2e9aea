"""Test doubles for work done under a leader lease: a frozen leadership and a channel that
records what it sent."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_infra.leader import LeaderTerm, LeaseRepository
from devoured_infra.uow import UnitOfWorkBase
from devoured_publisher.delivery import DeliveryFailed
from devoured_publisher.edition import Edition


class LeaseUnitOfWork(UnitOfWorkBase):
    """A unit of work with the lease repository alone, for work fenced by a lease."""

    leases: LeaseRepository

    def bind(self, session: AsyncSession) -> None:
        self.leases = LeaseRepository(session)


class FrozenLeader:
    """Leadership stuck in one term, like a process paused right after it read its term."""

    def __init__(self, term: LeaderTerm) -> None:
        self._term = term

    def term(self) -> LeaderTerm:
        return self._term


class RecordingChannel:
    """A delivery channel that remembers each target it sent to; ``failing`` targets fail once."""

    name = "webhook"

    def __init__(
        self, targets: list[str], *, failing: tuple[str, ...] = (), delay_s: float = 0.0
    ) -> None:
        self.targets = targets
        self.failing = set(failing)
        self.delay_s = delay_s
        self.sent: list[str] = []

    async def send(self, edition: Edition, target: str) -> None:
        await asyncio.sleep(self.delay_s)
        if target in self.failing:
            self.failing.discard(target)
            raise DeliveryFailed(f"webhook: {target} answered HTTP 500")
        self.sent.append(target)

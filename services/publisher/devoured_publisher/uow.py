"""The publisher's unit of work: its own repositories (and the outbox), one transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_infra.leader import LeaseRepository
from devoured_infra.uow import UnitOfWorkBase
from devoured_publisher.repositories import (
    DeliveryRepository,
    EditionRepository,
    StoryRepository,
)


class PublisherUnitOfWork(UnitOfWorkBase):
    """``stories``, ``editions`` and ``deliveries`` are the publisher's; ``leases`` fences
    the edition builder's writes and delivery claims by its leader lease (``leader_leases``,
    the shared table of every singleton job)."""

    stories: StoryRepository
    editions: EditionRepository
    deliveries: DeliveryRepository
    leases: LeaseRepository

    def bind(self, session: AsyncSession) -> None:
        self.stories = StoryRepository(session)
        self.editions = EditionRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.leases = LeaseRepository(session)

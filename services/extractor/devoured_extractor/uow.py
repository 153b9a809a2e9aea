"""The extractor's unit of work: its own repositories and its outbox, in one transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_extractor.repositories import ExtractionRepository
from devoured_infra.uow import UnitOfWorkBase


class ExtractorUnitOfWork(UnitOfWorkBase):
    extractions: ExtractionRepository

    def bind(self, session: AsyncSession) -> None:
        self.extractions = ExtractionRepository(session)

"""The summarizer's unit of work: its own repositories and its outbox, on one transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_infra.uow import UnitOfWorkBase
from devoured_summarizer.repositories import LlmLedgerRepository, SummaryRepository


class SummarizerUnitOfWork(UnitOfWorkBase):
    summaries: SummaryRepository
    llm_ledger: LlmLedgerRepository

    def bind(self, session: AsyncSession) -> None:
        self.summaries = SummaryRepository(session)
        self.llm_ledger = LlmLedgerRepository(session)

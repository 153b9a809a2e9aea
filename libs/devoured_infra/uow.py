"""Unit of work: one transaction and the repositories bound to it.

Leaving the ``async with`` block without ``commit()`` rolls back, so a handler that fails half
way writes nothing. What a handler emits goes into ``outbox`` in the same transaction, so its
messages exist exactly when its state does.
"""

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self, TypeAlias

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_infra.leader import LeaseRepository, SqlLeaseRepository
from devoured_infra.repositories.extractor import ExtractionRepository, SqlExtractionRepository
from devoured_infra.repositories.fetcher import (
    ArticleRequestRepository,
    SourceRepository,
    SqlArticleRequestRepository,
    SqlSourceRepository,
)
from devoured_infra.repositories.outbox import OutboxRepository, SqlOutboxRepository
from devoured_infra.repositories.publisher import (
    DeliveryRepository,
    EditionRepository,
    SqlDeliveryRepository,
    SqlEditionRepository,
    SqlStoryRepository,
    StoryRepository,
)
from devoured_infra.repositories.summarizer import (
    LlmLedgerRepository,
    SqlLlmLedgerRepository,
    SqlSummaryRepository,
    SummaryRepository,
)


class UnitOfWork(Protocol):
    sources: SourceRepository
    article_requests: ArticleRequestRepository
    extractions: ExtractionRepository
    summaries: SummaryRepository
    llm_ledger: LlmLedgerRepository
    stories: StoryRepository
    editions: EditionRepository
    deliveries: DeliveryRepository
    leases: LeaseRepository
    outbox: OutboxRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


class UnitOfWorkBase:
    """The base of every service's unit of work: a fresh session per ``async with``, the
    service's outbox bound to it, and the service's own repositories, which a subclass binds
    to the same session in ``bind``. A handler given a service's unit of work can reach only
    that service's tables (and the outbox)."""

    outbox: OutboxRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, service: str) -> None:
        self._sessions = sessions
        self._service = service

    def bind(self, session: AsyncSession) -> None:
        """Attach the service's repositories to ``session``."""

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self.outbox = SqlOutboxRepository(self._session, self._service)
        self.bind(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.rollback()
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()


class SqlUnitOfWork:
    """A fresh session per ``async with``; repositories share its transaction."""

    sources: SourceRepository
    article_requests: ArticleRequestRepository
    extractions: ExtractionRepository
    summaries: SummaryRepository
    llm_ledger: LlmLedgerRepository
    stories: StoryRepository
    editions: EditionRepository
    deliveries: DeliveryRepository
    leases: LeaseRepository
    outbox: OutboxRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, service: str) -> None:
        self._sessions = sessions
        self._service = service

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        session = self._session
        self.sources = SqlSourceRepository(session)
        self.article_requests = SqlArticleRequestRepository(session)
        self.extractions = SqlExtractionRepository(session)
        self.summaries = SqlSummaryRepository(session)
        self.llm_ledger = SqlLlmLedgerRepository(session)
        self.stories = SqlStoryRepository(session)
        self.editions = SqlEditionRepository(session)
        self.deliveries = SqlDeliveryRepository(session)
        self.leases = SqlLeaseRepository(session)
        self.outbox = SqlOutboxRepository(session, self._service)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.rollback()
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()


UnitOfWorkFactory: TypeAlias = Callable[[], UnitOfWork]

"""The fetcher's unit of work: its own repositories and its outbox, on one transaction."""

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_fetcher.repositories import ArticleRequestRepository, SourceRepository
from devoured_infra.uow import UnitOfWorkBase


class FetcherUnitOfWork(UnitOfWorkBase):
    sources: SourceRepository
    article_requests: ArticleRequestRepository

    def bind(self, session: AsyncSession) -> None:
        self.sources = SourceRepository(session)
        self.article_requests = ArticleRequestRepository(session)

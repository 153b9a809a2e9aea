"""The fetcher's store: sources with their polling state, and the articles it has requested."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.model import FeedState, Source
from devoured_infra.db import as_utc, upsert
from devoured_infra.tables import fetcher_articles, fetcher_sources

_SOURCE_FIELDS = ("name", "url", "kind", "section", "weight", "enabled")


class SourceRepository(Protocol):
    async def save_sources(self, sources: Iterable[Source]) -> None: ...
    async def enabled_sources(self) -> list[Source]: ...
    async def feed_state(self, source_id: str) -> FeedState: ...
    async def record_poll(
        self,
        source_id: str,
        *,
        at: datetime,
        status: int | None,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None: ...


class ArticleRequestRepository(Protocol):
    async def needing_request(
        self, article_ids: Iterable[str], *, now: datetime, rerequest_after: timedelta
    ) -> set[str]: ...
    async def mark_requested(
        self, article_id: str, *, url: str, source_id: str, at: datetime
    ) -> None: ...
    async def mark_fetched(
        self,
        article_id: str,
        *,
        url: str,
        source_id: str,
        at: datetime,
        status: int | None,
        error: str | None = None,
    ) -> None: ...


class SqlSourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_sources(self, sources: Iterable[Source]) -> None:
        for source in sources:
            await upsert(
                self._session,
                fetcher_sources,
                {"source_id": source.source_id, **source.model_dump(include=set(_SOURCE_FIELDS))},
                keys=["source_id"],
            )

    async def enabled_sources(self) -> list[Source]:
        columns = [fetcher_sources.c.source_id, *(fetcher_sources.c[f] for f in _SOURCE_FIELDS)]
        rows = await self._session.execute(
            select(*columns)
            .where(fetcher_sources.c.enabled.is_(True))
            .order_by(fetcher_sources.c.source_id)
        )
        return [Source.model_validate(dict(row._mapping)) for row in rows]

    async def feed_state(self, source_id: str) -> FeedState:
        c = fetcher_sources.c
        row = (
            await self._session.execute(
                select(c.etag, c.last_modified, c.last_polled_at, c.error_count).where(
                    c.source_id == source_id
                )
            )
        ).first()
        return FeedState.model_validate(dict(row._mapping)) if row else FeedState()

    async def record_poll(
        self,
        source_id: str,
        *,
        at: datetime,
        status: int | None,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        c = fetcher_sources.c
        values: dict[str, object] = {
            "last_polled_at": at,
            "last_status": status,
            "last_error": error,
        }
        if error is None:
            values["error_count"] = 0
            if status == 200:
                values |= {"etag": etag, "last_modified": last_modified}
        else:
            values["error_count"] = c.error_count + 1
        await self._session.execute(
            update(fetcher_sources).where(c.source_id == source_id).values(**values)
        )


class SqlArticleRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def needing_request(
        self, article_ids: Iterable[str], *, now: datetime, rerequest_after: timedelta
    ) -> set[str]:
        """Ids never fetched and not requested recently (a lost request is re-sent later)."""
        wanted = set(article_ids)
        if not wanted:
            return set()
        c = fetcher_articles.c
        rows = await self._session.execute(
            select(c.article_id, c.requested_at, c.fetched_at).where(c.article_id.in_(wanted))
        )
        cutoff = now - rerequest_after
        for article_id, requested_at, fetched_at in rows:
            recent = requested_at is not None and as_utc(requested_at) > cutoff
            if fetched_at is not None or recent:
                wanted.discard(article_id)
        return wanted

    async def mark_requested(
        self, article_id: str, *, url: str, source_id: str, at: datetime
    ) -> None:
        await upsert(
            self._session,
            fetcher_articles,
            {
                "article_id": article_id,
                "url": url,
                "source_id": source_id,
                "first_seen_at": at,
                "requested_at": at,
            },
            keys=["article_id"],
            update=["requested_at"],
        )

    async def mark_fetched(
        self,
        article_id: str,
        *,
        url: str,
        source_id: str,
        at: datetime,
        status: int | None,
        error: str | None = None,
    ) -> None:
        await upsert(
            self._session,
            fetcher_articles,
            {
                "article_id": article_id,
                "url": url,
                "source_id": source_id,
                "first_seen_at": at,
                "fetched_at": at,
                "status": status,
                "error": error,
            },
            keys=["article_id"],
            update=["fetched_at", "status", "error"],
        )

"""The summarizer's store: one summary per article, keyed by article id."""

from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.messages import ArticleSummarized
from devoured_infra.db import upsert
from devoured_infra.tables import summarizer_summaries


class SummaryRepository(Protocol):
    async def save(
        self, summary: ArticleSummarized, *, content_hash: str, at: datetime
    ) -> None: ...


class SqlSummaryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, summary: ArticleSummarized, *, content_hash: str, at: datetime) -> None:
        values = summary.model_dump(
            mode="json", include={"article_id", "tldr", "deep_dive", "decoder", "backend"}
        )
        values |= {"content_hash": content_hash, "summarized_at": at}
        await upsert(self._session, summarizer_summaries, values, keys=["article_id"])

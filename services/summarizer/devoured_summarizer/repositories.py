"""The summarizer's repositories: one summary per article, and the LLM backend's answers and
spend (cached answers and tokens spent per UTC day, shared by every replica)."""

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.messages import ArticleSummarized
from devoured_infra.db import as_version, upsert
from devoured_summarizer.tables import (
    summarizer_llm_answers,
    summarizer_llm_budget,
    summarizer_summaries,
)


class SummaryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(
        self, summary: ArticleSummarized, *, content_hash: str, at: datetime, version: datetime
    ) -> bool:
        """Upsert unless the stored row came from a message newer than ``version`` (the
        ``occurred_at`` of the message it comes from); False when the row was kept."""
        values = summary.model_dump(
            mode="json", include={"article_id", "tldr", "deep_dive", "decoder", "backend"}
        )
        values |= {
            "content_hash": content_hash,
            "summarized_at": at,
            "message_occurred_at": as_version(version),
        }
        return await upsert(
            self._session,
            summarizer_summaries,
            values,
            keys=["article_id"],
            version="message_occurred_at",
        )


class LlmLedgerRepository:
    """Cached LLM answers and tokens spent per UTC day, shared by every replica."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def answer(self, key: str) -> str | None:
        table = summarizer_llm_answers
        found = await self._session.scalar(select(table.c.answer).where(table.c.cache_key == key))
        return found

    async def remember(self, key: str, answer: str, *, at: datetime) -> None:
        values = {"cache_key": key, "answer": answer, "created_at": at}
        await upsert(self._session, summarizer_llm_answers, values, keys=["cache_key"])

    async def forget_before(self, cutoff: datetime) -> int:
        table = summarizer_llm_answers
        result = await self._session.execute(delete(table).where(table.c.created_at < cutoff))
        return _rows(result)

    async def reserve(self, day: str, tokens: int, *, limit: int) -> bool:
        """Add ``tokens`` to the day's spend only if the total stays within ``limit``.

        One conditional UPDATE, so two replicas reserving at once cannot both squeeze past the
        limit: PostgreSQL re-checks the condition on the row the first one updated.
        """
        table = summarizer_llm_budget
        await self._ensure_day(day)
        result = await self._session.execute(
            update(table)
            .where(table.c.day == day, table.c.tokens + tokens <= limit)
            .values(tokens=table.c.tokens + tokens)
        )
        return _rows(result) == 1

    async def adjust(self, day: str, tokens: int) -> None:
        """Correct the day's spend by ``tokens`` (negative gives back an unused reservation)."""
        table = summarizer_llm_budget
        await self._ensure_day(day)
        await self._session.execute(
            update(table).where(table.c.day == day).values(tokens=table.c.tokens + tokens)
        )

    async def _ensure_day(self, day: str) -> None:
        """The day's row, so the UPDATE that follows has one to change."""
        values = {"day": day, "tokens": 0}
        await upsert(self._session, summarizer_llm_budget, values, keys=["day"], update=[])

    async def spent(self, day: str) -> int:
        table = summarizer_llm_budget
        tokens = await self._session.scalar(select(table.c.tokens).where(table.c.day == day))
        return int(tokens or 0)


def _rows(result: object) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0

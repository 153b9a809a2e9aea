"""The extractor's store: one row per extracted article, keyed by article id."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.messages import ArticleExtracted
from devoured_extractor.tables import extractor_articles
from devoured_infra.db import as_version, upsert

_COLUMNS = (
    "article_id",
    "canonical_url",
    "title",
    "author",
    "published_at",
    "language",
    "text",
    "word_count",
    "reading_minutes",
    "content_hash",
)


class ExtractionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(
        self, article: ArticleExtracted, *, fetched_article_id: str, at: datetime, version: datetime
    ) -> bool:
        """Upsert unless the stored row came from a message newer than ``version`` (the
        ``occurred_at`` of the message it comes from); False when the row was kept."""
        values = article.model_dump(include=set(_COLUMNS))
        values |= {
            "fetched_article_id": fetched_article_id,
            "extracted_at": at,
            "message_occurred_at": as_version(version),
        }
        return await upsert(
            self._session,
            extractor_articles,
            values,
            keys=["article_id"],
            version="message_occurred_at",
        )

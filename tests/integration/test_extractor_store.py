"""The extractor's own unit of work on PostgreSQL: it commits the row and the outbox together,
keeps newer rows, and rolls back uncommitted work. (tests/integration/test_migrations.py checks
its tables against its migrations.)"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_core.messages import ArticleExtracted
from devoured_extractor.bootstrap import wire
from devoured_extractor.extract import extract
from devoured_extractor.tables import extractor_articles
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_infra.db import create_engine, create_sessionmaker, utc_row
from devoured_infra.tables import outbox
from tests.unit import samples

PAGE = Path(__file__).parents[1] / "testdata" / "pages" / "news_article.html"
OLD = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


async def _rows(sessions: async_sessionmaker[AsyncSession], table: Table) -> list[dict[str, Any]]:
    async with sessions() as session:
        result = await session.execute(select(table))
        return [utc_row(dict(row)) for row in result.mappings()]


@pytest.mark.postgres
async def test_handler_commits_row_and_outbox_and_keeps_newer_rows(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    try:
        stage = wire(
            lambda: ExtractorUnitOfWork(sessions, service="extractor"),
            clock=lambda: OLD,
            extractor=extract,
        )
        newer = samples.page_fetched(body=PAGE.read_text(encoding="utf-8"), occurred_at=OLD)
        older = newer.model_copy(update={"occurred_at": OLD - timedelta(minutes=5)})

        [article] = await stage.handle(newer)
        assert await stage.handle(older) == []

        assert isinstance(article, ArticleExtracted)
        [row] = await _rows(sessions, extractor_articles)
        assert (row["article_id"], row["message_occurred_at"]) == (article.article_id, OLD)
        sent = [r for r in await _rows(sessions, outbox) if r["service"] == "extractor"]
        assert [(r["topic"], r["message_id"]) for r in sent] == [
            (ArticleExtracted.TOPIC, article.message_id)
        ]
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_leaving_without_commit_writes_nothing(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    try:
        async with ExtractorUnitOfWork(sessions, service="extractor") as uow:
            saved = await uow.extractions.save(
                samples.article_extracted(), fetched_article_id="f", at=OLD, version=OLD
            )
            await uow.outbox.add([samples.article_extracted()])
        assert saved
        assert await _rows(sessions, extractor_articles) == []
        assert await _rows(sessions, outbox) == []
    finally:
        await engine.dispose()

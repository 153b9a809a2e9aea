"""Upserts never replace a row with the data of an older message, on PostgreSQL and SQLite.

A redelivered or replayed message may be older than the one that wrote the row; the row keeps
the ``occurred_at`` of its message, and an older one leaves it alone.
"""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_extractor.repositories import ExtractionRepository
from devoured_extractor.tables import extractor_articles
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.migrate import upgrade_async
from devoured_publisher.repositories import StoryRepository
from devoured_publisher.tables import publisher_items
from devoured_summarizer.repositories import SummaryRepository
from devoured_summarizer.tables import summarizer_summaries
from tests.support.databases import create_database, drop_database
from tests.unit import samples

OLD = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
NEW = OLD + timedelta(minutes=5)

Sessions = async_sessionmaker[AsyncSession]
# save(session, text, version) -> whether the row was written; the text tells versions apart.
Save = Callable[[AsyncSession, str, datetime], Awaitable[bool]]
ARTICLE_ID = samples.article_extracted().article_id


async def _save_extraction(session: AsyncSession, text: str, version: datetime) -> bool:
    article = samples.article_extracted(text=text)
    return await ExtractionRepository(session).save(
        article, fetched_article_id="f", at=OLD, version=version
    )


async def _save_summary(session: AsyncSession, text: str, version: datetime) -> bool:
    summary = samples.article_summarized(tldr=text)
    return await SummaryRepository(session).save(summary, content_hash="h", at=OLD, version=version)


async def _save_story(session: AsyncSession, text: str, version: datetime) -> bool:
    story = samples.story(ARTICLE_ID, tldr=text)
    return await StoryRepository(session).save(story, version=version)


# table, the column the text goes to, how to save
STORES: dict[str, tuple[Table, str, Save]] = {
    "extraction": (extractor_articles, "text", _save_extraction),
    "summary": (summarizer_summaries, "tldr", _save_summary),
    "story": (publisher_items, "tldr", _save_story),
}


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
async def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Sessions]:
    """A fresh migrated database of each kind (``database_url`` is async: it cannot be asked
    for from here, so the PostgreSQL one is made as it makes it)."""
    server = (
        request.getfixturevalue("postgres_server_url") if request.param == "postgresql" else None
    )
    if server is not None:
        url = await create_database(server, f"t_{uuid.uuid4().hex[:16]}")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()
    if server is not None:
        await drop_database(server, url)


async def _write(sessions: Sessions, store: str, text: str, version: datetime) -> bool:
    async with sessions() as session:
        written = await STORES[store][2](session, text, version)
        await session.commit()
    return written


async def _stored(sessions: Sessions, store: str) -> str:
    table, column, _ = STORES[store]
    async with sessions() as session:
        value = await session.scalar(select(table.c[column]))
    return str(value)


@pytest.mark.parametrize("store", STORES)
async def test_an_older_message_does_not_replace_a_newer_row(
    sessions: Sessions, store: str
) -> None:
    assert await _write(sessions, store, "newer", NEW)
    assert not await _write(sessions, store, "older", OLD)
    assert await _stored(sessions, store) == "newer"


@pytest.mark.parametrize("store", STORES)
async def test_a_newer_message_replaces_an_older_row(sessions: Sessions, store: str) -> None:
    assert await _write(sessions, store, "older", OLD)
    assert await _write(sessions, store, "newer", NEW)
    assert await _stored(sessions, store) == "newer"


@pytest.mark.parametrize("store", STORES)
async def test_the_same_message_again_rewrites_its_row(sessions: Sessions, store: str) -> None:
    assert await _write(sessions, store, "first", NEW)
    assert await _write(sessions, store, "again", NEW)
    assert await _stored(sessions, store) == "again"


@pytest.mark.parametrize("store", STORES)
async def test_versions_compare_in_utc_whatever_their_offset(
    sessions: Sessions, store: str
) -> None:
    # 13:00 at +02:00 is 11:00 UTC: older than 12:05 UTC, though its wall-clock digits are later.
    older_at_plus_two = (OLD - timedelta(hours=1)).astimezone(timezone(timedelta(hours=2)))
    assert await _write(sessions, store, "newer", NEW)
    assert not await _write(sessions, store, "older", older_at_plus_two)
    assert await _stored(sessions, store) == "newer"


@pytest.mark.parametrize("store", STORES)
async def test_a_row_written_before_the_guard_is_updated(sessions: Sessions, store: str) -> None:
    table = STORES[store][0]
    assert await _write(sessions, store, "before 0009", NEW)
    async with sessions() as session:
        await session.execute(update(table).values(message_occurred_at=None))
        await session.commit()
    assert await _write(sessions, store, "after", OLD)
    assert await _stored(sessions, store) == "after"

"""The fetcher's committed rows in the unit tests' SQLite database (``database`` fixture)."""

from typing import Any

from devoured_fetcher.tables import fetcher_articles, fetcher_sources
from tests.support.sqlite import TestDatabase


async def source_row(database: TestDatabase, source_id: str) -> dict[str, Any]:
    """The committed row of one source (datetimes in UTC)."""
    [row] = await database.rows(fetcher_sources, source_id=source_id)
    return row


async def source_ids(database: TestDatabase) -> set[str]:
    return {row["source_id"] for row in await database.rows(fetcher_sources)}


async def article_rows(database: TestDatabase) -> dict[str, dict[str, Any]]:
    """The committed article requests, by article id."""
    return {row["article_id"]: row for row in await database.rows(fetcher_articles)}

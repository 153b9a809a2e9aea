"""Async engine, session factory and the dialect-portable upsert every repository uses."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(database_url: str) -> AsyncEngine:
    """An engine for PostgreSQL (asyncpg) or SQLite (aiosqlite, embedded mode)."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(database_url, pool_size=5, max_overflow=5, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def upsert(
    session: AsyncSession,
    table: Table,
    values: dict[str, Any],
    *,
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """Insert ``values`` or, when a row with the same ``keys`` exists, update ``update`` columns.

    ``update=None`` updates every non-key column; an empty sequence leaves the row untouched.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    columns = [c for c in values if c not in keys] if update is None else list(update)
    if columns:
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: excluded[c] for c in columns}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    await session.execute(statement)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Devoured stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()}

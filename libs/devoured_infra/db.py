"""Async engine, session factory and the dialect-portable upsert every repository uses."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, Table, event, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement

from devoured_infra import tracing
from devoured_infra.settings import DatabaseTimeouts, Settings

# The client waits this much longer than the server's statement_timeout, so that a live server
# cancels the statement itself (a clean error, the connection stays usable).
_CLIENT_GRACE_S = 5.0


def create_engine(
    database_url: str, *, timeouts: DatabaseTimeouts | None = None, pool_size: int = 5
) -> AsyncEngine:
    """An engine for PostgreSQL (asyncpg) or SQLite (aiosqlite, embedded mode).

    On PostgreSQL every wait is bounded (``timeouts``, by default the process's settings,
    ``DEVOURED_DB_*``), so a database that stops answering raises instead of hanging. The pool
    keeps ``pool_size`` connections and opens up to 5 more under load (closed when returned).
    """
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        tracing.instrument_engine(engine)
        return engine
    limits = timeouts if timeouts is not None else Settings().database_timeouts
    engine = create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=5,
        # No ping per checkout (a round trip each, ~6% of the fetcher's CPU): a connection the
        # server dropped fails its first statement, SQLAlchemy discards the pool's connections,
        # and the work in hand is an outage, waited out and retried on fresh ones.
        pool_pre_ping=False,
        pool_timeout=limits.pool_s or None,
        connect_args=postgres_connect_args(limits),
    )
    # Each statement is a child span of the record being handled, when tracing is on.
    tracing.instrument_engine(engine)
    return engine


def postgres_connect_args(limits: DatabaseTimeouts) -> dict[str, Any]:
    """asyncpg's ``connect()`` arguments for ``limits`` (a limit of 0 is left out)."""
    server: dict[str, str] = {}
    if limits.statement_s:
        server["statement_timeout"] = str(round(limits.statement_s * 1000))
    if limits.idle_in_transaction_s:
        server["idle_in_transaction_session_timeout"] = str(
            round(limits.idle_in_transaction_s * 1000)
        )
    args: dict[str, Any] = {"server_settings": server}
    if limits.connect_s:
        args["timeout"] = limits.connect_s
    if limits.statement_s:
        args["command_timeout"] = limits.statement_s + _CLIENT_GRACE_S
    return args


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
    version: str | None = None,
) -> bool:
    """Insert ``values`` or, when a row with the same ``keys`` exists, update ``update`` columns.

    ``update=None`` updates every non-key column; an empty sequence leaves the row untouched.
    ``version`` names a column of ``values`` that orders the writes (a message's time): the row
    is then updated only if its version is not newer than the incoming one, or NULL (written
    before it had one), so a redelivered or replayed older message never replaces newer data.
    Returns False when the row was left as it was.
    """
    dialect = session.get_bind().dialect.name
    statement = _upsert_statement(
        dialect,
        table,
        tuple(values),
        keys=tuple(keys),
        update=None if update is None else tuple(update),
        version=version,
    )
    result = await session.execute(statement, values)
    # PostgreSQL and SQLite both count a row the WHERE kept out of the update as unchanged.
    return not isinstance(result, CursorResult) or result.rowcount != 0


async def upsert_many(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """``upsert`` of every row (all with the same columns) in one statement executed for many
    parameter sets: one round trip to PostgreSQL instead of one per row."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = _upsert_statement(
        dialect,
        table,
        tuple(rows[0]),
        keys=tuple(keys),
        update=None if update is None else tuple(update),
        version=None,
    )
    await session.execute(statement, list(rows))


# Built once per shape: making an ON CONFLICT statement (its ``excluded`` alias above all)
# cost more CPU than executing it, on the fetcher's busiest path.
_UPSERTS: dict[tuple[object, ...], Insert] = {}


def _upsert_statement(
    dialect: str,
    table: Table,
    columns: tuple[str, ...],
    *,
    keys: tuple[str, ...],
    update: tuple[str, ...] | None,
    version: str | None,
) -> Insert:
    """The upsert of ``columns`` into ``table``, its values bound when executed."""
    shape = (dialect, table, columns, keys, update, version)
    statement = _UPSERTS.get(shape)
    if statement is not None:
        return statement
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    built = insert(table)
    changed = [c for c in columns if c not in keys] if update is None else list(update)
    if changed:
        excluded = built.excluded
        newer_or_same: ColumnElement[bool] | None = None
        if version is not None:
            current = table.c[version]
            newer_or_same = or_(current.is_(None), current <= excluded[version])
        statement = built.on_conflict_do_update(
            index_elements=list(keys),
            set_={c: excluded[c] for c in changed},
            where=newer_or_same,
        )
    else:
        statement = built.on_conflict_do_nothing(index_elements=list(keys))
    if len(_UPSERTS) > 1024:  # shapes come from call sites: a handful in practice
        _UPSERTS.clear()
    _UPSERTS[shape] = statement
    return statement


def as_version(value: datetime) -> datetime:
    """A message time as a version column holds it: in UTC, so that SQLite, which stores the
    wall-clock digits without the offset, compares two versions as PostgreSQL does."""
    return as_utc(value).astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Devoured stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items()}

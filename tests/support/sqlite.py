"""A real database for unit tests: SQLite in a temporary file, every table created, and the
services' own units of work on it.

Handler tests go through the same repositories and the same SQL as the services, so there is
no fake to keep in step with them; they assert on what was stored and committed. Tables come
from their metadata (the shared library's and each installed service's), which
tests/integration/test_migrations*.py keep equal to what the migrations create.
"""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import MetaData, Table, event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from devoured_core.messages import DeadLetter, Message
from devoured_infra import registry
from devoured_infra.db import create_engine, utc_row
from devoured_infra.tables import metadata as shared_metadata
from devoured_infra.tables import outbox
from devoured_infra.uow import UnitOfWorkBase

UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWorkBase)


class TestDatabase:
    """One SQLite database; ``commits`` counts the transactions committed on it."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, path: Path, *, metadata: Sequence[MetaData] | None = None) -> None:
        self.url = f"sqlite+aiosqlite:///{path}"
        self.engine = create_engine(self.url)
        counted = type("CountedSession", (Session,), {})
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=counted
        )
        self.commits = 0
        event.listen(counted, "after_commit", self._committed)
        self._metadata = (
            [shared_metadata, *(d.tables for d in registry.installed() if d.tables is not None)]
            if metadata is None
            else list(metadata)
        )

    def _committed(self, session: Session) -> None:
        self.commits += 1

    async def create(self) -> "TestDatabase":
        async with self.engine.begin() as connection:
            for each in self._metadata:
                await connection.run_sync(each.create_all)
        self.commits = 0
        return self

    def uow(self, kind: type[UnitOfWorkT], service: str) -> Callable[[], UnitOfWorkT]:
        """A unit-of-work factory of ``kind``, writing its outbox rows as ``service``."""
        return lambda: kind(self.sessions, service=service)

    async def rows(self, table: Table, **where: Any) -> list[dict[str, Any]]:
        """The committed rows of ``table`` (datetimes in UTC), filtered by column equality."""
        query = select(table).where(*(table.c[k] == v for k, v in where.items()))
        async with self.engine.connect() as connection:
            result = await connection.execute(query)
            return [utc_row(dict(row)) for row in result.mappings()]

    async def outbox(self, topic: str | None = None) -> list[Message]:
        """The messages committed to the outbox (on ``topic``, when given), oldest first."""
        types = {m.TOPIC: m for m in registry.messages()}
        query = select(outbox.c.topic, outbox.c.payload).order_by(outbox.c.id)
        if topic is not None:
            query = query.where(outbox.c.topic == topic)
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [types.get(t, DeadLetter).model_validate_json(payload) for t, payload in rows]

    async def close(self) -> None:
        await self.engine.dispose()


@asynccontextmanager
async def sqlite_database(path: Path) -> AsyncIterator[TestDatabase]:
    database = await TestDatabase(path).create()
    try:
        yield database
    finally:
        await database.close()

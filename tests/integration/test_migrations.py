"""The migrations build exactly the tables the code declares, on PostgreSQL and on SQLite.

A table or column added to the shared tables (``devoured_infra.tables``) or to a service's
(``devoured_<service>/tables.py``) without a migration, or the other way round, fails here
instead of in a deployment.
"""

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from devoured_infra import registry
from devoured_infra.db import create_engine
from devoured_infra.migrate import upgrade_async
from devoured_infra.tables import metadata as shared

# Every table: the shared ones and each installed service's.
METADATA = [shared, *(d.tables for d in registry.installed() if d.tables is not None)]

# Made by a migration only: PostgreSQL's full-text search index (an expression index, GIN).
MIGRATION_ONLY = {"ix_publisher_items_search"}


def test_every_installed_service_declares_its_tables() -> None:
    declared = {name for each in METADATA for name in each.tables}
    for service in registry.installed():
        assert service.tables is not None, service.name
        assert set(service.tables.tables) <= declared
        assert all(name.startswith(f"{service.name}_") for name in service.tables.tables)


def _declared(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    return not (kind == "index" and name in MIGRATION_ONLY)


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": _declared}
    )
    return list(compare_metadata(context, METADATA))  # type: ignore[arg-type]


async def _schema_drift(database_url: str) -> list[Any]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_postgres_schema_matches_the_declared_tables(database_url: str) -> None:
    assert await _schema_drift(database_url) == []


async def test_sqlite_schema_matches_the_declared_tables(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'devoured.db'}"
    await upgrade_async(url)
    assert await _schema_drift(url) == []

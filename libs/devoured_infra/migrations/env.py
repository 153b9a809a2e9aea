"""Alembic environment: runs migrations over the async engine of ``sqlalchemy.url``."""

import asyncio
from dataclasses import replace

from alembic import context
from sqlalchemy.engine import Connection

from devoured_infra import registry
from devoured_infra.db import create_engine
from devoured_infra.settings import Settings
from devoured_infra.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        # Every table: the shared ones and each installed service's (for autogenerate).
        target_metadata=[metadata, *(d.tables for d in registry.installed() if d.tables)],
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # A migration may rightly run long (an index over a big table): only connecting is bounded.
    timeouts = replace(Settings().database_timeouts, statement_s=0, idle_in_transaction_s=0)
    url = context.config.get_main_option("sqlalchemy.url") or ""
    engine = create_engine(url, timeouts=timeouts)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


asyncio.run(_run_async())

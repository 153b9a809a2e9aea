"""Large values are compressed with lz4 on PostgreSQL (migrations ``0014_outbox_lz4``,
``0017_extractor_lz4``, ``0017_publisher_lz4``): a fetched page in the outbox costs the server
a third of pglz's CPU. A downgrade puts the server's default back."""

import asyncio

import pytest
from alembic import command
from sqlalchemy import text

from devoured_core.messages import PageFetched
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.migrate import alembic_config, upgrade_async
from devoured_infra.uow import UnitOfWorkBase
from tests.unit import samples

pytestmark = pytest.mark.postgres

LZ4_COLUMNS = {
    ("outbox", "payload"),
    ("extractor_articles", "text"),
    ("publisher_items", "text"),
    ("publisher_editions", "markdown"),
    ("publisher_editions", "html"),
    ("publisher_editions", "web_html"),
    ("publisher_editions", "api_json"),
}
COMPRESSION = text(
    "SELECT c.relname, a.attname, a.attcompression FROM pg_attribute a "
    "JOIN pg_class c ON c.oid = a.attrelid "
    "WHERE c.relname IN ('outbox', 'extractor_articles', 'publisher_items', "
    "'publisher_editions') AND a.attnum > 0 AND NOT a.attisdropped"
)


async def compression_of(url: str) -> dict[tuple[str, str], str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(COMPRESSION)).all()
    finally:
        await engine.dispose()
    # A "char": "l" for lz4, "p" for pglz, NUL for the server's default.
    return {(table, column): bytes(method).strip(b"\0").decode() for table, column, method in rows}


async def test_large_columns_are_lz4_and_the_others_the_default(database_url: str) -> None:
    methods = await compression_of(database_url)

    assert {column for column, method in methods.items() if method == "l"} == LZ4_COLUMNS


async def test_a_page_in_the_outbox_is_stored_lz4_compressed(database_url: str) -> None:
    # Prose repeats enough to compress; 60 KB is past TOAST's 2 KB threshold.
    body = "<p>" + " ".join(f"The council met on day {i} to vote." for i in range(2000)) + "</p>"
    page = samples.page_fetched(body=body)
    engine = create_engine(database_url)
    try:
        async with UnitOfWorkBase(create_sessionmaker(engine), service="fetcher") as uow:
            await uow.outbox.add([page])
            await uow.commit()
        async with engine.connect() as connection:
            stored = (
                await connection.execute(
                    text(
                        "SELECT pg_column_compression(payload), octet_length(payload) "
                        "FROM outbox WHERE topic = :topic"
                    ),
                    {"topic": PageFetched.TOPIC},
                )
            ).one()
    finally:
        await engine.dispose()

    assert stored == ("lz4", len(page.model_dump_json().encode()))


async def test_a_downgrade_puts_the_default_back(database_url: str) -> None:
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0013_outbox_trace_context")
    assert (await compression_of(database_url))[("outbox", "payload")] == ""
    await upgrade_async(database_url)
    assert (await compression_of(database_url))[("outbox", "payload")] == "l"

"""Session-wide infrastructure: a real Kafka broker and a real PostgreSQL server.

Started only when a test asks for them, in this order: the environment
(KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL), testcontainers when a Docker engine answers, else the
scripts in deploy/local/. Whatever the session started, it stops.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from devoured_infra.migrate import upgrade_async
from tests.support import infra
from tests.support.databases import create_database, drop_database
from tests.support.sqlite import TestDatabase, sqlite_database


@pytest.fixture(scope="session")
def kafka_bootstrap_servers() -> Iterator[str]:
    with infra.kafka_bootstrap() as servers:
        yield servers


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    with infra.postgres_url() as url:
        yield url


@pytest.fixture
async def database_url(postgres_server_url: str) -> AsyncIterator[str]:
    """A fresh, migrated database of its own for one test."""
    url = await create_database(postgres_server_url, f"t_{uuid.uuid4().hex[:16]}")
    await upgrade_async(url)
    yield url
    await drop_database(postgres_server_url, url)


@pytest.fixture
def topic_prefix() -> str:
    """Topics and consumer groups of one test never meet another test's."""
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[TestDatabase]:
    """A fresh SQLite database with every table, for unit tests of handlers and repositories."""
    async with sqlite_database(tmp_path / "unit.db") as created:
        yield created

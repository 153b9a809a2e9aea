"""The migrations split by owner (the shared library's and each service's own branch) build the
schema the single history built, and upgrade every database migrated with that history.

A database migrated before the split records revisions in ``alembic_version`` that are no
longer heads: Alembic counts their ancestors (``down_revision`` and ``depends_on``) as applied
and refuses recorded revisions that descend from one another. ``LEGACY_STATES`` holds what each
earlier release left there; the schema each had is built here from the new revisions and the
recorded rows are then written as that release wrote them.

``testdata/migrations/legacy_schema.<dialect>.json`` is the schema the single history built
(frozen: that history is gone), in the form ``_snapshot`` reads from a database.
"""

import json
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

import devoured_extractor
import devoured_fetcher
import devoured_publisher
import devoured_summarizer
from devoured_infra.db import create_engine
from devoured_infra.migrate import VERSIONS, alembic_config, upgrade_async
from tests.support.databases import create_database, drop_database

SERVICES = {
    "fetcher": devoured_fetcher,
    "extractor": devoured_extractor,
    "summarizer": devoured_summarizer,
    "publisher": devoured_publisher,
}
LOCATIONS = [Path(str(package.__file__)).parent / "migrations" for package in SERVICES.values()]
TESTDATA = Path(__file__).parents[1] / "testdata" / "migrations"

# What ``alembic_version`` held after ``upgrade heads`` with the single history (the last one).
LEGACY_HEADS = [
    "0005_summarizer_llm",
    "0009_version_guard",
    "0010_fetcher_retry",
    "0011_redacted_targets",
    "0012_outbox_dedupe",
]

# Each release's rows (one per commit that changed the single history: 0bbdea4, d702841,
# f8a033b, e4c9384, 7cb104d, bc54161), and the new revisions its schema had beyond those the
# rows imply: the service tables that the shared root ``0001`` made before the split.
LEGACY_STATES: dict[str, tuple[list[str], list[str]]] = {
    "skeleton": (["0001"], [f"0001_{name}_tables" for name in SERVICES]),
    "publisher": (
        ["0002_fetcher", "0003_publisher"],
        ["0001_extractor_tables", "0001_summarizer_tables"],
    ),
    "fetch_request": (
        ["0003_publisher", "0006_fetcher_request"],
        ["0001_extractor_tables", "0001_summarizer_tables"],
    ),
    "summarizer_llm": (
        ["0003_publisher", "0005_summarizer_llm", "0006_fetcher_request"],
        ["0001_extractor_tables"],
    ),
    "outbox": (
        [
            "0003_publisher",
            "0005_summarizer_llm",
            "0007_outbox",
            "0008_leader_lease",
            "0009_version_guard",
            "0010_fetcher_retry",
        ],
        [],
    ),
    "last": (LEGACY_HEADS, []),
}

EXPECTED_HEADS = {
    "0008_leader_lease",  # "effective head": ``0011_redacted_targets`` depends on it
    "0017_extractor_lz4",
    "0010_fetcher_retry",
    "0014_outbox_lz4",
    "0017_publisher_lz4",
    "0013_summarizer_merge",
}
SERVICE_HEADS = {
    "fetcher": "0010_fetcher_retry",
    "extractor": "0017_extractor_lz4",
    "summarizer": "0013_summarizer_merge",
    "publisher": "0017_publisher_lz4",
}
MakeDatabase = Callable[[], Awaitable[str]]
WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"


def _snapshot(connection: Connection) -> dict[str, Any]:
    """Tables, columns, keys and indexes, as JSON values (names and rendered types)."""
    inspector = sa.inspect(connection)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        indexes = inspector.get_indexes(table)
        schema[table] = {
            "columns": [
                [c["name"], repr(c["type"]), c["nullable"], _text(c.get("default"))]
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted(
                [
                    i["name"],
                    [_text(c) for c in i["column_names"]],
                    bool(i["unique"]),
                    [_text(e) for e in i.get("expressions", [])],
                    {k: _text(v) for k, v in sorted(i.get("dialect_options", {}).items())},
                ]
                for i in indexes
            ),
            "unique": sorted(
                [u["name"], u["column_names"]] for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                [f["constrained_columns"], f["referred_table"], f["referred_columns"]]
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return schema


def _text(value: object) -> str | None:
    return None if value is None else str(getattr(value, "text", value))


async def _inspect(database_url: str) -> tuple[dict[str, Any], list[str]]:
    """The schema of ``database_url`` and the rows of its ``alembic_version``."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            schema = await connection.run_sync(_snapshot)
            rows = await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return schema, sorted(rows.scalars())
    finally:
        await engine.dispose()


async def _execute(database_url: str, *statements: tuple[str, dict[str, Any]]) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            for sql, params in statements:
                await connection.execute(sa.text(sql), params)
    finally:
        await engine.dispose()


async def _upgrade(database_url: str, *revisions: str) -> None:
    for revision in revisions:
        await upgrade_async(database_url, revision, locations=LOCATIONS)


async def _migrate_like_the_releases(database_url: str, until: str) -> None:
    """Build the schema a database kept up to date since the first release had after release
    ``until``, with the new revisions: to each release's revisions in turn, which also runs the
    ones that add a column to one table in the order the single history ran them."""
    for release, (rows, made_by_the_old_root) in LEGACY_STATES.items():
        await _upgrade(database_url, *rows, *made_by_the_old_root)
        if release == until:
            return


async def _record(database_url: str, rows: Sequence[str]) -> None:
    """Make ``alembic_version`` hold exactly ``rows``."""
    await _execute(
        database_url,
        ("DELETE FROM alembic_version", {}),
        *(("INSERT INTO alembic_version (version_num) VALUES (:v)", {"v": r}) for r in rows),
    )


def _legacy_schema(dialect: str) -> dict[str, Any]:
    text = (TESTDATA / f"legacy_schema.{dialect}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_database(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[MakeDatabase]:
    """A factory of empty databases of ``dialect``, dropped afterwards."""
    made: list[str] = []
    server = request.getfixturevalue("postgres_server_url") if dialect == "postgresql" else ""

    async def make() -> str:
        if dialect == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.db'}"
        else:
            url = await create_database(server, f"m_{uuid.uuid4().hex[:16]}")
        made.append(url)
        return url

    yield make
    if dialect == "postgresql":
        for url in made:
            await drop_database(server, url)


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://", LOCATIONS))


def test_heads_of_the_combined_locations() -> None:
    assert set(_script().get_heads()) == EXPECTED_HEADS


@pytest.mark.parametrize("service", list(SERVICES))
def test_each_service_has_one_labelled_branch_in_its_own_folder(service: str) -> None:
    script = _script()
    head = script.get_revision(f"{service}@head")
    assert head is not None
    assert head.revision == SERVICE_HEADS[service]
    folder = LOCATIONS[list(SERVICES).index(service)]
    files = {p for p in folder.glob("*.py") if p.name != "__init__.py"}
    branch = {Path(str(r.path)) for r in script.walk_revisions() if service in r.branch_labels}
    assert branch == files


def test_the_shared_revisions_name_no_service() -> None:
    for path in VERSIONS.parent.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".mako"}:
            text = path.read_text(encoding="utf-8").lower()
            assert not [s for s in SERVICES if s in text], path


def test_legacy_revisions_keep_their_ids() -> None:
    ids = {r.revision for r in _script().walk_revisions()}
    assert {row for rows, _ in LEGACY_STATES.values() for row in rows} <= ids


async def test_fresh_database_gets_the_schema_of_the_single_history(
    dialect: str, make_database: MakeDatabase
) -> None:
    url = await make_database()
    await _migrate_like_the_releases(url, until="last")
    schema, _ = await _inspect(url)
    assert schema == _legacy_schema(dialect)


@pytest.mark.parametrize("state", list(LEGACY_STATES))
async def test_database_migrated_before_the_split_upgrades(
    state: str, dialect: str, make_database: MakeDatabase
) -> None:
    rows, _ = LEGACY_STATES[state]
    fresh = await make_database()
    await _upgrade(fresh, "heads")
    legacy = await make_database()
    await _migrate_like_the_releases(legacy, until=state)
    await _record(legacy, rows)

    await _upgrade(legacy, "heads")
    await _upgrade(legacy, "heads")  # again: nothing to do

    assert await _inspect(legacy) == await _inspect(fresh)


async def test_the_last_legacy_heads_imply_every_revision_split_from_theirs(
    dialect: str, make_database: MakeDatabase
) -> None:
    url = await make_database()
    await _migrate_like_the_releases(url, until="last")
    await _record(url, LEGACY_HEADS)
    await _upgrade(url, *LEGACY_HEADS)  # nothing to run, nothing recorded
    assert await _inspect(url) == (_legacy_schema(dialect), LEGACY_HEADS)


async def test_redaction_still_runs_on_a_database_recorded_before_it(tmp_path: Path) -> None:
    """``0011_redacted_targets`` rewrites rows only; were it counted as applied on a database of
    the release before it, no schema comparison would notice."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    await _migrate_like_the_releases(url, until="outbox")
    await _record(url, LEGACY_STATES["outbox"][0])
    await _execute(
        url,
        (
            "INSERT INTO publisher_delivery_claims VALUES "
            "('2026-11-28', 'webhook', :target, 0, 'x', '2026-11-29 00:00:00')",
            {"target": WEBHOOK},
        ),
    )
    await _upgrade(url, "heads")
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        (target,) = db.execute("SELECT target FROM publisher_delivery_claims").fetchone()
    assert target.startswith("https://hooks.slack.com/…#")

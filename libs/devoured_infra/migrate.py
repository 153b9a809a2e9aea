"""Database migrations (Alembic), runnable from code: ``devoured migrate`` and embedded mode.

One Alembic history in several folders: this library's ``migrations/versions`` (the root
``0001`` and the shared tables) and each service's own ``migrations`` folder, a branch from
``0001`` labelled with the service's name. ``locations`` names the services' folders; by default
those of every installed service (``registry.migration_locations``).
"""

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command, op
from alembic.config import Config
from sqlalchemy import text

from devoured_infra.registry import migration_locations

_MIGRATIONS = Path(__file__).parent / "migrations"
VERSIONS = _MIGRATIONS / "versions"


def alembic_config(database_url: str, locations: Sequence[Path] | None = None) -> Config:
    """The Alembic configuration for ``database_url`` over the shared revisions and those in
    ``locations`` (default: every installed service's)."""
    folders = [VERSIONS, *(migration_locations() if locations is None else locations)]
    config = Config()
    config.set_main_option("script_location", _escaped(str(_MIGRATIONS)))
    config.set_main_option("sqlalchemy.url", _escaped(database_url))
    # "os" splits on os.pathsep (":"), never on spaces; ``path_separator`` is read by
    # Alembic >= 1.16, ``version_path_separator`` by older releases.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_path_separator", "os")
    config.set_main_option("version_locations", _escaped(_joined(folders)))
    return config


def upgrade(
    database_url: str, revision: str = "heads", *, locations: Sequence[Path] | None = None
) -> None:
    """Bring the schema to ``revision``; safe to run again (and from several services at once
    on PostgreSQL, where Alembic's version table is updated transactionally)."""
    _ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url, locations), revision)


async def upgrade_async(
    database_url: str, revision: str = "heads", *, locations: Sequence[Path] | None = None
) -> None:
    """``upgrade`` from async code: Alembic's env runs its own event loop, so use a thread."""
    await asyncio.to_thread(upgrade, database_url, revision, locations=locations)


_HAS_LZ4 = text(
    "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)"
)


def toast_compression(table: str, columns: Sequence[str], method: str) -> None:
    """In a migration: PostgreSQL compresses the large values of ``table``'s ``columns`` with
    ``method`` ("lz4", or "default": the server's, pglz unless configured), on servers that
    have lz4 (14 and later, built with it); elsewhere, SQLite included, nothing changes.

    Only values written afterwards change. lz4 costs PostgreSQL about a third of pglz's CPU
    for nearly the same size (a 54 KB page: 0.45 against 1.40 CPU ms, 21 against 20 KB)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or bind.execute(_HAS_LZ4).first() is None:
        return
    changes = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in columns)
    op.execute(f"ALTER TABLE {table} {changes}")


def _joined(folders: Sequence[Path]) -> str:
    for folder in folders:
        if os.pathsep in str(folder):
            raise ValueError(f"migrate: a migrations folder path holds {os.pathsep!r}: {folder}")
    return os.pathsep.join(str(folder) for folder in folders)


def _escaped(value: str) -> str:
    """``value`` for Alembic's config parser, which reads ``%`` as interpolation."""
    return value.replace("%", "%%")


def _ensure_sqlite_dir(database_url: str) -> None:
    prefix = "sqlite+aiosqlite:///"
    if database_url.startswith(prefix) and ":memory:" not in database_url:
        Path(database_url.removeprefix(prefix)).parent.mkdir(parents=True, exist_ok=True)

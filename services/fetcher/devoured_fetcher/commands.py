"""The fetcher's operator commands (docs/fetcher.md), as the command group it contributes to
``devoured``: ``sources import|export|list``, ``submit`` and ``fetch``.

The embedded command line merges this group at its top level (``app.add_typer(commands())``,
no name), so the commands read ``devoured sources list``, ``devoured submit <url>``, …
"""

import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:  # the command line imports this module to list commands: keep it light
    from rich.console import Console

    from devoured_fetcher.uow import FetcherUnitOfWork
    from devoured_infra.settings import Settings

T = TypeVar("T")
NewUow = Callable[[], "FetcherUnitOfWork"]


def _console() -> "Console":
    """The console messages go to (stderr)."""
    from rich.console import Console

    return Console(stderr=True)


def commands() -> typer.Typer:
    """A Typer app holding the fetcher's commands; merge it without a name."""
    group = typer.Typer(no_args_is_help=True)
    sources = typer.Typer(help="Sources in the database (fetcher).", no_args_is_help=True)
    sources.command("import")(sources_import)
    sources.command("export")(sources_export)
    sources.command("list")(sources_list)
    group.add_typer(sources, name="sources")
    group.command()(submit)
    group.command()(fetch)
    return group


def _with_uow(work: Callable[[NewUow], Awaitable[T]]) -> T:
    """Run ``work(new_uow)`` against DATABASE_URL, migrated first."""
    import asyncio

    from devoured_fetcher.uow import FetcherUnitOfWork
    from devoured_infra.db import create_engine, create_sessionmaker
    from devoured_infra.migrate import upgrade_async

    async def go() -> T:
        settings = _settings()
        await upgrade_async(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            sessions = create_sessionmaker(engine)
            return await work(lambda: FetcherUnitOfWork(sessions, service="fetcher"))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def sources_import(file: Annotated[Path, typer.Argument(help="An OPML file.")]) -> None:
    """Add (or update) the feeds of an OPML file."""
    from devoured_fetcher.operator import import_opml

    added = _with_uow(lambda uow: import_opml(file.read_bytes(), uow))
    _console().print(f"imported {len(added)} feeds")


def sources_export() -> None:
    """Print every feed source as OPML."""
    from devoured_fetcher.operator import export_opml

    print(_with_uow(export_opml), end="")


def sources_list() -> None:
    """Sources with their error count, last status and next attempt."""
    from rich.console import Console
    from rich.table import Table

    from devoured_fetcher.operator import list_sources

    table = Table(show_header=True)
    for column in ("source", "kind", "enabled", "errors", "last status", "next attempt", "error"):
        table.add_column(column)
    for s in _with_uow(list_sources):
        table.add_row(
            s.source.source_id,
            s.source.kind,
            "gone" if s.gone else str(s.source.enabled).lower(),
            str(s.error_count),
            str(s.last_status or "-"),
            s.next_poll_at.isoformat(timespec="seconds") if s.next_poll_at else "due",
            (s.last_error or "")[:80],
        )
    Console().print(table)


def submit(url: Annotated[str, typer.Argument(help="An article URL.")]) -> None:
    """Queue one article URL for the scheduler's next tick."""
    from devoured_fetcher.operator import submit_url

    source = _with_uow(lambda uow: submit_url(url, uow))
    _console().print(f"submitted {source.url} as {source.source_id}")


def fetch(url: Annotated[str, typer.Argument(help="A feed or page URL.")]) -> None:
    """Fetch one URL as the fetcher would; print one JSON object.

    Uses the fetcher's own code and settings. Exits 1 when the outcome is an error.
    """
    import asyncio

    from devoured_fetcher.operator import fetch_report
    from devoured_fetcher.settings import FetcherSettings

    report = asyncio.run(fetch_report(url, FetcherSettings()))
    print(json.dumps(report))
    if report["outcome"] == "error":
        raise typer.Exit(1)


def _settings() -> "Settings":
    """The shared settings; without a database in the environment, ``out/devoured.db`` (as
    the rest of ``devoured`` does)."""
    from devoured_infra.settings import Settings

    if any(k in os.environ for k in ("DEVOURED_DATABASE_URL", "DATABASE_URL")):
        return Settings()
    return Settings(database_url=f"sqlite+aiosqlite:///{Path('out') / 'devoured.db'}")

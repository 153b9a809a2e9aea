"""The fetcher, as the registry sees it (``devoured.services`` entry point ``fetcher``)."""

from pathlib import Path
from typing import TYPE_CHECKING

from devoured_core.messages import FetchRequested, PageFetched, UrlSubmitted
from devoured_fetcher.bootstrap import bootstrap
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.tables import metadata
from devoured_infra.service import Input, ServiceDescriptor

if TYPE_CHECKING:
    import typer


def commands() -> "typer.Typer":
    """The fetcher's command group (imported only by the command line: typer and rich)."""
    from devoured_fetcher.commands import commands as build

    return build()


SERVICE = ServiceDescriptor(
    name="fetcher",
    port=9101,
    summary="Polls sources and fetches article pages, politely.",
    inputs=(
        Input(FetchRequested, produces=(FetchRequested, PageFetched)),
        Input(UrlSubmitted, produces=(FetchRequested,)),
    ),
    bootstrap=bootstrap,
    settings=(FetcherSettings,),
    tables=metadata,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

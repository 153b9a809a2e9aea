"""The fetcher, as the registry sees it (``devoured.services`` entry point ``fetcher``).

Cheap to import (the command line reads every descriptor before it parses its arguments): its
messages, settings, tables, wiring and commands are imported only when first used.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from devoured_infra.service import Input, ServiceContext, ServiceDescriptor, Wiring

if TYPE_CHECKING:
    import typer
    from pydantic_settings import BaseSettings
    from sqlalchemy import MetaData


def inputs() -> tuple[Input, ...]:
    from devoured_core.messages import FetchRequested, PageFetched, UrlSubmitted

    return (
        Input(FetchRequested, produces=(FetchRequested, PageFetched)),
        Input(UrlSubmitted, produces=(FetchRequested,)),
    )


def bootstrap(context: ServiceContext) -> Wiring:
    from devoured_fetcher.bootstrap import bootstrap as wire

    return wire(context)


def settings() -> tuple[type["BaseSettings"], ...]:
    from devoured_fetcher.settings import FetcherSettings

    return (FetcherSettings,)


def tables() -> "MetaData":
    from devoured_fetcher.tables import metadata

    return metadata


def commands() -> "typer.Typer":
    """The fetcher's command group (imported only by the command line: typer and rich)."""
    from devoured_fetcher.commands import commands as build

    return build()


SERVICE = ServiceDescriptor(
    name="fetcher",
    port=9101,
    summary="Polls sources and fetches article pages, politely.",
    inputs=inputs,
    bootstrap=bootstrap,
    settings=settings,
    tables=tables,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

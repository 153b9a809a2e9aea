"""The extractor, as the registry sees it (``devoured.services`` entry point ``extractor``).

Cheap to import (the command line reads every descriptor before it parses its arguments): its
messages, settings, tables, wiring and commands are imported only when first used.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from devoured_infra.service import Input, ServiceContext, ServiceDescriptor, Wiring

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings
    from sqlalchemy import MetaData


def inputs() -> tuple[Input, ...]:
    from devoured_core.messages import ArticleExtracted, PageFetched

    return (Input(PageFetched, produces=(ArticleExtracted,)),)


def bootstrap(context: ServiceContext) -> Wiring:
    from devoured_extractor.bootstrap import bootstrap as wire

    return wire(context)


def settings() -> tuple[type["BaseSettings"], ...]:
    from devoured_extractor.settings import ExtractorSettings

    return (ExtractorSettings,)


def tables() -> "MetaData":
    from devoured_extractor.tables import metadata

    return metadata


def commands() -> Any:
    """The extractor's commands (``devoured extract``); typer is imported only when asked."""
    from devoured_extractor.commands import commands as build

    return build()


SERVICE = ServiceDescriptor(
    name="extractor",
    port=9102,
    summary="Extracts each fetched page's main text and metadata.",
    inputs=inputs,
    bootstrap=bootstrap,
    settings=settings,
    tables=tables,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

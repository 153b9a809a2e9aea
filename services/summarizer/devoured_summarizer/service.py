"""The summarizer, as the registry sees it (``devoured.services`` entry point ``summarizer``).

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
    from devoured_core.messages import ArticleExtracted, ArticleSummarized

    return (Input(ArticleExtracted, produces=(ArticleSummarized,)),)


def bootstrap(context: ServiceContext) -> Wiring:
    from devoured_summarizer.bootstrap import bootstrap as wire

    return wire(context)


def settings() -> tuple[type["BaseSettings"], ...]:
    from devoured_summarizer.settings import SummarizerSettings

    return (SummarizerSettings,)


def tables() -> "MetaData":
    from devoured_summarizer.tables import metadata

    return metadata


def commands() -> "typer.Typer":
    """The summarizer's commands (``devoured summarize``), a Typer app; imported only here, so
    the service's image never loads the command line."""
    from devoured_summarizer.commands import commands as group

    return group()


SERVICE = ServiceDescriptor(
    name="summarizer",
    port=9103,
    summary="Writes each article's TL;DR, Deep dive and Decoder.",
    inputs=inputs,
    bootstrap=bootstrap,
    settings=settings,
    tables=tables,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

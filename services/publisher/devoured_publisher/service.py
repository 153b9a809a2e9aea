"""The publisher, as the registry sees it (``devoured.services`` entry point ``publisher``).

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
    from devoured_core.messages import ArticleSummarized, DigestPublished

    return (Input(ArticleSummarized, produces=(DigestPublished,)),)


def bootstrap(context: ServiceContext) -> Wiring:
    from devoured_publisher.bootstrap import bootstrap as wire

    return wire(context)


def settings() -> tuple[type["BaseSettings"], ...]:
    from devoured_publisher.settings import PublisherSettings

    return (PublisherSettings,)


def tables() -> "MetaData":
    from devoured_publisher.tables import metadata

    return metadata


def commands() -> "typer.Typer":
    """The publisher's commands (``devoured digest …``); typer is imported only here."""
    from devoured_publisher.commands import commands as publisher_commands

    return publisher_commands()


SERVICE = ServiceDescriptor(
    name="publisher",
    port=9104,
    summary="Files stories into editions and publishes them: files, website, email, webhooks.",
    inputs=inputs,
    bootstrap=bootstrap,
    settings=settings,
    tables=tables,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

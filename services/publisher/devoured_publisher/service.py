"""The publisher, as the registry sees it (``devoured.services`` entry point ``publisher``)."""

from pathlib import Path
from typing import TYPE_CHECKING

from devoured_core.messages import ArticleSummarized, DigestPublished
from devoured_infra.service import Input, ServiceDescriptor
from devoured_publisher.bootstrap import bootstrap
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.tables import metadata

if TYPE_CHECKING:
    import typer


def commands() -> "typer.Typer":
    """The publisher's commands (``devoured digest …``); typer is imported only here."""
    from devoured_publisher.commands import commands as publisher_commands

    return publisher_commands()


SERVICE = ServiceDescriptor(
    name="publisher",
    port=9104,
    summary="Files stories into editions and publishes them: files, website, email, webhooks.",
    inputs=(Input(ArticleSummarized, produces=(DigestPublished,)),),
    bootstrap=bootstrap,
    settings=(PublisherSettings,),
    tables=metadata,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

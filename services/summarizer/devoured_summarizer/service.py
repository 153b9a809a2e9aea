"""The summarizer, as the registry sees it (``devoured.services`` entry point ``summarizer``)."""

from pathlib import Path
from typing import TYPE_CHECKING

from devoured_core.messages import ArticleExtracted, ArticleSummarized
from devoured_infra.service import Input, ServiceDescriptor
from devoured_summarizer.bootstrap import bootstrap
from devoured_summarizer.settings import SummarizerSettings
from devoured_summarizer.tables import metadata

if TYPE_CHECKING:
    import typer


def commands() -> "typer.Typer":
    """The summarizer's commands (``devoured summarize``), a Typer app; imported only here, so
    the service's image never loads the command line."""
    from devoured_summarizer.commands import commands as group

    return group()


SERVICE = ServiceDescriptor(
    name="summarizer",
    port=9103,
    summary="Writes each article's TL;DR, Deep dive and Decoder.",
    inputs=(Input(ArticleExtracted, produces=(ArticleSummarized,)),),
    bootstrap=bootstrap,
    settings=(SummarizerSettings,),
    tables=metadata,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

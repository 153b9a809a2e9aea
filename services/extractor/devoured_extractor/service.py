"""The extractor, as the registry sees it (``devoured.services`` entry point ``extractor``)."""

from pathlib import Path
from typing import Any

from devoured_core.messages import ArticleExtracted, PageFetched
from devoured_extractor.bootstrap import bootstrap
from devoured_extractor.settings import ExtractorSettings
from devoured_extractor.tables import metadata
from devoured_infra.service import Input, ServiceDescriptor


def commands() -> Any:
    """The extractor's commands (``devoured extract``); typer is imported only when asked."""
    from devoured_extractor.commands import commands as build

    return build()


SERVICE = ServiceDescriptor(
    name="extractor",
    port=9102,
    summary="Extracts each fetched page's main text and metadata.",
    inputs=(Input(PageFetched, produces=(ArticleExtracted,)),),
    bootstrap=bootstrap,
    settings=(ExtractorSettings,),
    tables=metadata,
    migrations=Path(__file__).parent / "migrations",
    commands=commands,
)

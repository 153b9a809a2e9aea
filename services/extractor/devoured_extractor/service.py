"""The extractor, as the registry sees it (``devoured.services`` entry point ``extractor``)."""

from pathlib import Path

from devoured_core.messages import ArticleExtracted, PageFetched
from devoured_extractor.bootstrap import bootstrap
from devoured_extractor.settings import ExtractorSettings
from devoured_infra.service import Input, ServiceDescriptor

SERVICE = ServiceDescriptor(
    name="extractor",
    port=9102,
    summary="Extracts each fetched page's main text and metadata.",
    inputs=(Input(PageFetched, produces=(ArticleExtracted,)),),
    bootstrap=bootstrap,
    settings=(ExtractorSettings,),
    migrations=Path(__file__).parent / "migrations",
)

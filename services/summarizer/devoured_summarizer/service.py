"""The summarizer, as the registry sees it (``devoured.services`` entry point ``summarizer``)."""

from pathlib import Path

from devoured_core.messages import ArticleExtracted, ArticleSummarized
from devoured_infra.service import Input, ServiceDescriptor
from devoured_summarizer.bootstrap import bootstrap
from devoured_summarizer.settings import SummarizerSettings

SERVICE = ServiceDescriptor(
    name="summarizer",
    port=9103,
    summary="Writes each article's TL;DR, Deep dive and Decoder.",
    inputs=(Input(ArticleExtracted, produces=(ArticleSummarized,)),),
    bootstrap=bootstrap,
    settings=(SummarizerSettings,),
    migrations=Path(__file__).parent / "migrations",
)

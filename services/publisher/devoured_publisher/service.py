"""The publisher, as the registry sees it (``devoured.services`` entry point ``publisher``)."""

from pathlib import Path

from devoured_core.messages import ArticleSummarized, DigestPublished
from devoured_infra.service import Input, ServiceDescriptor
from devoured_publisher.bootstrap import bootstrap
from devoured_publisher.config import PublisherSettings

SERVICE = ServiceDescriptor(
    name="publisher",
    port=9104,
    summary="Files stories into editions and publishes them: files, website, email, webhooks.",
    inputs=(Input(ArticleSummarized, produces=(DigestPublished,)),),
    bootstrap=bootstrap,
    settings=(PublisherSettings,),
    migrations=Path(__file__).parent / "migrations",
)

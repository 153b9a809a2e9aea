"""The fetcher, as the registry sees it (``devoured.services`` entry point ``fetcher``)."""

from pathlib import Path

from devoured_core.messages import FetchRequested, PageFetched, UrlSubmitted
from devoured_fetcher.bootstrap import bootstrap
from devoured_fetcher.config import FetcherSettings
from devoured_infra.service import Input, ServiceDescriptor

SERVICE = ServiceDescriptor(
    name="fetcher",
    port=9101,
    summary="Polls sources and fetches article pages, politely.",
    inputs=(
        Input(FetchRequested, produces=(FetchRequested, PageFetched)),
        Input(UrlSubmitted, produces=(FetchRequested,)),
    ),
    bootstrap=bootstrap,
    settings=(FetcherSettings,),
    migrations=Path(__file__).parent / "migrations",
)

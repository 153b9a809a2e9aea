"""The four stages as their ``wire`` builds them, on the in-memory bus, over one real
database (SQLite, ``tests/support/sqlite.py``) and with the real outbox relay: what a test
of the whole pipeline in one process needs, given its own HTTP client and clock."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from devoured_extractor.bootstrap import wire as wire_extractor
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_fetcher.bootstrap import wire as wire_fetcher
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.memory_bus import InMemoryBus
from devoured_infra.outbox import OutboxRelay
from devoured_publisher.bootstrap import wire as wire_publisher
from devoured_publisher.handlers import PublisherDeps, write_files
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_summarizer.bootstrap import wire as wire_summarizer
from devoured_summarizer.uow import SummarizerUnitOfWork
from tests.support.sqlite import TestDatabase


@dataclass
class Pipeline:
    bus: InMemoryBus
    relay: OutboxRelay
    fetcher: FetcherDeps
    publisher: PublisherDeps


def in_memory_pipeline(
    database: TestDatabase,
    settings: PublisherSettings,
    *,
    http: HttpFetcher,
    clock: Callable[[], datetime],
) -> Pipeline:
    fetch_stage, fetch_deps = wire_fetcher(
        database.uow(FetcherUnitOfWork, "fetcher"), http=http, clock=clock
    )
    publish_stage, publish_deps = wire_publisher(
        database.uow(PublisherUnitOfWork, "publisher"), settings=settings, clock=clock
    )
    bus = InMemoryBus(max_attempts=1)
    relay = OutboxRelay(
        database.sessions,
        bus,
        service=None,
        before_publish=functools.partial(write_files, deps=publish_deps),
    )
    bus.attach(
        [
            fetch_stage,
            wire_extractor(database.uow(ExtractorUnitOfWork, "extractor"), clock=clock),
            wire_summarizer(database.uow(SummarizerUnitOfWork, "summarizer"), clock=clock),
            publish_stage,
        ],
        relay=relay.flush,
    )
    return Pipeline(bus, relay, fetch_deps, publish_deps)

"""Embedded mode: the four stages' own handlers on the in-process bus, with SQLite by default."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devoured_core.messages import DeadLetter, DigestPublished
from devoured_extractor.bootstrap import bootstrap as bootstrap_extractor
from devoured_fetcher.bootstrap import bootstrap as bootstrap_fetcher
from devoured_fetcher.config import FetcherSettings
from devoured_fetcher.handlers import poll_sources
from devoured_fetcher.sources import load_sources
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.memory_bus import InMemoryBus
from devoured_infra.migrate import upgrade_async
from devoured_infra.outbox import OutboxRelay
from devoured_infra.pump import Record
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork
from devoured_publisher.bootstrap import bootstrap as bootstrap_publisher
from devoured_publisher.handlers import build_pending_editions, write_files
from devoured_summarizer.bootstrap import bootstrap as bootstrap_summarizer


@dataclass
class RunReport:
    processed: dict[str, int] = field(default_factory=dict)
    editions: list[DigestPublished] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


async def run_once(
    settings: Settings,
    on_record: Callable[[Record, int], None] | None = None,
    *,
    fetcher: FetcherSettings | None = None,
) -> RunReport:
    """Poll every source once, run every stage until the pipeline is empty, build the edition.

    ``on_record`` is told of each processed record and how many are still queued.
    """
    await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)

    def new_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, service="embedded")

    fetch_stage, fetch_deps = bootstrap_fetcher(settings, new_uow, fetcher=fetcher)
    publish_stage, publish_deps = bootstrap_publisher(settings, new_uow)
    bus = InMemoryBus(max_attempts=settings.handler_max_attempts, backoff_s=0.2)
    # One relay for the one database: every stage's outbox reaches the bus after its commit,
    # and an edition's files are written just before its DigestPublished, as in the services.
    relay = OutboxRelay(
        sessions,
        bus,
        service=None,
        before_publish=functools.partial(write_files, deps=publish_deps),
    )
    bus.attach(
        [fetch_stage, bootstrap_extractor(new_uow), bootstrap_summarizer(new_uow), publish_stage],
        relay=relay.flush,
    )
    report = RunReport()

    def count(record: Record) -> None:
        report.processed[record.topic] = report.processed.get(record.topic, 0) + 1
        if on_record is not None:
            on_record(record, bus.pending)

    try:
        await poll_sources(load_sources(settings.sources_file), deps=fetch_deps)
        await bus.drain(count)
        report.editions = await build_pending_editions(deps=publish_deps)
        await relay.flush()
    finally:
        await fetch_deps.http.aclose()
        await engine.dispose()
    report.dead_letters = bus.dead_letters
    report.files = sorted(settings.out_dir.glob("*.*"))
    return report

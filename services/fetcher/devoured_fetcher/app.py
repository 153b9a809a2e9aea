"""The fetcher service on Kafka: consumes fetch requests, runs the feed scheduler."""

import asyncio
import logging

from faststream.asgi import AsgiFastStream

from devoured_fetcher.bootstrap import bootstrap
from devoured_fetcher.handlers import FetcherDeps, poll_sources
from devoured_fetcher.sources import load_sources
from devoured_infra.bus import Publisher
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import build_app
from devoured_infra.runtime import database_ready
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork

log = logging.getLogger("devoured.fetcher")


def create_app(settings: Settings) -> AsgiFastStream:
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    stage, deps = bootstrap(settings, lambda: SqlUnitOfWork(sessions))

    async def scheduler(publisher: Publisher) -> None:
        await run_scheduler(settings, deps, publisher)

    async def close() -> None:
        await deps.http.aclose()
        await engine.dispose()

    return build_app(
        settings,
        stage,
        service="fetcher",
        background=[scheduler] if settings.scheduler_enabled else [],
        ready=database_ready(engine),
        on_shutdown=[close],
    )


async def run_scheduler(settings: Settings, deps: FetcherDeps, publisher: Publisher) -> None:
    """Request every enabled feed once per poll interval (adaptive polling comes later)."""
    while True:
        sources = load_sources(settings.sources_file) if settings.sources_file.exists() else []
        requests = await poll_sources(sources, deps=deps)
        await publisher.publish(requests)
        log.info("scheduled feed polls", extra={"feeds": len(requests)})
        await asyncio.sleep(settings.poll_interval_s)

"""The publisher service on Kafka: stores stories, rebuilds changed editions periodically,
delivers closed editions, and serves the website and JSON API on its own port."""

import asyncio
from typing import Any

from devoured_infra.bus import Publisher
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import SERVICE_PATHS, build_app
from devoured_infra.leader import EDITION_BUILDER_LOCK, LeaderLock
from devoured_infra.runtime import database_ready
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork
from devoured_publisher.bootstrap import bootstrap
from devoured_publisher.config import PublisherSettings
from devoured_publisher.handlers import build_pending_editions, deliver_closed_editions
from devoured_publisher.web import create_web_app


def create_app(settings: Settings) -> "ServiceWithWebsite":
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    options = PublisherSettings()
    stage, deps = bootstrap(settings, lambda: SqlUnitOfWork(sessions), publisher=options)

    leader = LeaderLock(engine, EDITION_BUILDER_LOCK)

    async def edition_builder(publisher: Publisher) -> None:
        """Build and deliver editions; with several replicas only the lock holder does."""
        try:
            while True:
                await asyncio.sleep(settings.edition_interval_s)
                if await leader.try_acquire():
                    await publisher.publish(await build_pending_editions(deps=deps))
                    await deliver_closed_editions(deps=deps)
        finally:
            await leader.release()

    service = build_app(
        settings,
        stage,
        service="publisher",
        background=[edition_builder],
        ready=database_ready(engine),
        on_shutdown=[engine.dispose],
    )
    return ServiceWithWebsite(service, create_web_app(deps, base_url=options.base_url))


class ServiceWithWebsite:
    """One ASGI app on the publisher's port: the service's own endpoints (metrics, health,
    lifespan that runs the consumer) and the website for every other path."""

    def __init__(self, service: Any, website: Any) -> None:
        self.service = service
        self.website = website

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or scope.get("path") in SERVICE_PATHS:
            await self.service(scope, receive, send)
        else:
            await self.website(scope, receive, send)

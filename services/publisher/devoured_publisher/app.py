"""The publisher service on Kafka: stores stories, rebuilds changed editions periodically,
delivers closed editions, and serves the website and JSON API on its own port."""

import asyncio
import functools
import logging
from typing import Any

from devoured_core.errors import StaleLeader
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import SERVICE_PATHS, Wake, build_app
from devoured_infra.leader import EDITION_BUILDER, LeaderLease
from devoured_infra.runtime import database_ready
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork
from devoured_publisher.bootstrap import bootstrap
from devoured_publisher.config import PublisherSettings
from devoured_publisher.handlers import (
    build_pending_editions,
    deliver_closed_editions,
    write_files,
)
from devoured_publisher.web import create_web_app

log = logging.getLogger("devoured.publisher")


def create_app(settings: Settings) -> "ServiceWithWebsite":
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    options = PublisherSettings()
    stage, deps = bootstrap(
        settings, lambda: SqlUnitOfWork(sessions, service="publisher"), publisher=options
    )

    leader = LeaderLease(engine, EDITION_BUILDER, ttl_s=settings.leader_ttl_s)

    async def edition_builder(wake: Wake) -> None:
        """Build and deliver editions; with several replicas only the lease holder does, and
        its writes and deliveries are fenced by its epoch."""
        try:
            while True:
                await asyncio.sleep(settings.edition_interval_s)
                if not await leader.try_acquire():
                    continue
                try:
                    if await build_pending_editions(deps=deps, leader=leader):
                        wake()
                    await deliver_closed_editions(deps=deps, leader=leader)
                except StaleLeader as error:  # another replica took over: follow it
                    log.warning("edition builder lost its lease", extra={"error": str(error)})
        finally:
            await leader.release()

    service = build_app(
        settings,
        stage,
        service="publisher",
        sessions=sessions,
        before_publish=functools.partial(write_files, deps=deps),
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

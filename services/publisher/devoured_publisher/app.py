"""The publisher service on Kafka: stores stories, rebuilds changed editions periodically."""

import asyncio

from faststream.asgi import AsgiFastStream

from devoured_infra.bus import Publisher
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import build_app
from devoured_infra.runtime import database_ready
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork
from devoured_publisher.bootstrap import bootstrap
from devoured_publisher.handlers import build_pending_editions


def create_app(settings: Settings) -> AsgiFastStream:
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    stage, deps = bootstrap(settings, lambda: SqlUnitOfWork(sessions))

    async def edition_builder(publisher: Publisher) -> None:
        while True:
            await asyncio.sleep(settings.edition_interval_s)
            await publisher.publish(await build_pending_editions(deps=deps))

    return build_app(
        settings,
        stage,
        service="publisher",
        background=[edition_builder],
        ready=database_ready(engine),
        on_shutdown=[engine.dispose],
    )

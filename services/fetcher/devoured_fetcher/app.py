"""The fetcher service on Kafka: consumes fetch requests, runs the scheduler (when leader)."""

from faststream.asgi import AsgiFastStream

from devoured_fetcher.bootstrap import bootstrap, submission_stage
from devoured_fetcher.config import FetcherSettings
from devoured_fetcher.scheduler import Scheduler
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import Wake, build_app
from devoured_infra.leader import FETCH_SCHEDULER, LeaderLease
from devoured_infra.runtime import database_ready
from devoured_infra.settings import Settings
from devoured_infra.uow import SqlUnitOfWork


def create_app(settings: Settings) -> AsgiFastStream:
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    fetcher = FetcherSettings()
    stage, deps = bootstrap(
        settings, lambda: SqlUnitOfWork(sessions, service="fetcher"), fetcher=fetcher
    )

    async def scheduler(wake: Wake) -> None:
        loop = Scheduler(
            deps,
            LeaderLease(engine, FETCH_SCHEDULER, ttl_s=settings.leader_ttl_s),
            wake,
            sources_file=settings.sources_file,
            batch=fetcher.scheduler_batch,
        )
        await loop.run(fetcher.scheduler_tick_s)

    async def close() -> None:
        await deps.http.aclose()
        await engine.dispose()

    return build_app(
        settings,
        stage,
        more_stages=[submission_stage(deps)],
        service="fetcher",
        sessions=sessions,
        background=[scheduler] if settings.scheduler_enabled else [],
        ready=database_ready(engine),
        on_shutdown=[close],
    )

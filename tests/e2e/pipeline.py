"""The whole pipeline as four OS processes on real Kafka and PostgreSQL, for the e2e tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic_settings import BaseSettings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from devoured_extractor.tables import extractor_articles
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.tables import fetcher_articles
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.tables import publisher_editions, publisher_items
from devoured_summarizer.tables import summarizer_summaries
from tests.support.kafka import provisioned_settings
from tests.support.services import SERVICES, ServiceProcess

PROGRESS_TABLES = {
    "fetcher": fetcher_articles,
    "extractor": extractor_articles,
    "summarizer": summarizer_summaries,
    "publisher": publisher_items,
}


@dataclass
class Pipeline:
    services: dict[str, ServiceProcess]
    database_url: str
    settings: Settings

    async def count(self, service: str) -> int:
        """Rows the stage has written: how far it got."""
        table = PROGRESS_TABLES[service]
        query = select(func.count()).select_from(table)
        if service == "fetcher":
            query = query.where(table.c.fetched_at.is_not(None))
        return await self._scalar(query)

    async def edition_items(self) -> int | None:
        row = await self._scalar(select(func.max(publisher_editions.c.item_count)))
        return row

    async def edition_stories(self) -> int:
        return await self._scalar(select(func.max(publisher_editions.c.story_count)))

    async def distinct_story_urls(self) -> int:
        return await self._scalar(select(func.count(func.distinct(publisher_items.c.url))))

    async def _scalar(self, query: object) -> int:
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as connection:
                value = (await connection.execute(query)).scalar()  # type: ignore[call-overload]
        finally:
            await engine.dispose()
        return int(value or 0)

    def logs(self) -> str:
        return "\n\n".join(f"--- {name} ---\n{p.log_tail()}" for name, p in self.services.items())


def pipeline_env(
    *, kafka: str, database_url: str, prefix: str, sources: Path, out_dir: Path
) -> dict[str, str]:
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DATABASE_URL": database_url,
        "DEVOURED_KAFKA_TOPIC_PREFIX": prefix,
        "DEVOURED_SOURCES_FILE": str(sources),
        "DEVOURED_OUT_DIR": str(out_dir),
        "DEVOURED_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "DEVOURED_POLL_INTERVAL_S": "5",
        "DEVOURED_FETCH_POLL_MIN_S": "5",
        "DEVOURED_FETCH_HOST_DELAY_S": "0.02",
        "DEVOURED_FETCH_SCHEDULER_TICK_S": "1",
        "DEVOURED_FETCH_LEASE_S": "15",
        "DEVOURED_FETCH_REREQUEST_AFTER_S": "15",
        "DEVOURED_EDITION_INTERVAL_S": "1",
        "DEVOURED_KAFKA_SESSION_TIMEOUT_MS": "6000",
        "DEVOURED_HANDLER_RETRY_BACKOFF_S": "0.2",
        "DEVOURED_LOG_LEVEL": "INFO",
    }


def embedded_overrides(workdir: Path, feed_url: str) -> list[BaseSettings]:
    """The fetcher's and publisher's settings for an embedded run over one local feed: the
    sources file, loopback allowed, the editions in ``workdir/out``."""
    sources = write_sources(workdir / "sources.yaml", feed_url)
    return [
        FetcherSettings(sources_file=sources, allowed_networks="127.0.0.0/8"),
        PublisherSettings(out_dir=workdir / "out"),
    ]


def write_sources(path: Path, feed_url: str) -> Path:
    path.write_text(
        f"sources:\n  - source_id: test-wire\n    name: Test Wire\n"
        f"    url: {feed_url}\n    kind: feed\n",
        encoding="utf-8",
    )
    return path


async def prepare(
    *, kafka: str, database_url: str, prefix: str, feed_url: str, workdir: Path
) -> tuple[dict[str, str], Settings]:
    """The services' environment for one feed, with the topics created."""
    env = pipeline_env(
        kafka=kafka,
        database_url=database_url,
        prefix=prefix,
        sources=write_sources(workdir / "sources.yaml", feed_url),
        out_dir=workdir / "out",
    )
    return env, await provision_topics(env)


async def provision_topics(env: dict[str, str]) -> Settings:
    return await provisioned_settings(
        env["KAFKA_BOOTSTRAP_SERVERS"],
        env["DEVOURED_KAFKA_TOPIC_PREFIX"],
        topic_partitions=3,
    )


@contextmanager
def running_pipeline(
    env: dict[str, str], log_dir: Path, database_url: str, settings: Settings
) -> Iterator[Pipeline]:
    services = {name: ServiceProcess(name, env, log_dir) for name in SERVICES}
    try:
        for process in services.values():
            process.start()
        for process in services.values():
            process.wait_ready()
        yield Pipeline(services, database_url, settings)
    finally:
        for process in services.values():
            process.stop()

"""The four services as OS processes over the running Kafka and PostgreSQL.

Each run gets a database of its own (created, migrated, dropped) and a topic prefix of its own
(so its topics and consumer groups meet nobody else's). Politeness delays are zero here, for
the benchmark only. While it runs, it samples every second: how far each stage got (rows in
its tables), the RSS of every service, and every stage's consumer lag.
"""

import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.pipeline.procs import Service, infrastructure_cpu
from bench.pipeline.site import Web
from devoured_infra import registry
from devoured_infra.lag import group_id, measure_lag
from devoured_infra.migrate import upgrade_async
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import ensure_topics

PROGRESS = {
    "fetcher": "select count(*) from fetcher_articles where fetched_at is not null",
    "extractor": "select count(*) from extractor_articles",
    "summarizer": "select count(*) from summarizer_summaries",
    "publisher": "select count(*) from publisher_items",
}
LATENCY = """
select extract(epoch from p.received_at - f.first_seen_at)
from fetcher_articles f
join extractor_articles e on e.fetched_article_id = f.article_id
join publisher_items p on p.article_id = e.article_id
"""


@dataclass
class Sample:
    at_s: float
    done: dict[str, int]
    rss: dict[str, int]
    lag: dict[str, int]


@dataclass
class KafkaRun:
    articles: int
    replicas: dict[str, int]
    wall_s: float = 0.0
    items: int = 0
    cpu_s: dict[str, float] = field(default_factory=dict)
    # PostgreSQL's and Kafka's CPU over the same span (the bench's own progress queries
    # included: one count per stage a second).
    infrastructure_cpu_s: dict[str, float] = field(default_factory=dict)
    peak_rss: dict[str, int] = field(default_factory=dict)
    final_rss: dict[str, int] = field(default_factory=dict)
    latencies_s: list[float] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    complete: bool = False

    def sustained_rate(self) -> float:
        """Articles/s into the edition between 10 % and 90 % of the items."""
        points = [(s.at_s, s.done.get("publisher", 0)) for s in self.samples]
        if not points or self.items < 10:
            return 0.0
        low = next(p for p in points if p[1] >= 0.1 * self.items)
        high = next(p for p in points if p[1] >= 0.9 * self.items)
        if high[0] <= low[0]:
            return self.items / max(self.wall_s, 1e-9)
        return (high[1] - low[1]) / (high[0] - low[0])


def server_url() -> str:
    return os.environ.get(
        "DATABASE_URL", "postgresql+asyncpg://devoured@127.0.0.1:15432/devoured"
    ).replace("postgresql://", "postgresql+asyncpg://")


def kafka_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def create_database(name: str) -> str:
    connection = await asyncpg.connect(_dsn(server_url()))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


async def drop_topics(prefix: str) -> None:
    """Delete the run's topics (and so its consumer groups' offsets) from the shared broker."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_servers())
    await admin.start()
    try:
        ours = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if ours:
            await admin.delete_topics(ours)
    except Exception as exc:  # left topics are untidy, not a failed run
        print(f"pipeline: topics {prefix}* left on the broker: {exc!r}", file=sys.stderr)
    finally:
        await admin.close()


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(_dsn(server_url()))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def service_env(
    web: Web, database_url: str, prefix: str, workdir: Path, extra: dict[str, str]
) -> dict[str, str]:
    sources = workdir / "sources.yaml"
    sources.write_text(web.sources_yaml(), encoding="utf-8")
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_servers(),
        "DATABASE_URL": database_url,
        "DEVOURED_KAFKA_TOPIC_PREFIX": prefix,
        "DEVOURED_SOURCES_FILE": str(sources),
        "DEVOURED_OUT_DIR": str(workdir / "out"),
        "DEVOURED_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        # The benchmark's only departures from production politeness and cadence.
        "DEVOURED_FETCH_HOST_DELAY_S": "0",
        "DEVOURED_POLL_INTERVAL_S": "3600",
        "DEVOURED_FETCH_SCHEDULER_TICK_S": "1",
        "DEVOURED_EDITION_INTERVAL_S": "5",
        "DEVOURED_LAG_INTERVAL_S": "5",
        "DEVOURED_LOG_LEVEL": "INFO",
        **extra,
    }


async def _lags(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, settings: Settings
) -> dict[str, int]:
    lags = {}
    for service, topic in registry.main_inputs().items():
        try:
            lags[service] = await measure_lag(
                admin, consumer, group_id(settings, service, topic), settings.physical_topic(topic)
            )
        except Exception:
            lags[service] = -1
    return lags


async def _count(engine: AsyncEngine, query: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(query))).scalar() or 0)


async def run_kafka(
    web: Web,
    *,
    replicas: dict[str, int] | None = None,
    partitions: int = 12,
    timeout_s: float = 1800.0,
    settle_s: float = 8.0,
    extra_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
) -> KafkaRun:
    """Run the web's articles through the services until every stage is idle."""
    replicas = replicas or {}
    tag = uuid.uuid4().hex[:8]
    database = f"bench_{tag}"
    prefix = f"bench{tag}."
    result = KafkaRun(web.articles, replicas)
    url = await create_database(database)
    engine = create_async_engine(url)
    try:
        await upgrade_async(url)
        settings = Settings(
            kafka_bootstrap_servers=kafka_servers(),
            kafka_topic_prefix=prefix,
            topic_partitions=partitions,
        )
        await ensure_topics(settings)
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
            workdir = Path(tmp)
            logs = log_dir or workdir
            logs.mkdir(parents=True, exist_ok=True)
            env = service_env(web, url, prefix, workdir, extra_env or {})
            services = [
                Service(name, env, logs, replica=r)
                for name in registry.names()
                for r in range(replicas.get(name, 1))
            ]
            try:
                await _drive(result, services, engine, settings, timeout_s, settle_s)
            finally:
                for service in services:
                    result.final_rss[service.label] = service.rss()
                    result.peak_rss[service.label] = service.peak_rss
                for service in services:
                    service.stop()
                for service in services:
                    result.errors[service.label] = service.errors()
        result.latencies_s = await _latencies(engine)
    finally:
        await engine.dispose()
        await drop_database(database)
        await drop_topics(prefix)
    return result


async def _drive(
    result: KafkaRun,
    services: list[Service],
    engine: AsyncEngine,
    settings: Settings,
    timeout_s: float,
    settle_s: float,
) -> None:
    for service in services:
        service.start()
    for service in services:
        await asyncio.to_thread(service.wait_ready)
    started = time.monotonic()
    infrastructure_before = infrastructure_cpu()
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False
    )
    await admin.start()
    await consumer.start()
    try:
        last_change, last_done = started, dict[str, int]()
        while True:
            now = time.monotonic()
            done = {s: await _count(engine, q) for s, q in PROGRESS.items()}
            lags = await _lags(admin, consumer, settings)
            rss = {s.label: s.rss() for s in services}
            result.samples.append(Sample(now - started, done, rss, lags))
            if done != last_done:
                last_change, last_done = now, done
            fetched_all = done["fetcher"] >= result.articles
            idle = all(v == 0 for v in lags.values()) and now - last_change >= settle_s
            if (fetched_all and idle) or now - started > timeout_s:
                result.complete = fetched_all and idle
                result.wall_s = last_change - started
                break
            await asyncio.sleep(1.0)
        result.cpu_s = {s.label: s.cpu() - s.cpu_at_ready for s in services}
        result.infrastructure_cpu_s = {
            name: cpu - infrastructure_before[name] for name, cpu in infrastructure_cpu().items()
        }
        result.items = last_done.get("publisher", 0)
        result.load = os.getloadavg()
    finally:
        await consumer.stop()
        await admin.close()


async def _latencies(engine: AsyncEngine) -> list[float]:
    async with engine.connect() as connection:
        rows = (await connection.execute(text(LATENCY))).all()
    return sorted(float(r[0]) for r in rows)

"""Embedded mode on the same web: every stage in this process on SQLite (``run_once``)."""

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from bench.pipeline.procs import cpu_seconds, rss_bytes, tree_of
from bench.pipeline.site import Web
from devoured_embedded.runner import run_once
from devoured_extractor.tables import extractor_articles
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.tables import fetcher_articles
from devoured_infra.settings import Settings
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.tables import publisher_items


@dataclass
class EmbeddedRun:
    articles: int
    wall_s: float = 0.0
    cpu_s: float = 0.0
    items: int = 0
    peak_rss: int = 0
    latencies_s: list[float] = field(default_factory=list)
    dead_letters: int = 0


def _own_tree(web: Web) -> list[int]:
    """This process and its children (the extractor's workers), not the web server."""
    server = set(tree_of(web.server_pid)) if web.server_pid else set()
    return [p for p in tree_of(os.getpid()) if p not in server]


async def run_embedded(web: Web) -> EmbeddedRun:
    result = EmbeddedRun(web.articles)
    with tempfile.TemporaryDirectory(prefix="bench-embedded-") as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(web.sources_yaml(), encoding="utf-8")
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        overrides = [
            FetcherSettings(sources_file=sources, allowed_networks="127.0.0.0/8", host_delay_s=0),
            PublisherSettings(out_dir=Path(tmp) / "out"),
        ]
        cpu_before = cpu_seconds(_own_tree(web))
        started = time.monotonic()
        report = await run_once(Settings(database_url=url), overrides=overrides)
        result.wall_s = time.monotonic() - started
        result.cpu_s = cpu_seconds(_own_tree(web)) - cpu_before
        result.peak_rss = rss_bytes(_own_tree(web))
        result.dead_letters = len(report.dead_letters)
        engine = create_async_engine(url)
        try:
            query = select(fetcher_articles.c.first_seen_at, publisher_items.c.received_at).join(
                extractor_articles,
                extractor_articles.c.fetched_article_id == fetcher_articles.c.article_id,
            )
            query = query.join(
                publisher_items, publisher_items.c.article_id == extractor_articles.c.article_id
            )
            async with engine.connect() as connection:
                rows = (await connection.execute(query)).all()
        finally:
            await engine.dispose()
    result.items = len(rows)
    result.latencies_s = sorted((r[1] - r[0]).total_seconds() for r in rows)
    return result

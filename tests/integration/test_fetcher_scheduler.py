"""The fetcher's scheduler and store against the real PostgreSQL server (and a local site)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devoured_core.messages import FetchRequested
from devoured_core.model import Source, SourceSettings
from devoured_fetcher.bootstrap import wire
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.handlers import fetch, poll_sources
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.scheduler import LEASE_NAME as FETCH_SCHEDULER
from devoured_fetcher.scheduler import Scheduler
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.leader import LeaderLease
from devoured_infra.outbox import OutboxRelay
from tests.fakes import FakeClock, RecordingPublisher
from tests.unit.conftest import LOOPBACK
from tests.unit.localsite import Reply, serving

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TTL = 0.5  # the leader lease; each replica renews it on its own ticks here


class Replica:
    """One fetcher replica: its own engine, lock, publisher and scheduler."""

    def __init__(self, database_url: str, sources: Path, clock: FakeClock, name: str) -> None:
        self.engine = create_engine(database_url)
        sessions = create_sessionmaker(self.engine)
        self.http = HttpFetcher(
            timeout_s=2, max_bytes=1 << 20, user_agent="t", allowed_networks=LOOPBACK
        )
        fetcher = FetcherSettings(lease_s=600, poll_min_s=300)
        _, self.deps = wire(
            lambda: FetcherUnitOfWork(sessions, service=f"fetcher-{name}"),
            http=self.http,
            clock=clock,
            settings=fetcher,
        )
        self.lock = LeaderLease(self.engine, FETCH_SCHEDULER, ttl_s=TTL, renew_every_s=3600)
        self.published = RecordingPublisher()
        # What this replica committed to the outbox, as its relay would publish it.
        self.relay = OutboxRelay(sessions, self.published, service=f"fetcher-{name}")
        self.scheduler = Scheduler(
            self.deps, self.lock, lambda: None, sources_file=sources, name=name
        )

    async def emitted(self) -> list[str]:
        await self.relay.flush()
        return [
            m.source.source_id for _, m in self.published.published if isinstance(m, FetchRequested)
        ]

    async def close(self) -> None:
        await self.lock.release()
        await self.http.aclose()
        await self.engine.dispose()


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        + "".join(
            f"  - source_id: f{i}\n    name: Feed {i}\n    url: https://f{i}.test/feed\n"
            for i in range(3)
        )
        + "  - source_id: slow\n    name: Slow\n    url: https://slow.test/feed\n"
        "    poll_min_s: 3600\n    user_agent: Custom/1.0\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
async def replicas(
    database_url: str, sources_file: Path
) -> AsyncIterator[tuple[Replica, Replica, FakeClock]]:
    clock = FakeClock(NOW)
    a = Replica(database_url, sources_file, clock, "a")
    b = Replica(database_url, sources_file, clock, "b")
    yield a, b, clock
    await a.close()
    await b.close()


async def test_only_the_leader_emits_and_another_takes_over_when_it_dies(
    replicas: tuple[Replica, Replica, FakeClock], database_url: str
) -> None:
    a, b, clock = replicas
    assert await a.scheduler.tick() == 4
    assert await b.scheduler.tick() == 0
    assert (a.scheduler.leading, b.scheduler.leading) == (True, False)
    assert await a.scheduler.tick() == 0  # leased: not emitted twice
    clock.advance(timedelta(minutes=11))
    assert await b.scheduler.tick() == 0
    assert await a.scheduler.tick() == 4
    # The leader dies, pauses or is cut off without releasing: its lease expires after TTL.
    await asyncio.sleep(TTL + 0.1)
    clock.advance(timedelta(minutes=11))
    assert await b.scheduler.tick() == 4
    assert b.scheduler.leading
    assert (a.lock.epoch, b.lock.epoch) == (1, 2)  # a new holder, a new term
    assert await a.scheduler.tick() == 0  # the old leader reconnects as a follower
    assert not a.scheduler.leading
    assert sorted(await a.emitted()) == sorted(["f0", "f1", "f2", "slow"] * 2)
    assert sorted(await b.emitted()) == ["f0", "f1", "f2", "slow"]


async def test_sources_live_in_postgres_with_settings_and_schedule(
    replicas: tuple[Replica, Replica, FakeClock],
) -> None:
    a, _, _ = replicas
    await a.scheduler.tick()  # seeds the YAML, per-source settings included
    async with a.deps.new_uow() as uow:
        assert await uow.sources.settings_of("slow") == SourceSettings(
            poll_min_s=3600.0, user_agent="Custom/1.0"
        )
    with serving() as site:
        feed = site.route("/feed", Reply(503, b"busy", {"retry-after": "7200"}))
        requests = await poll_sources([Source(source_id="busy", name="B", url=feed)], deps=a.deps)
        [request] = [r for r in requests if r.source.source_id == "busy"]
        assert await fetch(request, deps=a.deps) == []
    async with a.deps.new_uow() as uow:
        status = {s.source.source_id: s for s in await uow.sources.statuses()}["busy"]
    assert (status.last_status, status.error_count) == (503, 1)
    assert status.last_error == "feed: HTTP 503"
    assert status.next_poll_at is not None
    assert status.next_poll_at - NOW >= timedelta(seconds=7200)


async def test_article_seen_under_its_canonical_url_is_not_fetched_again(
    replicas: tuple[Replica, Replica, FakeClock],
) -> None:
    deps: FetcherDeps = replicas[0].deps
    with serving() as site:
        canonical = site.url("/story")
        page = f'<html><head><link rel="canonical" href="{canonical}"></head><body>x</body></html>'
        site.route("/story-amp", Reply(200, page.encode(), {"content-type": "text/html"}))
        rss = {"content-type": "application/rss+xml"}
        for name, link in (("one", site.url("/story-amp")), ("two", canonical + "?utm_source=x")):
            body = f'<rss version="2.0"><channel><item><link>{link}</link></item></channel></rss>'
            site.route(f"/{name}.xml", Reply(200, body.encode(), rss))
        sources = [
            Source(source_id=name, name=name, url=site.url(f"/{name}.xml"))
            for name in ("one", "two")
        ]
        first, second = await poll_sources(sources, deps=deps)
        [article] = await fetch(first, deps=deps)
        assert isinstance(article, FetchRequested)
        assert len(await fetch(article, deps=deps)) == 1
        assert await fetch(second, deps=deps) == []  # lists the canonical URL: already seen
    assert "/story" not in site.paths()

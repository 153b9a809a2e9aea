"""The fetcher dispatches on the command's type, and per-source settings stay typed from the
sources file to the store and back."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from devoured_core.errors import InvalidMessage
from devoured_core.messages import FetchArticle, FetchRequested, Message, PageFetched, PollFeed
from devoured_core.model import SourceSettings
from devoured_fetcher.articles import ARTICLE_ACCEPT
from devoured_fetcher.bootstrap import wire
from devoured_fetcher.handlers import FEED_ACCEPT, fetch, schedule_due
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.scheduler import save_source_configs
from devoured_fetcher.sources import parse_source_configs
from devoured_fetcher.tables import fetcher_sources
from devoured_fetcher.uow import FetcherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.fetcher.store import source_row
from tests.unit.localsite import LocalSite, Reply

RSS = (Path(__file__).parents[2] / "testdata" / "feeds" / "rss2.xml").read_bytes()
HTML = {"content-type": "text/html; charset=utf-8"}
NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)


class Fetcher:
    def __init__(self, http: HttpFetcher, database: TestDatabase) -> None:
        self.database = database
        self.clock = FakeClock(NOW)
        new_uow = database.uow(FetcherUnitOfWork, "fetcher")
        self.stage, self.deps = wire(new_uow, http=http, clock=self.clock)

    async def handle(self, msg: FetchRequested) -> list[Message]:
        return list(await self.stage.handle(msg))


@pytest.fixture
def fetcher(http: HttpFetcher, database: TestDatabase) -> Fetcher:
    return Fetcher(http, database)


# --- dispatch on the type ------------------------------------------------------------------


async def test_a_feed_poll_takes_the_feed_path(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/page", Reply(200, b"<html><p>a page</p></html>", HTML))
    outputs = await fetcher.handle(PollFeed(url=url, source=samples.SOURCE))
    assert outputs == []  # an HTML page is no feed: nothing to fetch from it
    assert [r.headers["accept"] for r in site.requests] == [FEED_ACCEPT]


async def test_an_article_fetch_takes_the_article_path(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/page", Reply(200, b"<html><p>a page</p></html>", HTML))
    [page] = await fetcher.handle(FetchArticle(url=url, source=samples.SOURCE))
    assert isinstance(page, PageFetched)
    assert [r.headers["accept"] for r in site.requests] == [ARTICLE_ACCEPT]


async def test_an_old_article_record_is_fetched_as_an_article(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/page", Reply(200, b"<html><p>a page</p></html>", HTML))
    raw = (
        '{"schema_version":1,"message_id":"old","occurred_at":"2026-11-29T05:00:00Z",'
        f'"url":"{url}","kind":"article",'
        '"source":{"source_id":"s","name":"S","section":null,"weight":1.0},'
        '"attempt":0,"entry":null}'
    )
    message = fetcher.stage.message_type.model_validate_json(raw)  # as the transport does
    assert isinstance(message, FetchArticle)
    [page] = await fetcher.handle(message)
    assert isinstance(page, PageFetched)


async def test_a_feed_poll_emits_typed_article_fetches(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/feed.xml", Reply(200, RSS, {"content-type": "application/rss+xml"}))
    requests = await fetcher.handle(PollFeed(url=url, source=samples.SOURCE))
    assert requests
    assert all(type(r) is FetchArticle and r.kind == "article" for r in requests)


async def test_an_untyped_request_is_refused(fetcher: Fetcher) -> None:
    untyped = FetchRequested.model_construct(
        url="https://x.test/", kind="feed", source=samples.SOURCE
    )
    with pytest.raises(InvalidMessage):
        await fetch(untyped, deps=fetcher.deps)


# --- per-source settings -------------------------------------------------------------------

SOURCES = """
sources:
  - name: Slow
    url: {url}
    poll_min_s: 3600
    user_agent: Custom/1.0
    headers: {{X-Token: t1}}
  - name: Plain
    url: {url}
"""


async def _seed(fetcher: Fetcher, url: str) -> None:
    configs = parse_source_configs(SOURCES.format(url=url).encode(), Path("sources.yaml"))
    await save_source_configs(fetcher.deps, configs)


async def test_settings_are_stored_as_given_and_read_back_typed(fetcher: Fetcher) -> None:
    await _seed(fetcher, "https://lantern.test/feed.xml")
    # The JSON column keeps only what was given; a source without settings stores none.
    assert (await source_row(fetcher.database, "slow"))["settings"] == {
        "poll_min_s": 3600.0,
        "user_agent": "Custom/1.0",
        "headers": {"X-Token": "t1"},
    }
    assert (await source_row(fetcher.database, "plain"))["settings"] is None
    expected = SourceSettings(poll_min_s=3600, user_agent="Custom/1.0", headers={"X-Token": "t1"})
    async with fetcher.deps.new_uow() as uow:
        assert await uow.sources.settings_of("slow") == expected
        assert await uow.sources.settings_of("plain") == SourceSettings()
        assert await uow.sources.settings_of("missing") == SourceSettings()
        due = {d.source.source_id: d.settings for d in await uow.sources.due_sources(NOW)}
        statuses = {s.source.source_id: s.settings for s in await uow.sources.statuses()}
    assert due == statuses == {"slow": expected, "plain": SourceSettings()}


async def _poll_slow(fetcher: Fetcher) -> None:
    [poll] = [
        r
        for r in await schedule_due(deps=fetcher.deps)
        if isinstance(r, PollFeed) and r.source.source_id == "slow"
    ]
    assert await fetcher.handle(poll) == []


async def test_a_poll_uses_the_sources_settings(fetcher: Fetcher, site: LocalSite) -> None:
    # A failing feed is polled again after poll_min_s (the first backoff step).
    url = site.route("/feed.xml", Reply(500, b"", HTML))
    await _seed(fetcher, url)
    await _poll_slow(fetcher)
    [request] = site.requests
    assert (request.headers["user-agent"], request.headers["x-token"]) == ("Custom/1.0", "t1")
    row = await source_row(fetcher.database, "slow")
    assert row["last_error"] == "feed: HTTP 500"
    assert row["next_poll_at"] is not None
    assert row["next_poll_at"] - NOW >= timedelta(seconds=3600)


async def _store_raw_settings(database: TestDatabase, source_id: str, value: object) -> None:
    """Write a settings column no ``SourceSettings`` would produce (an older release's, or a
    hand edit), past the repository."""
    async with database.engine.begin() as connection:
        await connection.execute(
            update(fetcher_sources)
            .where(fetcher_sources.c.source_id == source_id)
            .values(settings=value)
        )


async def test_a_stored_row_with_bad_settings_is_still_polled(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/feed.xml", Reply(500, b"", HTML))
    await _seed(fetcher, url)
    await _store_raw_settings(
        fetcher.database,
        "slow",
        {"poll_min_s": "soon", "colour": "blue", "user_agent": "Kept/2.0"},
    )
    async with fetcher.deps.new_uow() as uow:
        assert await uow.sources.settings_of("slow") == SourceSettings(user_agent="Kept/2.0")
    await _poll_slow(fetcher)
    [request] = site.requests
    assert request.headers["user-agent"] == "Kept/2.0"  # the valid setting still applies
    row = await source_row(fetcher.database, "slow")
    assert row["last_error"] == "feed: HTTP 500"
    assert row["next_poll_at"] is not None
    assert row["next_poll_at"] - NOW < timedelta(seconds=3600)  # the service's bounds


def test_stored_settings_are_read_leniently() -> None:
    assert SourceSettings.from_stored(None) == SourceSettings()
    assert SourceSettings.from_stored(["not", "a", "mapping"]) == SourceSettings()
    assert SourceSettings.from_stored({"poll_max_s": 60, "headers": {"A": 1}}) == SourceSettings(
        poll_max_s=60
    )
    assert SourceSettings(poll_min_s=None).stored() is None


def test_the_sources_file_is_still_strict_about_settings() -> None:
    bad = b"sources:\n  - name: A\n    url: https://a.test/\n    poll_min_s: soon\n"
    with pytest.raises(Exception, match="poll_min_s"):
        parse_source_configs(bad, Path("sources.yaml"))

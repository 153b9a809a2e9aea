"""Fetcher handlers, wired by ``bootstrap`` to a real SQLite database and a real HTTP server on
127.0.0.1."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from devoured_core.messages import FetchArticle, FetchRequested, Message, PageFetched
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_fetcher.articles import fetch_article
from devoured_fetcher.bootstrap import wire
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.handlers import poll_sources, schedule_due
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.politeness import HostLimiter
from devoured_fetcher.robots import RobotsCache
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.bus import Stage
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.fetcher.store import article_rows, source_ids, source_row
from tests.unit.localsite import LocalSite, Reply, SeenRequest

FEEDS = Path(__file__).parents[2] / "testdata" / "feeds"
RSS = (FEEDS / "rss2.xml").read_bytes()
RSS_TYPE = {"content-type": "application/rss+xml"}
CACHE_POST = "https://blog.lantern.test/posts/columnar-cache?utm_source=rss"
REREQUEST_AFTER = timedelta(minutes=10)


class Fetcher:
    """The fetcher stage as bootstrap builds it, plus its database and a fake clock."""

    def __init__(self, http: HttpFetcher, database: TestDatabase) -> None:
        self.database = database
        self.clock = FakeClock(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
        settings = FetcherSettings(rerequest_after_s=REREQUEST_AFTER.total_seconds())
        new_uow = database.uow(FetcherUnitOfWork, "fetcher")
        self.stage, self.deps = wire(new_uow, settings=settings, http=http, clock=self.clock)

    async def article(self, article_id: str) -> dict[str, Any]:
        """The committed row of one article request."""
        return (await article_rows(self.database))[article_id]

    async def source(self, source_id: str) -> dict[str, Any]:
        return await source_row(self.database, source_id)

    async def handle(self, msg: FetchRequested) -> list[Message]:
        return list(await self.stage.handle(msg))

    async def feed_request(self, url: str) -> FetchRequested:
        source = Source(source_id="lantern", name="Lantern Works", url=url, section="Data")
        [request] = await poll_sources([source], deps=self.deps)
        return request


@pytest.fixture
def fetcher(http: HttpFetcher, database: TestDatabase) -> Fetcher:
    return Fetcher(http, database)


def test_bootstrap_binds_the_fetch_stage(fetcher: Fetcher) -> None:
    assert isinstance(fetcher.stage, Stage)
    assert fetcher.stage.message_type is FetchRequested
    assert isinstance(fetcher.deps, FetcherDeps)


# --- feeds --------------------------------------------------------------------------------


async def test_poll_sources_stores_sources_and_requests_enabled_feeds(fetcher: Fetcher) -> None:
    sources = [
        Source(source_id="b-feed", name="B", url="https://b.test/feed"),
        Source(source_id="a-feed", name="A", url="https://a.test/feed", weight=2.0),
        Source(source_id="off", name="Off", url="https://off.test/feed", enabled=False),
    ]
    requests = await poll_sources(sources, deps=fetcher.deps)
    assert [(r.url, r.kind, r.source.source_id) for r in requests] == [
        ("https://a.test/feed", "feed", "a-feed"),
        ("https://b.test/feed", "feed", "b-feed"),
    ]
    assert requests[0].source.weight == 2.0
    assert await source_ids(fetcher.database) == {"a-feed", "b-feed", "off"}


async def test_feed_poll_requests_every_new_entry(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/feed.xml", Reply(200, RSS, RSS_TYPE))
    feed = await fetcher.feed_request(url)

    out = await fetcher.handle(feed)

    relative = site.url("/posts/relative-link")
    assert [(m.url, m.kind) for m in out if isinstance(m, FetchRequested)] == [
        (CACHE_POST, "article"),
        (relative, "article"),
    ]
    first = out[0]
    assert isinstance(first, FetchRequested)
    assert first.source == feed.source
    assert first.entry is not None
    assert first.entry.guid == "lantern-post-101"
    rows = await article_rows(fetcher.database)
    assert set(rows) == {article_id_for(CACHE_POST), article_id_for(relative)}
    assert all(
        r["requested_at"] == fetcher.clock.now and r["fetched_at"] is None for r in rows.values()
    )
    source = await fetcher.source("lantern")
    assert (source["last_status"], source["last_error"]) == (200, None)


async def test_feed_poll_requests_only_entries_not_fetched_yet(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/feed.xml", Reply(200, RSS, RSS_TYPE))
    feed = await fetcher.feed_request(url)
    async with fetcher.deps.new_uow() as uow:
        await uow.article_requests.mark_fetched(
            article_id_for(CACHE_POST),
            url=CACHE_POST,
            source_id="lantern",
            at=fetcher.clock.now - timedelta(days=1),
            status=200,
        )
        await uow.commit()

    out = await fetcher.handle(feed)

    assert [m.url for m in out if isinstance(m, FetchRequested)] == [
        site.url("/posts/relative-link")
    ]


async def test_second_poll_requests_nothing(fetcher: Fetcher, site: LocalSite) -> None:
    feed = await fetcher.feed_request(site.route("/feed.xml", Reply(200, RSS, RSS_TYPE)))
    assert len(await fetcher.handle(feed)) == 2
    fetcher.clock.advance(REREQUEST_AFTER / 2)

    assert await fetcher.handle(feed) == []
    assert site.paths() == ["/feed.xml", "/feed.xml"]


async def test_lost_requests_are_sent_again_after_the_rerequest_delay(
    fetcher: Fetcher, site: LocalSite
) -> None:
    feed = await fetcher.feed_request(site.route("/feed.xml", Reply(200, RSS, RSS_TYPE)))
    await fetcher.handle(feed)
    fetcher.clock.advance(REREQUEST_AFTER + timedelta(seconds=1))

    again = await fetcher.handle(feed)

    assert len(again) == 2
    row = await fetcher.article(article_id_for(CACHE_POST))
    assert row["requested_at"] == fetcher.clock.now
    assert row["first_seen_at"] == fetcher.clock.now - REREQUEST_AFTER - timedelta(seconds=1)


async def test_not_modified_feed_uses_etag_and_requests_nothing(
    fetcher: Fetcher, site: LocalSite
) -> None:
    def conditional(request: SeenRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"etag": '"v1"'})
        return Reply(200, RSS, RSS_TYPE | {"etag": '"v1"', "last-modified": "Sat, 28 Nov 2026"})

    feed = await fetcher.feed_request(site.route("/feed.xml", conditional))
    await fetcher.handle(feed)
    assert (await fetcher.source("lantern"))["etag"] == '"v1"'
    # Past the re-request delay a 200 would request both entries again; a 304 must not.
    fetcher.clock.advance(REREQUEST_AFTER * 2)

    out = await fetcher.handle(feed)

    assert out == []
    assert "if-none-match" not in site.requests[0].headers
    assert site.requests[1].headers["if-none-match"] == '"v1"'
    assert site.requests[1].headers["if-modified-since"] == "Sat, 28 Nov 2026"
    row = await fetcher.source("lantern")
    assert (row["last_status"], row["etag"], row["last_polled_at"]) == (
        304,
        '"v1"',
        fetcher.clock.now,
    )


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(500, b"oops", {"content-type": "text/plain"}), "HTTP 500"),
        (Reply(410, b"gone", {"content-type": "text/plain"}), "HTTP 410"),
        (Reply(200, (FEEDS / "malformed.xml").read_bytes(), RSS_TYPE), "malformed"),
    ],
)
async def test_failed_feed_poll_is_recorded_and_emits_nothing(
    fetcher: Fetcher, site: LocalSite, reply: Reply, reason: str
) -> None:
    feed = await fetcher.feed_request(site.route("/feed.xml", reply))

    assert await fetcher.handle(feed) == []
    assert await fetcher.handle(feed) == []

    row = await fetcher.source("lantern")
    assert row["last_error"] is not None
    assert reason in row["last_error"]
    assert row["error_count"] == 2
    assert await article_rows(fetcher.database) == {}


async def test_blocked_feed_is_recorded_as_an_error(
    site: LocalSite, database: TestDatabase
) -> None:
    fetcher = HttpFetcher(timeout_s=5.0, max_bytes=1024, user_agent="t")
    try:
        stage = Fetcher(fetcher, database)
        feed = await stage.feed_request(site.route("/feed.xml", Reply(200, RSS, RSS_TYPE)))
        assert await stage.handle(feed) == []
    finally:
        await fetcher.aclose()
    row = await stage.source("lantern")
    assert row["last_error"] is not None
    assert "non-public" in row["last_error"]
    assert site.requests == []


# --- articles -----------------------------------------------------------------------------


HTML = {"content-type": "text/html; charset=utf-8"}


def article_request(url: str) -> FetchArticle:
    return FetchArticle(url=url, source=samples.SOURCE, entry=samples.entry(link=url))


async def test_article_page_becomes_page_fetched(fetcher: Fetcher, site: LocalSite) -> None:
    body = "<html><body><p>Crème brûlée</p></body></html>".encode("iso-8859-1")
    headers = {"content-type": "text/html; charset=iso-8859-1", "etag": '"p1"'}
    url = site.route("/articles/one?utm_source=feed", Reply(200, body, headers))
    request = article_request(url)

    [page] = await fetcher.handle(request)

    assert isinstance(page, PageFetched)
    assert page.article_id == article_id_for(url)
    assert page.url == url
    assert page.body == "<html><body><p>Crème brûlée</p></body></html>"
    assert page.headers == headers
    assert page.entry == request.entry
    assert page.source == request.source
    assert page.fetched_at == fetcher.clock.now
    row = await fetcher.article(page.article_id)
    assert (row["status"], row["error"], row["fetched_at"]) == (200, None, fetcher.clock.now)


async def test_a_fetched_page_is_committed_to_the_outbox_with_the_mark_that_it_was_fetched(
    fetcher: Fetcher, site: LocalSite
) -> None:
    """At least once: a crash between the commit and the publish redelivers the same request;
    the page is already in the outbox (the relay sends it), so the redelivery fetches nothing
    and neither does another request for the finished article."""
    url = site.route("/articles/once", Reply(200, b"<html><p>x</p></html>", HTML))
    request = article_request(url)

    [first] = await fetcher.handle(request)
    again = await fetcher.handle(request)  # the same message, redelivered
    later = await fetcher.handle(article_request(url))  # a new request, e.g. from another feed

    assert isinstance(first, PageFetched)
    assert await fetcher.database.outbox() == [first]
    assert (await fetcher.article(first.article_id))["fetched_at"] is not None
    assert again == later == []
    assert site.paths() == ["/articles/once"]


async def test_a_polls_requests_are_committed_to_the_outbox_with_the_marks(
    fetcher: Fetcher, site: LocalSite
) -> None:
    """A redelivered poll has nothing new to request (its entries are marked and its ETag may
    be stored), so the requests of the first poll must already be in the outbox."""
    url = site.route("/feed.xml", Reply(200, RSS, RSS_TYPE))
    poll = await fetcher.feed_request(url)
    polls_queued = await fetcher.database.outbox()

    first = await fetcher.handle(poll)
    again = await fetcher.handle(poll)

    assert len(first) == 2
    assert again == []
    assert await fetcher.database.outbox() == [*polls_queued, *first]


async def test_redirected_article_keeps_its_id_and_reports_canonical_final_url(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/short/1", Reply(301, b"", {"location": "/articles/full#top"}))
    site.route("/articles/full", Reply(200, b"<p>full</p>", {"content-type": "text/html"}))

    [page] = await fetcher.handle(article_request(url))

    assert isinstance(page, PageFetched)
    assert page.article_id == article_id_for(url)
    assert page.final_url == canonicalize_url(site.url("/articles/full"))


@pytest.mark.parametrize(
    "claimed",
    [
        "https://victim.test/posts/1",
        "https://www.victim.test/posts/1",
        "//victim.test/posts/1",  # scheme-relative: still another site
        "https://user@victim.test/posts/1",
        "https://xn--vctim-9ya.test/posts/1",  # a homograph of victim.test is another site too
    ],
)
async def test_canonical_on_another_site_does_not_mark_its_article_fetched(
    fetcher: Fetcher, site: LocalSite, claimed: str
) -> None:
    """A page cannot suppress another site's article by claiming its URL (issue 13)."""
    page = f'<html><head><link rel="canonical" href="{claimed}"></head><p>x</p></html>'
    url = site.route("/articles/hijack", Reply(200, page.encode(), {"content-type": "text/html"}))

    [fetched] = await fetcher.handle(article_request(url))

    assert isinstance(fetched, PageFetched)
    victim = article_id_for(urljoin(url, claimed))
    rows = await article_rows(fetcher.database)
    assert victim not in rows
    assert set(rows) == {article_id_for(url)}


async def test_canonical_on_the_same_site_marks_its_article_fetched(
    fetcher: Fetcher, site: LocalSite
) -> None:
    page = b'<html><head><link rel="canonical" href="/articles/real"></head><p>x</p></html>'
    url = site.route("/articles/alias", Reply(200, page, {"content-type": "text/html"}))

    await fetcher.handle(article_request(url))

    assert article_id_for(site.url("/articles/real")) in await article_rows(fetcher.database)


async def test_missing_article_is_recorded_without_output(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.url("/articles/missing")

    assert await fetcher.handle(article_request(url)) == []

    row = await fetcher.article(article_id_for(url))
    assert row["error"] is not None
    assert "404" in row["error"]
    assert row["fetched_at"] is not None  # finished for good: not requested again
    assert fetcher.database.commits == 1


async def test_missing_article_is_not_requested_again(fetcher: Fetcher, site: LocalSite) -> None:
    feed_body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Gone</title><link>/articles/gone</link></item></channel></rss>"
    )
    feed = await fetcher.feed_request(site.route("/feed.xml", Reply(200, feed_body, RSS_TYPE)))
    [article] = await fetcher.handle(feed)
    assert isinstance(article, FetchRequested)
    assert await fetcher.handle(article) == []
    fetcher.clock.advance(REREQUEST_AFTER * 3)

    assert await fetcher.handle(feed) == []


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
async def test_non_html_article_is_skipped(
    fetcher: Fetcher, site: LocalSite, content_type: str
) -> None:
    url = site.route("/files/report", Reply(200, b"%PDF-1.7", {"content-type": content_type}))

    assert await fetcher.handle(article_request(url)) == []

    row = await fetcher.article(article_id_for(url))
    assert row["error"] is not None
    assert content_type in row["error"]


async def test_xhtml_article_is_accepted(fetcher: Fetcher, site: LocalSite) -> None:
    headers = {"content-type": "application/xhtml+xml; charset=utf-8"}
    url = site.route("/x", Reply(200, b"<html><p>x</p></html>", headers))
    assert len(await fetcher.handle(article_request(url))) == 1


async def test_a_server_error_puts_the_article_off_and_the_scheduler_sends_it_again(
    fetcher: Fetcher, site: LocalSite
) -> None:
    """A site's 503 is the site's trouble, not the record's: no dead letter, no retry loop
    holding the partition; the request comes back when it is due."""
    url = site.route("/busy", Reply(503, b"try later", {"content-type": "text/html"}))
    request = article_request(url)

    assert await fetcher.handle(request) == []

    row = await fetcher.article(article_id_for(url))
    assert (row["fetched_at"], row["attempts"]) == (None, 1)
    assert row["error"] is not None
    assert "503" in row["error"]
    assert row["retry_at"] == fetcher.clock.now + REREQUEST_AFTER
    assert await schedule_due(deps=fetcher.deps) == []  # not due yet

    fetcher.clock.advance(REREQUEST_AFTER)
    [again] = await schedule_due(deps=fetcher.deps)
    assert (again.url, again.entry) == (request.url, request.entry)
    assert again.message_id != request.message_id
    assert await fetcher.database.outbox() == [again]

    site.route("/busy", Reply(200, b"<html><p>back again</p></html>", HTML))
    [page] = await fetcher.handle(again)
    assert isinstance(page, PageFetched)
    fetcher.clock.advance(timedelta(days=2))
    assert await schedule_due(deps=fetcher.deps) == []  # fetched: never sent again


async def test_an_article_that_keeps_failing_is_given_up_after_its_attempts(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/down", Reply(500, b"", {"content-type": "text/html"}))
    deps = replace(fetcher.deps, article_max_attempts=2)
    for _ in range(3):
        assert await fetch_article(article_request(url), deps=deps) == []
        fetcher.clock.advance(timedelta(days=1))

    row = await fetcher.article(article_id_for(url))
    assert row["fetched_at"] is not None
    assert row["error"] is not None
    assert row["error"].startswith("gave up after 2 attempts: ")
    assert await schedule_due(deps=fetcher.deps) == []


async def test_a_lost_article_request_is_sent_again_with_a_growing_delay(
    fetcher: Fetcher, site: LocalSite
) -> None:
    """The requests of a poll are lost (say their partition's log was lost): the scheduler
    sends them again once ``rerequest_after`` has passed, then after twice as long."""
    url = site.route("/feed.xml", Reply(200, RSS, RSS_TYPE))
    polled = await fetcher.handle(await fetcher.feed_request(url))

    def articles(requests: list[FetchRequested]) -> set[str]:
        return {r.url for r in requests if r.kind == "article"}

    fetcher.clock.advance(REREQUEST_AFTER)
    assert articles(await schedule_due(deps=fetcher.deps)) == {
        m.url for m in polled if isinstance(m, FetchRequested)
    }
    fetcher.clock.advance(REREQUEST_AFTER)
    assert articles(await schedule_due(deps=fetcher.deps)) == set()
    fetcher.clock.advance(REREQUEST_AFTER)
    assert len(articles(await schedule_due(deps=fetcher.deps))) == 2


async def test_robots_txt_unavailable_puts_the_article_off_instead_of_giving_it_up(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/story", Reply(200, b"<html><p>story</p></html>", HTML))
    site.route("/robots.txt", Reply(503, b"", {"content-type": "text/plain"}))

    async def get(robots_url: str) -> tuple[int, bytes]:
        response = await fetcher.deps.http.get(robots_url, accept="text/plain")
        return response.status, response.body

    deps = replace(fetcher.deps, robots=RobotsCache(get, user_agent="DevouredBot"))

    assert await fetch_article(article_request(url), deps=deps) == []

    row = await fetcher.article(article_id_for(url))
    assert row["fetched_at"] is None
    assert row["error"] == "article: robots.txt unavailable"
    assert row["retry_at"] is not None
    assert row["retry_at"] >= fetcher.clock.now + timedelta(minutes=5)
    assert "/story" not in site.paths()


async def test_a_long_retry_after_puts_the_hosts_articles_off_instead_of_sleeping(
    site: LocalSite, database: TestDatabase
) -> None:
    """A handler must finish well within the consumer's poll interval: an hour's Retry-After
    becomes a retry time, not an hour asleep holding the partition."""
    limited = HttpFetcher(
        timeout_s=5.0,
        max_bytes=64 * 1024,
        user_agent="DevouredTest/1.0",
        allowed_networks=(ip_network("127.0.0.0/8"),),
        limiter=HostLimiter(concurrency=1, min_delay_s=0.0),
    )
    fetcher = Fetcher(limited, database)
    try:
        first = site.route("/a", Reply(429, b"", {"retry-after": "3600"}))
        second = site.route("/b", Reply(200, b"<html><p>b</p></html>", HTML))

        assert await fetcher.handle(article_request(first)) == []
        outcome = await asyncio.wait_for(fetcher.handle(article_request(second)), timeout=10)
    finally:
        await limited.aclose()

    assert outcome == []
    rows = await article_rows(fetcher.database)
    hour = fetcher.clock.now + timedelta(hours=1)
    assert rows[article_id_for(first)]["retry_at"] == hour
    later = rows[article_id_for(second)]["retry_at"]
    assert later is not None
    assert later >= fetcher.clock.now + timedelta(minutes=59)
    assert site.paths() == ["/a"]


async def test_oversized_article_is_recorded_as_skipped(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/huge", Reply(200, b"<p>" + b"a" * 70_000, {"content-type": "text/html"}))

    assert await fetcher.handle(article_request(url)) == []

    row = await fetcher.article(article_id_for(url))
    assert row["error"] is not None
    assert "larger than" in row["error"]

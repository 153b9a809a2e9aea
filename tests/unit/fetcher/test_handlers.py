"""Fetcher handlers, wired by ``bootstrap`` to fakes and a real HTTP server on 127.0.0.1."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devoured_core.errors import TransientError
from devoured_core.messages import FetchRequested, Message, PageFetched
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_fetcher.bootstrap import bootstrap
from devoured_fetcher.handlers import FetcherDeps, poll_sources
from devoured_fetcher.http import HttpFetcher
from devoured_infra.bus import Stage
from devoured_infra.settings import Settings
from tests.fakes import FakeClock, FakeDatabase
from tests.unit import samples
from tests.unit.localsite import LocalSite, Reply, SeenRequest

FEEDS = Path(__file__).parents[2] / "testdata" / "feeds"
RSS = (FEEDS / "rss2.xml").read_bytes()
RSS_TYPE = {"content-type": "application/rss+xml"}
CACHE_POST = "https://blog.lantern.test/posts/columnar-cache?utm_source=rss"
REREQUEST_AFTER = timedelta(minutes=10)


class Fetcher:
    """The fetcher stage as bootstrap builds it, plus the fake database and clock."""

    def __init__(self, http: HttpFetcher) -> None:
        self.db = FakeDatabase()
        self.clock = FakeClock(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
        settings = Settings(fetch_rerequest_after_s=REREQUEST_AFTER.total_seconds())
        self.stage, self.deps = bootstrap(settings, self.db.new_uow, http=http, clock=self.clock)

    async def handle(self, msg: FetchRequested) -> list[Message]:
        return list(await self.stage.handle(msg))

    async def feed_request(self, url: str) -> FetchRequested:
        source = Source(source_id="lantern", name="Lantern Works", url=url, section="Data")
        [request] = await poll_sources([source], deps=self.deps)
        return request


@pytest.fixture
def fetcher(http: HttpFetcher) -> Fetcher:
    return Fetcher(http)


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
    assert set(fetcher.db.tables.sources) == {"a-feed", "b-feed", "off"}


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
    rows = fetcher.db.tables.article_requests
    assert set(rows) == {article_id_for(CACHE_POST), article_id_for(relative)}
    assert all(r.requested_at == fetcher.clock.now and r.fetched_at is None for r in rows.values())
    source_row = fetcher.db.tables.sources["lantern"]
    assert (source_row.last_status, source_row.last_error) == (200, None)


async def test_feed_poll_requests_only_entries_not_fetched_yet(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/feed.xml", Reply(200, RSS, RSS_TYPE))
    feed = await fetcher.feed_request(url)
    async with fetcher.db.new_uow() as uow:
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
    row = fetcher.db.tables.article_requests[article_id_for(CACHE_POST)]
    assert row.requested_at == fetcher.clock.now
    assert row.first_seen_at == fetcher.clock.now - REREQUEST_AFTER - timedelta(seconds=1)


async def test_not_modified_feed_uses_etag_and_requests_nothing(
    fetcher: Fetcher, site: LocalSite
) -> None:
    def conditional(request: SeenRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"etag": '"v1"'})
        return Reply(200, RSS, RSS_TYPE | {"etag": '"v1"', "last-modified": "Sat, 28 Nov 2026"})

    feed = await fetcher.feed_request(site.route("/feed.xml", conditional))
    await fetcher.handle(feed)
    assert fetcher.db.tables.sources["lantern"].etag == '"v1"'
    # Past the re-request delay a 200 would request both entries again; a 304 must not.
    fetcher.clock.advance(REREQUEST_AFTER * 2)

    out = await fetcher.handle(feed)

    assert out == []
    assert "if-none-match" not in site.requests[0].headers
    assert site.requests[1].headers["if-none-match"] == '"v1"'
    assert site.requests[1].headers["if-modified-since"] == "Sat, 28 Nov 2026"
    row = fetcher.db.tables.sources["lantern"]
    assert (row.last_status, row.etag, row.last_polled_at) == (304, '"v1"', fetcher.clock.now)


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

    row = fetcher.db.tables.sources["lantern"]
    assert row.last_error is not None
    assert reason in row.last_error
    assert row.error_count == 2
    assert fetcher.db.tables.article_requests == {}


async def test_blocked_feed_is_recorded_as_an_error(site: LocalSite) -> None:
    fetcher = HttpFetcher(timeout_s=5.0, max_bytes=1024, user_agent="t")
    try:
        stage = Fetcher(fetcher)
        feed = await stage.feed_request(site.route("/feed.xml", Reply(200, RSS, RSS_TYPE)))
        assert await stage.handle(feed) == []
    finally:
        await fetcher.aclose()
    row = stage.db.tables.sources["lantern"]
    assert row.last_error is not None
    assert "non-public" in row.last_error
    assert site.requests == []


# --- articles -----------------------------------------------------------------------------


HTML = {"content-type": "text/html; charset=utf-8"}


def article_request(url: str) -> FetchRequested:
    return samples.fetch_requested(url=url, entry=samples.entry(link=url))


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
    row = fetcher.db.tables.article_requests[page.article_id]
    assert (row.status, row.error, row.fetched_at) == (200, None, fetcher.clock.now)


async def test_redelivered_request_emits_its_page_again_but_a_new_request_does_not(
    fetcher: Fetcher, site: LocalSite
) -> None:
    """At least once: a crash between the commit and the publish redelivers the same request,
    which must emit the page again; another request for a finished article emits nothing."""
    url = site.route("/articles/once", Reply(200, b"<html><p>x</p></html>", HTML))
    request = article_request(url)

    [first] = await fetcher.handle(request)
    [again] = await fetcher.handle(request)  # the same message, redelivered
    later = await fetcher.handle(article_request(url))  # a new request, e.g. from another feed

    assert isinstance(first, PageFetched)
    assert isinstance(again, PageFetched)
    assert again.article_id == first.article_id
    assert later == []


async def test_redirected_article_keeps_its_id_and_reports_canonical_final_url(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/short/1", Reply(301, b"", {"location": "/articles/full#top"}))
    site.route("/articles/full", Reply(200, b"<p>full</p>", {"content-type": "text/html"}))

    [page] = await fetcher.handle(article_request(url))

    assert isinstance(page, PageFetched)
    assert page.article_id == article_id_for(url)
    assert page.final_url == canonicalize_url(site.url("/articles/full"))


async def test_missing_article_is_recorded_without_output(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.url("/articles/missing")

    assert await fetcher.handle(article_request(url)) == []

    row = fetcher.db.tables.article_requests[article_id_for(url)]
    assert row.error is not None
    assert "404" in row.error
    assert row.fetched_at is not None  # finished for good: not requested again
    assert fetcher.db.commits == 1


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

    row = fetcher.db.tables.article_requests[article_id_for(url)]
    assert row.error is not None
    assert content_type in row.error


async def test_xhtml_article_is_accepted(fetcher: Fetcher, site: LocalSite) -> None:
    headers = {"content-type": "application/xhtml+xml; charset=utf-8"}
    url = site.route("/x", Reply(200, b"<html><p>x</p></html>", headers))
    assert len(await fetcher.handle(article_request(url))) == 1


async def test_server_error_on_article_is_transient_and_records_nothing(
    fetcher: Fetcher, site: LocalSite
) -> None:
    url = site.route("/busy", Reply(503, b"try later", {"content-type": "text/html"}))

    with pytest.raises(TransientError):
        await fetcher.handle(article_request(url))

    assert fetcher.db.tables.article_requests == {}


async def test_oversized_article_is_recorded_as_skipped(fetcher: Fetcher, site: LocalSite) -> None:
    url = site.route("/huge", Reply(200, b"<p>" + b"a" * 70_000, {"content-type": "text/html"}))

    assert await fetcher.handle(article_request(url)) == []

    row = fetcher.db.tables.article_requests[article_id_for(url)]
    assert row.error is not None
    assert "larger than" in row.error

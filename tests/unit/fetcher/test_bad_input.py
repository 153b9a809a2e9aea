"""Every "bad input" of the fetcher issue, against a real HTTP server on 127.0.0.1.

Each case must end with a clear recorded reason (or a clean result), never a crash or a hang.
"""

import asyncio
import gzip
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devoured_core.messages import FetchRequested
from devoured_core.model import Source
from devoured_core.urls import article_id_for
from devoured_fetcher.bootstrap import wire
from devoured_fetcher.handlers import poll_sources
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.uow import FetcherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit.conftest import LOOPBACK
from tests.unit.fetcher.store import article_rows, source_row
from tests.unit.localsite import LocalSite, Reply

NOW = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
RSS = "application/rss+xml"


def rss(items: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{extra}'
        f"{items}</channel></rss>"
    ).encode()


def item(link: str | None, guid: str | None = None, title: str = "x") -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    return "<item>" + "".join(parts) + "</item>"


class Poller:
    def __init__(self, http: HttpFetcher, database: TestDatabase) -> None:
        self.database = database
        self.clock = FakeClock(NOW)
        new_uow = database.uow(FetcherUnitOfWork, "fetcher")
        self.stage, self.deps = wire(new_uow, http=http, clock=self.clock)

    async def poll(self, url: str) -> list[FetchRequested]:
        source = Source(source_id="s", name="S", url=url)
        [request] = await poll_sources([source], deps=self.deps)
        return [m for m in await self.stage.handle(request) if isinstance(m, FetchRequested)]

    async def row(self) -> dict[str, Any]:
        """The source's committed row."""
        return await source_row(self.database, "s")


@pytest.fixture
async def big_http() -> AsyncIterator[HttpFetcher]:
    fetcher = HttpFetcher(
        timeout_s=2.0,
        max_bytes=5 * 1024 * 1024,
        user_agent="t",
        allowed_networks=LOOPBACK,
        total_timeout_s=3.0,
    )
    yield fetcher
    await fetcher.aclose()


@pytest.fixture
def poller(big_http: HttpFetcher, database: TestDatabase) -> Poller:
    return Poller(big_http, database)


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (b"<rss><channel><item><title>unclosed", RSS, "malformed"),
        (b"<!doctype html><html><body><p>hi</p></body></html>", "text/html", "HTML page"),
        (b"", RSS, "empty body"),
        (b"%PDF-1.7 binary", "application/pdf", "application/pdf"),
    ],
    ids=["malformed-xml", "html-as-feed", "empty", "pdf"],
)
async def test_bad_feed_bodies_are_recorded(
    poller: Poller, site: LocalSite, body: bytes, ctype: str, reason: str
) -> None:
    url = site.route("/feed", Reply(200, body, {"content-type": ctype}))
    assert await poller.poll(url) == []
    row = await poller.row()
    assert row["last_error"] is not None
    assert reason in row["last_error"]
    assert row["error_count"] == 1
    assert row["next_poll_at"] is not None
    assert row["next_poll_at"] > NOW


async def test_fifty_megabyte_body_is_cut_at_the_cap(poller: Poller, site: LocalSite) -> None:
    url = site.route(
        "/feed", Reply(200, b"<rss>" + b" " * (50 * 1024 * 1024), {"content-type": RSS})
    )
    assert await poller.poll(url) == []
    assert "larger than 5242880 bytes" in ((await poller.row())["last_error"] or "")


async def test_gzip_bomb_is_stopped_while_inflating(poller: Poller, site: LocalSite) -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 300_000
    url = site.route("/feed", Reply(200, bomb, {"content-type": RSS, "content-encoding": "gzip"}))
    assert await poller.poll(url) == []
    assert "after decompression" in ((await poller.row())["last_error"] or "")


async def test_gzipped_feed_is_read(poller: Poller, site: LocalSite) -> None:
    body = gzip.compress(rss(item("https://a.test/1")))
    url = site.route("/feed", Reply(200, body, {"content-type": RSS, "content-encoding": "gzip"}))
    assert [r.url for r in await poller.poll(url)] == ["https://a.test/1"]


@pytest.fixture
def trickle() -> Iterator[str]:
    """A server that sends its response one byte per second, forever."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            payload = b"HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\n\r\n" + b"<" * 1000
            for byte in payload:
                if stop.wait(1.0 if byte == ord("<") else 0):
                    break
                try:
                    conn.send(bytes([byte]))
                except OSError:
                    break
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/feed"
    stop.set()
    thread.join(5)
    server.close()


async def test_one_byte_per_second_server_ends_by_total_timeout(
    poller: Poller, trickle: str
) -> None:
    started = time.monotonic()
    assert await poller.poll(trickle) == []
    assert time.monotonic() - started < 6
    assert "longer than 3.0 s" in ((await poller.row())["last_error"] or "")


async def test_redirect_loop_is_refused(poller: Poller, site: LocalSite) -> None:
    site.route("/a", Reply(302, b"", {"location": "/b"}))
    url = site.route("/b", Reply(302, b"", {"location": "/a"}))
    assert await poller.poll(url) == []
    assert "redirect loop" in ((await poller.row())["last_error"] or "")


async def test_not_found_backs_off_and_repeats_errors(poller: Poller, site: LocalSite) -> None:
    url = site.route("/feed", Reply(404, b"no", {"content-type": "text/plain"}))
    await poller.poll(url)
    first = (await poller.row())["next_poll_at"]
    await poller.poll(url)
    row = await poller.row()
    assert row["error_count"] == 2
    assert row["last_status"] == 404
    assert first is not None
    assert row["next_poll_at"] is not None
    assert (row["next_poll_at"] - NOW) > (first - NOW) * 1.5  # exponential
    assert (row["next_poll_at"] - NOW) <= timedelta(days=1)  # never disabled


async def test_gone_marks_the_source_gone(poller: Poller, site: LocalSite) -> None:
    url = site.route("/feed", Reply(410, b"gone", {"content-type": "text/plain"}))
    await poller.poll(url)
    row = await poller.row()
    assert row["gone"]
    assert row["last_status"] == 410


async def test_too_many_requests_honours_retry_after(poller: Poller, site: LocalSite) -> None:
    url = site.route("/feed", Reply(429, b"slow down", {"retry-after": "7200"}))
    await poller.poll(url)
    row = await poller.row()
    assert row["next_poll_at"] is not None
    assert row["next_poll_at"] - NOW >= timedelta(seconds=7200)
    assert "HTTP 429" in (row["last_error"] or "")


async def test_invalid_utf8_in_feed_does_not_crash(poller: Poller, site: LocalSite) -> None:
    body = rss(item("https://a.test/caf\xe9".encode("latin-1").decode("latin-1"))).replace(
        b"<title>x</title>", b"<title>bad \xff\xfe bytes</title>"
    )
    url = site.route("/feed", Reply(200, body, {"content-type": RSS}))
    requests = await poller.poll(url)
    assert (await poller.row())["last_error"] is None
    assert len(requests) == 1


async def test_ten_thousand_entries_are_all_requested(poller: Poller, site: LocalSite) -> None:
    items = "".join(item(f"https://a.test/{i}") for i in range(10_000))
    url = site.route("/feed", Reply(200, rss(items), {"content-type": RSS}))
    requests = await poller.poll(url)
    assert len({r.url for r in requests}) == 10_000


async def test_duplicates_missing_and_relative_links(poller: Poller, site: LocalSite) -> None:
    items = (
        item("https://a.test/1", guid="g1")
        + item("https://a.test/1-copy", guid="g1")  # same GUID
        + item("https://a.test/1", guid="g2")  # same link
        + item(None, title="no link")
        + item("/relative/2")
    )
    url = site.route("/feed", Reply(200, rss(items), {"content-type": RSS}))
    urls = [r.url for r in await poller.poll(url)]
    assert urls == ["https://a.test/1", site.url("/relative/2")]


async def test_private_address_feed_is_blocked(site: LocalSite, database: TestDatabase) -> None:
    http = HttpFetcher(timeout_s=2.0, max_bytes=1024, user_agent="t")
    try:
        poller = Poller(http, database)
        url = site.route("/feed", Reply(200, rss(item("https://a.test/1")), {"content-type": RSS}))
        assert await poller.poll(url.replace("127.0.0.1", "localhost")) == []
    finally:
        await http.aclose()
    assert "non-public" in ((await poller.row())["last_error"] or "")
    assert site.requests == []


async def test_json_feed_and_news_sitemap(poller: Poller, site: LocalSite) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [
            {"id": "1", "url": "/j/1", "title": "One", "date_published": "2026-11-28T10:00:00Z"},
            {"id": "2", "content_text": "no url"},
        ],
    }
    url = site.route(
        "/feed.json",
        Reply(200, json.dumps(feed).encode(), {"content-type": "application/feed+json"}),
    )
    assert [r.url for r in await poller.poll(url)] == [site.url("/j/1")]
    sitemap = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://n.test/a</loc>'
        b"<news:news><news:publication_date>2026-11-28T09:00:00Z</news:publication_date>"
        b"<news:title>A</news:title></news:news></url></urlset>"
    )
    url = site.route("/sitemap.xml", Reply(200, sitemap, {"content-type": "application/xml"}))
    [request] = await poller.poll(url)
    assert request.entry is not None
    assert request.entry.title == "A"


async def test_article_404_and_pdf_are_recorded(poller: Poller, site: LocalSite) -> None:
    missing = site.route("/missing", Reply(404, b"no", {"content-type": "text/html"}))
    pdf = site.route("/doc.pdf", Reply(200, b"%PDF-1.4", {"content-type": "application/pdf"}))
    source = Source(source_id="s", name="S", url=site.url("/feed"))
    for url in (missing, pdf):
        msg = FetchRequested(url=url, kind="article", source=source.info())
        assert await poller.stage.handle(msg) == []
    errors = sorted(r["error"] or "" for r in (await article_rows(poller.database)).values())
    assert errors == ["article: HTTP 404", "article: content type 'application/pdf' is not HTML"]


async def test_article_rate_limit_puts_the_article_off_for_its_retry_after(
    poller: Poller, site: LocalSite
) -> None:
    url = site.route("/busy", Reply(429, b"", {"retry-after": "900"}))
    msg = FetchRequested(
        url=url, kind="article", source=Source(source_id="s", name="S", url=url).info()
    )
    assert await poller.stage.handle(msg) == []
    row = (await article_rows(poller.database))[article_id_for(url)]
    assert (row["fetched_at"], row["retry_at"]) == (None, NOW + timedelta(seconds=900))
    await asyncio.sleep(0)

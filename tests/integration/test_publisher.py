"""The publisher on a real PostgreSQL: its website and JSON API over real HTTP, full-text
search, feeds, and delivery by email (a local SMTP server) and signed webhooks."""

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from aiosmtpd.controller import Controller

from devoured_core.messages import ArticleSummarized, DecoderTerm, SourceInfo
from devoured_core.model import EditionRecord
from devoured_embedded.sample_server import serve_http
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_publisher import web
from devoured_publisher.bootstrap import wire
from devoured_publisher.handlers import (
    PublisherDeps,
    build_pending_editions,
    deliver_closed_editions,
    receive_story,
)
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.signature import verify_signature
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import create_web_app
from tests.support.asgi import serve_asgi
from tests.support.services import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def summarized(
    n: int, *, title: str, text: str, section: str | None = None, url: str | None = None
) -> ArticleSummarized:
    return ArticleSummarized(
        article_id=f"art{n:04d}",
        canonical_url=url or f"https://news.example.org/{n}",
        title=title,
        reading_minutes=4,
        text=text,
        source=SourceInfo(source_id="wire", name="Example Wire", section=section),
        tldr=f"{title} matters because of its consequences.",
        deep_dive=[f"Fact {i} about {title}." for i in range(5)],
        decoder=[DecoderTerm(term="MWPM", definition="Minimum-weight perfect matching.")],
        backend="test",
    )


STORIES = [
    summarized(
        1,
        title="Harbour city ends tidal turbine pilot",
        section="Science",
        text="The harbour's tidal turbines produced less power than planned.\n"
        "Engineers blamed barnacle growth on the blades.",
    ),
    summarized(
        2,
        title="Kernel scheduler gains latency hints",
        section="Programming",
        text="A new scheduler interface lets cgroups ask for lower wake-up latency.",
    ),
    summarized(
        3,
        title=f"Hostile page {HOSTILE}",
        section="Security",
        text=f'Body with {HOSTILE} inside.\n<a href="javascript:alert(2)">click</a>',
        url="javascript:alert(3)",
    ),
]


@asynccontextmanager
async def publisher(
    database_url: str, out: Path, clock: Clock, **options: Any
) -> AsyncIterator[PublisherDeps]:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    _, deps = wire(
        lambda: PublisherUnitOfWork(sessions, service="test"),
        clock=clock,
        settings=PublisherSettings(out_dir=out, digest_name="Test Digest", **options),
    )
    try:
        yield deps
    finally:
        await engine.dispose()


class WebClient:
    """GETs from the publisher's website on 127.0.0.1: ``await get(path)`` -> (status, body)."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def __call__(self, path: str) -> tuple[int, str]:
        status, body, _ = await self.with_headers(path)
        return status, body

    async def with_headers(self, path: str) -> tuple[int, str, dict[str, str]]:
        def fetch() -> tuple[int, str, dict[str, str]]:
            url = f"http://127.0.0.1:{self.port}{path}"
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    return r.status, r.read().decode(), dict(r.headers)
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode(), dict(error.headers)

        return await asyncio.to_thread(fetch)


@asynccontextmanager
async def website(deps: PublisherDeps) -> AsyncIterator[WebClient]:
    port = free_port()
    app = create_web_app(deps, base_url=f"http://127.0.0.1:{port}")
    async with serve_asgi(app, port, lifespan="off"):
        yield WebClient(port)


async def test_website_api_search_and_feeds_show_the_stored_edition(
    database_url: str, tmp_path: Path
) -> None:
    async with publisher(database_url, tmp_path, Clock(NOON)) as deps:
        for message in STORIES:
            await receive_story(message, deps=deps)
        [digest] = await build_pending_editions(deps=deps)
        async with website(deps) as get:
            status, archive = await get("/")
            assert status == 200
            assert digest.title in archive
            status, page = await get("/editions/2026-11-29")
            assert status == 200
            assert "Harbour city ends tidal turbine pilot" in page
            status, article = await get("/articles/art0001")
            assert status == 200
            assert "Deep dive" in article
            assert "Minimum-weight perfect matching." in article
            assert "barnacle growth" in article

            editions = json.loads((await get("/api/editions"))[1])
            assert [e["edition_id"] for e in editions] == ["2026-11-29"]
            assert editions[0]["item_count"] == 3
            edition = json.loads((await get("/api/editions/2026-11-29"))[1])
            assert sum(len(s["items"]) for s in edition["sections"]) == 3

            # PostgreSQL full-text search: "turbines" matches the stem of "turbine".
            found = json.loads((await get("/api/articles?q=turbines"))[1])
            assert [a["article_id"] for a in found] == ["art0001"]
            assert json.loads((await get("/api/articles?q=quasar"))[1]) == []
            in_section = json.loads((await get("/api/articles?section=Programming"))[1])
            assert [a["article_id"] for a in in_section] == ["art0002"]
            status, results = await get("/search?q=barnacle")
            assert "Harbour city ends tidal turbine pilot" in results

            rss = ET.fromstring((await get("/feed.xml"))[1])
            assert [i.findtext("title") for i in rss.iter("item")] == [digest.title]
            atom = ET.fromstring((await get("/atom.xml"))[1])
            assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 1

            assert (await get("/editions/1999-01-01"))[0] == 404
            assert (await get("/articles/nope"))[0] == 404
            pages = [archive, page, (await get("/articles/art0003"))[1], results]
    files = [p.read_text() for p in tmp_path.iterdir()]  # noqa: ASYNC240 - test teardown
    for body in pages + files:
        assert "<script" not in body.lower()
        assert "onerror=" not in body.lower()
        assert "javascript:" not in body.lower()


class WebhookReceiver:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[tuple[dict[str, str], bytes]] = []


@contextmanager
def webhook_server(failures: int) -> Iterator[tuple[str, WebhookReceiver]]:
    receiver = WebhookReceiver(failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            failing = len(receiver.requests) <= receiver.failures
            self.send_response(500 if failing else 200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve_http(Handler) as base:
        yield f"{base}/hook", receiver


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


async def test_closed_edition_is_emailed_and_posted_once_with_a_valid_signature(
    database_url: str, tmp_path: Path
) -> None:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    clock = Clock(NOON)
    try:
        with webhook_server(failures=1) as (hook_url, receiver):
            async with publisher(
                database_url,
                tmp_path,
                clock,
                smtp_host="127.0.0.1",
                smtp_port=smtp.port,
                smtp_starttls=False,
                smtp_allow_plaintext=True,  # a loopback relay
                email_to="ana@example.org,bo@example.org",
                webhook_urls=hook_url,
                webhook_format="slack",
                webhook_secret="s3cret",
                delivery_backoff_s=0.05,
            ) as deps:
                for message in STORIES[:2]:
                    await receive_story(message, deps=deps)
                await build_pending_editions(deps=deps)
                assert await deliver_closed_editions(deps=deps) == 0  # the day is not over
                clock.now = NOON + timedelta(days=1)
                assert await deliver_closed_editions(deps=deps) == 3
                assert await deliver_closed_editions(deps=deps) == 0  # never twice
    finally:
        smtp.stop()
    assert sorted(r for _, rcpts, _ in inbox.messages for r in rcpts) == [
        "ana@example.org",
        "bo@example.org",
    ]
    raw = inbox.messages[0][2].decode()
    assert "Subject: Test Digest - November 29, 2026" in raw
    assert "text/html" in raw
    assert len(receiver.requests) == 2  # the first attempt failed and was retried
    headers, body = receiver.requests[-1]
    assert verify_signature(headers["x-devoured-signature"], body, "s3cret", now=time.time())
    assert "Harbour city ends tidal turbine pilot" in json.loads(body)["text"]


def _edition(day: int) -> EditionRecord:
    edition_date = date(2026, 11, day)
    return EditionRecord(
        edition_id=edition_date.isoformat(),
        edition_date=edition_date,
        title=f"Test Digest - November {day}, 2026",
        overview="o",
        item_count=1,
        story_count=1,
        markdown="m",
        html="h",
        content_hash="c",
        built_at=NOON,
    )


async def test_archive_and_api_page_back_through_older_editions(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "ARCHIVE_PAGE", 2)
    async with publisher(database_url, tmp_path, Clock(NOON)) as deps:
        async with deps.new_uow() as uow:
            for day in range(21, 26):  # five editions, 21 to 25 November
                await uow.editions.save(_edition(day))
            await uow.commit()
        async with website(deps) as get:
            pages, path = [], "/api/editions?limit=2"
            while path:
                status, body, headers = await get.with_headers(path)
                assert status == 200
                pages.append([e["edition_id"][-2:] for e in json.loads(body)])
                link = headers.get("link", "")
                path = link[1 : link.index(">")] if link else ""
            assert pages == [["25", "24"], ["23", "22"], ["21"]]
            assert (await get("/api/editions?limit=x"))[0] == 400
            first = (await get("/"))[1]
            assert "November 25" in first
            assert "November 23" not in first
            assert 'href="/?before=2026-11-24"' in first
            last = (await get("/?before=2026-11-22"))[1]
            assert "November 21" in last
            assert "Older editions" not in last

"""The operator commands of the fetcher, through the real ``devoured`` CLI."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from devoured_core.messages import FetchRequested
from devoured_core.model import Source
from devoured_core.urls import host_of
from devoured_embedded.cli import app
from devoured_fetcher.bootstrap import build_robots, wire
from devoured_fetcher.config import FetcherSettings
from devoured_fetcher.handlers import fetch
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.politeness import HostLimiter
from devoured_infra.settings import Settings
from tests.fakes import FakeClock, FakeDatabase
from tests.unit.conftest import LOOPBACK
from tests.unit.localsite import LocalSite, Reply

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><link>/a</link></item><item><link>/b</link></item></channel></rss>"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEVOURED_FETCH_ALLOWED_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'op.db'}")
    monkeypatch.delenv("DEVOURED_DATABASE_URL", raising=False)
    return tmp_path


def fetch_json(url: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(app, ["fetch", url])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def test_fetch_reports_a_feed(env: Path, site: LocalSite) -> None:
    url = site.route("/feed", Reply(200, RSS, {"content-type": "application/rss+xml"}))
    code, report = fetch_json(url)
    assert code == 0
    assert report["outcome"] == "ok"
    assert report["status"] == 200
    assert report["entries"] == 2
    assert report["final_url"] == url
    assert report["bytes"] == len(RSS)
    assert isinstance(report["elapsed_ms"], int)


def test_fetch_explains_failures(env: Path, site: LocalSite) -> None:
    pdf = site.route("/x.pdf", Reply(200, b"%PDF", {"content-type": "application/pdf"}))
    code, report = fetch_json(pdf)
    assert (code, report["outcome"]) == (0, "skipped")
    assert "application/pdf" in str(report["reason"])
    code, report = fetch_json(site.route("/gone", Reply(410, b"", {})))
    assert (code, report["outcome"], report["status"]) == (1, "error", 410)


def test_fetch_refuses_private_addresses_by_default(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEVOURED_FETCH_ALLOWED_NETWORKS", raising=False)
    code, report = fetch_json(site.route("/feed", Reply(200, RSS, {})))
    assert (code, report["outcome"]) == (1, "error")
    assert "non-public" in str(report["reason"])
    assert site.requests == []


def test_sources_import_list_export_and_submit(env: Path) -> None:
    opml = env / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Data">'
        '<outline text="Lantern" xmlUrl="https://lantern.test/feed"/></outline>'
        '<outline text="Plain" xmlUrl="https://plain.test/rss"/></body></opml>',
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["sources", "import", str(opml)]).exit_code == 0
    exported = runner.invoke(app, ["sources", "export"])
    assert exported.exit_code == 0
    assert 'xmlUrl="https://lantern.test/feed"' in exported.stdout
    assert '<outline text="Data" title="Data">' in exported.stdout
    submitted = runner.invoke(app, ["submit", "https://news.test/story?utm_source=x#top"])
    assert submitted.exit_code == 0, submitted.output
    listing = runner.invoke(app, ["sources", "list"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    for name in ("lantern", "plain", "submitted-"):
        assert name in listing.stdout
    assert "due" in listing.stdout
    assert runner.invoke(app, ["submit", "ftp://x.test/"]).exit_code != 0


async def test_article_disallowed_by_robots_is_recorded(site: LocalSite, http: HttpFetcher) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {}))
    page = site.route("/private/post", Reply(200, b"<p>x</p>", {"content-type": "text/html"}))
    db = FakeDatabase()
    _, deps = wire(Settings(), db.new_uow, http=http, clock=FakeClock(datetime.now(UTC)))
    deps = replace(deps, robots=build_robots(http, FetcherSettings()))
    source = Source(source_id="s", name="S", url=page).info()
    assert await fetch(FetchRequested(url=page, kind="article", source=source), deps=deps) == []
    [row] = db.tables.article_requests.values()
    assert row.error == "article: disallowed by robots.txt"
    assert "/private/post" not in site.paths()


async def test_a_sites_crawl_delay_spaces_its_article_fetches(site: LocalSite) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 12\n", {}))
    page = site.route("/post", Reply(200, b"<p>x</p>", {"content-type": "text/html"}))
    limiter = HostLimiter(concurrency=1, min_delay_s=0.0)
    http = HttpFetcher(
        timeout_s=5.0,
        max_bytes=64 * 1024,
        user_agent="T/1",
        allowed_networks=LOOPBACK,
        limiter=limiter,
    )
    try:
        db = FakeDatabase()
        _, deps = wire(Settings(), db.new_uow, http=http, clock=FakeClock(datetime.now(UTC)))
        deps = replace(deps, robots=build_robots(http, FetcherSettings()), max_crawl_delay_s=10)
        source = Source(source_id="s", name="S", url=page).info()
        pages = await fetch(FetchRequested(url=page, kind="article", source=source), deps=deps)
    finally:
        await http.aclose()
    assert len(pages) == 1
    assert limiter.spacing(host_of(page)) == 10.0  # the site's 12 s, capped

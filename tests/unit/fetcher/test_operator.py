"""The operator commands of the fetcher, through the real ``devoured`` CLI and through the
fetcher's own command group (``devoured_fetcher.commands``) merged at the top level of a CLI,
as the embedded command line merges it."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from devoured_core.messages import FetchRequested
from devoured_core.model import Source
from devoured_core.urls import host_of
from devoured_embedded.cli import app
from devoured_fetcher.bootstrap import build_robots, wire
from devoured_fetcher.commands import commands
from devoured_fetcher.handlers import fetch
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.politeness import HostLimiter
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.uow import FetcherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit.conftest import LOOPBACK
from tests.unit.fetcher.store import article_rows
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


def merged() -> typer.Typer:
    """A command line with the fetcher's group merged at its top level (no name)."""
    root = typer.Typer(no_args_is_help=True, add_completion=False)
    root.add_typer(commands())
    return root


@pytest.fixture(params=["devoured", "fetcher-group"])
def cli(request: pytest.FixtureRequest) -> typer.Typer:
    return app if request.param == "devoured" else merged()


def fetch_json(cli: typer.Typer, url: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["fetch", url])
    return result.exit_code, json.loads(result.stdout.strip().splitlines()[-1])


def test_the_group_merges_its_commands_at_the_top_level() -> None:
    listed = CliRunner().invoke(merged(), ["--help"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    for name in ("sources", "submit", "fetch"):
        assert name in listed.stdout
    sources = CliRunner().invoke(merged(), ["sources", "--help"], env={"COLUMNS": "200"})
    assert sources.exit_code == 0
    for name in ("import", "export", "list"):
        assert name in sources.stdout


def test_fetch_reports_a_feed(env: Path, site: LocalSite, cli: typer.Typer) -> None:
    url = site.route("/feed", Reply(200, RSS, {"content-type": "application/rss+xml"}))
    code, report = fetch_json(cli, url)
    assert code == 0
    assert report["outcome"] == "ok"
    assert report["status"] == 200
    assert report["entries"] == 2
    assert report["final_url"] == url
    assert report["bytes"] == len(RSS)
    assert isinstance(report["elapsed_ms"], int)


def test_fetch_explains_failures(env: Path, site: LocalSite, cli: typer.Typer) -> None:
    pdf = site.route("/x.pdf", Reply(200, b"%PDF", {"content-type": "application/pdf"}))
    code, report = fetch_json(cli, pdf)
    assert (code, report["outcome"]) == (0, "skipped")
    assert "application/pdf" in str(report["reason"])
    code, report = fetch_json(cli, site.route("/gone", Reply(410, b"", {})))
    assert (code, report["outcome"], report["status"]) == (1, "error", 410)


def test_fetch_refuses_private_addresses_by_default(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch, cli: typer.Typer
) -> None:
    monkeypatch.delenv("DEVOURED_FETCH_ALLOWED_NETWORKS", raising=False)
    code, report = fetch_json(cli, site.route("/feed", Reply(200, RSS, {})))
    assert (code, report["outcome"]) == (1, "error")
    assert "non-public" in str(report["reason"])
    assert site.requests == []


def test_sources_import_list_export_and_submit(env: Path, cli: typer.Typer) -> None:
    opml = env / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Data">'
        '<outline text="Lantern" xmlUrl="https://lantern.test/feed"/></outline>'
        '<outline text="Plain" xmlUrl="https://plain.test/rss"/></body></opml>',
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["sources", "import", str(opml)]).exit_code == 0
    exported = runner.invoke(cli, ["sources", "export"])
    assert exported.exit_code == 0
    assert 'xmlUrl="https://lantern.test/feed"' in exported.stdout
    assert '<outline text="Data" title="Data">' in exported.stdout
    submitted = runner.invoke(cli, ["submit", "https://news.test/story?utm_source=x#top"])
    assert submitted.exit_code == 0, submitted.output
    listing = runner.invoke(cli, ["sources", "list"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    for name in ("lantern", "plain", "submitted-"):
        assert name in listing.stdout
    assert "due" in listing.stdout
    assert runner.invoke(cli, ["submit", "ftp://x.test/"]).exit_code != 0


async def test_article_disallowed_by_robots_is_recorded(
    site: LocalSite, http: HttpFetcher, database: TestDatabase
) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {}))
    page = site.route("/private/post", Reply(200, b"<p>x</p>", {"content-type": "text/html"}))
    new_uow = database.uow(FetcherUnitOfWork, "fetcher")
    _, deps = wire(new_uow, http=http, clock=FakeClock(datetime.now(UTC)))
    deps = replace(deps, robots=build_robots(http, FetcherSettings()))
    source = Source(source_id="s", name="S", url=page).info()
    assert await fetch(FetchRequested(url=page, kind="article", source=source), deps=deps) == []
    [row] = (await article_rows(database)).values()
    assert row["error"] == "article: disallowed by robots.txt"
    assert "/private/post" not in site.paths()


async def test_a_sites_crawl_delay_spaces_its_article_fetches(
    site: LocalSite, database: TestDatabase
) -> None:
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
        new_uow = database.uow(FetcherUnitOfWork, "fetcher")
        _, deps = wire(new_uow, http=http, clock=FakeClock(datetime.now(UTC)))
        deps = replace(deps, robots=build_robots(http, FetcherSettings()), max_crawl_delay_s=10)
        source = Source(source_id="s", name="S", url=page).info()
        pages = await fetch(FetchRequested(url=page, kind="article", source=source), deps=deps)
    finally:
        await http.aclose()
    assert len(pages) == 1
    assert limiter.spacing(host_of(page)) == 10.0  # the site's 12 s, capped

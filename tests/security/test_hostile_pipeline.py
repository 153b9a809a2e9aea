"""A page whose title holds control characters, through all four stages on the in-memory bus
(``tests/support/pipeline.py``) to every file the publisher writes.

It used to crash the extractor ("All strings must be XML compatible") and be dead-lettered;
the feeds it reached were invalid XML. Now the story arrives and every output is clean.
"""

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from ipaddress import ip_network
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from devoured_core.messages import ArticleExtracted
from devoured_core.model import Source
from devoured_fetcher.handlers import poll_sources
from devoured_fetcher.http import HttpFetcher
from devoured_publisher.handlers import build_pending_editions
from devoured_publisher.settings import PublisherSettings
from tests.fakes import FakeClock
from tests.support.pipeline import in_memory_pipeline
from tests.support.sqlite import TestDatabase
from tests.unit.localsite import LocalSite, Reply, serving

PAGE = Path(__file__).parents[1] / "testdata" / "pages" / "news_article.html"
TITLE = "Harbour City ends its tidal power pilot early"
HOSTILE = "Harbour\x01 City ends its\x0b tidal power\x1f pilot early"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with serving() as site:
        yield site


@pytest.fixture
async def http() -> AsyncIterator[HttpFetcher]:
    fetcher = HttpFetcher(
        timeout_s=5.0,
        max_bytes=256 * 1024,
        user_agent="DevouredTest/1.0",
        allowed_networks=(ip_network("127.0.0.0/8"),),
    )
    yield fetcher
    await fetcher.aclose()


async def test_hostile_title_reaches_every_output_clean(
    site: LocalSite, http: HttpFetcher, database: TestDatabase, tmp_path: Path
) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>'
        f"<item><title>{HOSTILE}</title><link>/news/tidal</link></item></channel></rss>"
    )
    site.route("/feed.xml", Reply(200, feed.encode(), {"content-type": "text/xml"}))
    page = PAGE.read_text(encoding="utf-8").replace(TITLE, HOSTILE)
    site.route("/news/tidal", Reply(200, page.encode(), {"content-type": "text/html"}))
    clock = FakeClock(datetime(2026, 11, 29, 7, 0, tzinfo=UTC))
    out = tmp_path / "out"
    settings = PublisherSettings(digest_name="Devoured Daily", timezone="UTC", out_dir=out)
    pipeline = in_memory_pipeline(database, settings, http=http, clock=clock)

    await poll_sources(
        [Source(source_id="ledger", name="Ledger", url=site.url("/feed.xml"))],
        deps=pipeline.fetcher,
    )
    await pipeline.bus.drain()
    [digest] = await build_pending_editions(deps=pipeline.publisher)
    await pipeline.relay.flush()

    assert pipeline.bus.dead_letters == []
    [article] = [m for _, m in pipeline.bus.published if isinstance(m, ArticleExtracted)]
    assert article.title == TITLE
    [item] = [i for s in digest.sections for i in s.items]
    assert item.title == TITLE
    _check_files(out)


def _check_files(out: Path) -> None:
    """Every file written is free of what XML forbids, and the feeds parse as XML."""
    written = sorted(p for p in out.iterdir() if p.is_file())
    assert {p.name for p in written} >= {"feed.xml", "atom.xml", "index.html", "latest.md"}
    for path in written:
        assert not _NOT_XML.search(path.read_text(encoding="utf-8")), path.name
    ET.parse(out / "feed.xml")
    ET.parse(out / "atom.xml")

"""All four stages, as their ``wire`` builds them, on the in-memory bus with one real database.

The feed and the article are served by a real HTTP server on 127.0.0.1.
"""

from datetime import UTC, datetime
from pathlib import Path

from devoured_core.messages import ArticleSummarized, PageFetched
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_extractor.tables import extractor_articles
from devoured_fetcher.handlers import poll_sources
from devoured_fetcher.http import HttpFetcher
from devoured_publisher.handlers import build_pending_editions
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.tables import publisher_items
from devoured_summarizer.tables import summarizer_summaries
from tests.fakes import FakeClock
from tests.support.pipeline import in_memory_pipeline
from tests.support.sqlite import TestDatabase
from tests.unit.localsite import LocalSite, Reply

PAGES = Path(__file__).parents[1] / "testdata" / "pages"
CANONICAL = "https://ledger.test/energy/tidal-pilot-ends"


def feed_linking_to(path: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>'
        f"<item><title>Tidal pilot ends</title><link>{path}</link>"
        "<category>energy</category></item></channel></rss>"
    ).encode()


async def test_feed_to_edition(
    site: LocalSite, http: HttpFetcher, database: TestDatabase, tmp_path: Path
) -> None:
    site.route(
        "/feed.xml", Reply(200, feed_linking_to("/news/tidal"), {"content-type": "text/xml"})
    )
    site.route(
        "/news/tidal",
        Reply(200, (PAGES / "news_article.html").read_bytes(), {"content-type": "text/html"}),
    )
    clock = FakeClock(datetime(2026, 11, 29, 7, 0, tzinfo=UTC))
    out = tmp_path / "out"
    settings = PublisherSettings(digest_name="Devoured Daily", timezone="UTC", out_dir=out)
    pipeline = in_memory_pipeline(database, settings, http=http, clock=clock)
    bus, relay = pipeline.bus, pipeline.relay
    source = Source(source_id="ledger", name="The Ledger", url=site.url("/feed.xml"))

    await poll_sources([source], deps=pipeline.fetcher)
    processed = await bus.drain()
    [digest] = await build_pending_editions(deps=pipeline.publisher)
    assert not (out / "index.html").exists()  # the files go out with the event
    assert await relay.flush() == 1
    assert bus.published[-1] == (digest.TOPIC, digest)

    assert bus.dead_letters == []
    assert processed == 5  # feed, article, page, extracted, summarized
    assert site.paths() == ["/feed.xml", "/news/tidal"]
    [page] = [m for _, m in bus.published if isinstance(m, PageFetched)]
    assert page.article_id == article_id_for(site.url("/news/tidal"))
    [summary] = [m for _, m in bus.published if isinstance(m, ArticleSummarized)]
    # The page claims a canonical URL on another site; that claim is not trusted.
    assert summary.article_id == article_id_for(site.url("/news/tidal"))
    assert summary.tags == ["energy"]
    assert digest.title == "Devoured Daily - November 29, 2026"
    assert digest.item_count == 1
    [item] = [i for s in digest.sections for i in s.items]
    assert (item.title, item.url, item.source_name) == (
        "Harbour City ends its tidal power pilot early",
        canonicalize_url(site.url("/news/tidal")),
        "The Ledger",
    )
    extracted = {r["article_id"] for r in await database.rows(extractor_articles)}
    summarized = {r["article_id"] for r in await database.rows(summarizer_summaries)}
    stored = {r["article_id"] for r in await database.rows(publisher_items)}
    assert extracted == summarized == stored == {summary.article_id}
    assert "Harbour City ends its tidal power pilot early" in (out / "index.html").read_text()

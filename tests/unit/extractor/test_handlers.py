"""The extractor handler, wired by ``bootstrap`` to its unit of work on a real (SQLite) database."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devoured_core.errors import SkipCode, SkippedInput
from devoured_core.messages import ArticleExtracted, PageFetched
from devoured_core.similarity import simhash_hex
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_extractor.bootstrap import wire
from devoured_extractor.extract import extract
from devoured_extractor.isolation import IsolatedExtractor
from devoured_extractor.tables import extractor_articles
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_infra.metrics import REGISTRY
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.extractor import workloads

PAGES = Path(__file__).parents[2] / "testdata" / "pages"
NEWS = (PAGES / "news_article.html").read_text(encoding="utf-8")
CANONICAL = "https://ledger.test/energy/tidal-pilot-ends"
STORED = {"canonical_url", "title", "author", "published_at", "language", "text"}
STORED |= {"word_count", "reading_minutes", "content_hash"}


def _uow(database: TestDatabase) -> Callable[[], ExtractorUnitOfWork]:
    return database.uow(ExtractorUnitOfWork, "extractor")


async def test_page_becomes_article_keyed_by_its_canonical_url(database: TestDatabase) -> None:
    clock = FakeClock(datetime(2026, 11, 29, 8, 0, tzinfo=UTC))
    stage = wire(_uow(database), clock=clock)
    fetched_url = "https://ledger.test/r/abc?utm_source=feed"
    page = samples.page_fetched(
        body=NEWS,
        url=fetched_url,
        article_id=article_id_for(fetched_url),
        final_url=canonicalize_url(fetched_url),
    )

    [article] = await stage.handle(page)

    assert stage.message_type is PageFetched
    assert isinstance(article, ArticleExtracted)
    assert article.canonical_url == CANONICAL
    assert article.article_id == article_id_for(CANONICAL)
    assert article.article_id != page.article_id
    assert article.title == "Harbour City ends its tidal power pilot early"
    assert article.author == "Mira Okonkwo"
    assert article.language == "en"
    assert "barnacle growth" in article.text
    assert article.word_count == len(article.text.split())
    assert article.reading_minutes == 2
    assert article.source == page.source
    assert article.tags == ["energy"]
    [row] = await database.rows(extractor_articles, article_id=article.article_id)
    assert row == {
        "article_id": article.article_id,
        **article.model_dump(include=STORED),
        "fetched_article_id": page.article_id,
        "extracted_at": clock.now,
        "message_occurred_at": page.occurred_at,
    }
    assert await database.outbox(ArticleExtracted.TOPIC) == [article]


async def test_feed_metadata_fills_what_the_page_lacks(database: TestDatabase) -> None:
    stage = wire(_uow(database))
    text = " ".join(f"Sentence number {i} tells a little more of the story." for i in range(12))
    html = f"<html><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    when = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    page = samples.page_fetched(body=html, entry=samples.entry(published_at=when))

    [article] = await stage.handle(page)

    assert isinstance(article, ArticleExtracted)
    assert article.published_at == when
    assert article.canonical_url == page.final_url
    assert article.article_id == article_id_for(page.final_url)


async def test_control_characters_in_title_and_feed_tags_are_stripped(
    database: TestDatabase,
) -> None:
    """Text entering the pipeline is XML-safe, the feed's tags too (issue 13)."""
    stage = wire(_uow(database))
    text = " ".join(f"Sentence number {i} tells a little more of the story." for i in range(12))
    html = (
        "<html><head><title>Tidal\x01 pilot\x1b ends</title></head><body><article>"
        f"<p>{text}</p><p>line<br>\x01{text}</p></article></body></html>"
    )
    entry = samples.entry(categories=["en\x02ergy"])

    [article] = await stage.handle(samples.page_fetched(body=html, entry=entry))

    assert isinstance(article, ArticleExtracted)
    assert (article.title, article.tags) == ("Tidal pilot ends", ["energy"])
    assert "\x01" not in article.text


async def test_page_without_main_text_emits_nothing_and_stores_nothing(
    database: TestDatabase,
) -> None:
    stage = wire(_uow(database))
    shell = (PAGES / "js_shell.html").read_text(encoding="utf-8")

    assert await stage.handle(samples.page_fetched(body=shell)) == []
    assert await database.rows(extractor_articles) == []
    assert await database.outbox() == []
    assert database.commits == 0


async def test_same_page_twice_stores_one_extraction(database: TestDatabase) -> None:
    stage = wire(_uow(database))
    page = samples.page_fetched(body=NEWS)

    first = await stage.handle(page)
    second = await stage.handle(page)

    assert [m.key() for m in first] == [m.key() for m in second]
    assert len(await database.rows(extractor_articles)) == 1


async def test_canonical_url_on_another_site_is_not_trusted(database: TestDatabase) -> None:
    clock = FakeClock(datetime(2026, 11, 29, 8, 0, tzinfo=UTC))
    stage = wire(_uow(database), clock=clock)
    fetched_url = "https://copycat.example/stolen-story"
    page = samples.page_fetched(
        body=NEWS, url=fetched_url, article_id=article_id_for(fetched_url), final_url=fetched_url
    )

    [article] = await stage.handle(page)

    assert isinstance(article, ArticleExtracted)
    assert article.canonical_url == fetched_url
    assert article.article_id == article_id_for(fetched_url) != article_id_for(CANONICAL)


def _sample(metric: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0


async def test_new_metadata_travels_in_the_message(database: TestDatabase) -> None:
    stage = wire(_uow(database))

    [article] = await stage.handle(samples.page_fetched(body=NEWS))

    assert isinstance(article, ArticleExtracted)
    assert article.authors == ["Mira Okonkwo"]
    assert article.simhash is not None
    assert len(article.simhash) == 16
    assert article.simhash == simhash_hex(article.text)


async def test_paywall_teaser_is_skipped_with_its_reason(database: TestDatabase) -> None:
    stage = wire(_uow(database))
    teaser = " ".join(f"Sentence {i} of the free teaser paragraph." for i in range(8))
    body = (
        f"<html><body><article><p>{teaser}</p></article>"
        '<div class="paywall">Subscribe to continue reading.</div></body></html>'
    )
    before = _sample("devoured_extractor_skips_total", reason="paywalled")

    assert await stage.handle(samples.page_fetched(body=body)) == []
    assert await database.rows(extractor_articles) == []
    assert _sample("devoured_extractor_skips_total", reason="paywalled") == before + 1


async def test_page_over_the_hard_time_limit_is_dead_lettered_not_left_running(
    database: TestDatabase,
) -> None:
    runaway = IsolatedExtractor(workloads.spin, time_limit_s=0.3)
    stage = wire(_uow(database), extractor=runaway)
    before = _sample("devoured_extractor_failures_total", reason="timeout")
    try:
        with pytest.raises(SkippedInput, match=r"longer than 0\.3 s"):
            await stage.handle(samples.page_fetched(body="spin"))
        assert _sample("devoured_extractor_failures_total", reason="timeout") == before + 1
        assert await database.rows(extractor_articles) == []
        assert all(not w.process.is_alive() for w in runaway._all) or not runaway._all
    finally:
        runaway.close()


TEASER = " ".join(f"Sentence {i} of the free teaser paragraph." for i in range(8))
DEEP = "<b>" * 10_000 + "x" + "</b>" * 10_000


@pytest.fixture(scope="module")
def isolated() -> Iterator[IsolatedExtractor]:
    """The production extractor: ``extract`` in a worker process, so skips cross a pipe."""
    worker = IsolatedExtractor(extract, time_limit_s=60)
    yield worker
    worker.close()


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ("  \n ", "empty"),
        ("\x00\x01binary" * 10, "not_html"),
        ("<p>" + "x" * 10_000_001, "too_large"),
        (f"<html><body><p>{TEASER}</p>{DEEP}</body></html>", "too_deep"),
        (
            f"<html><body><article><p>{TEASER} {TEASER}</p></article>"
            '<div class="paywall">Subscribe to continue reading.</div></body></html>',
            "paywalled",
        ),
        (
            "<html><body><p>Short.</p>"
            '<div class="paywall">Subscribe to continue reading.</div></body></html>',
            "paywalled",
        ),
        (
            '<html><body><div id="root"></div><script src="/app.js"></script>'
            "<script>boot()</script></body></html>",
            "javascript_shell",
        ),
        ("<html><body><p>Three words here.</p></body></html>", "no_text"),
        ("<!-- only a comment -->", "other"),
    ],
    ids=[
        "empty",
        "not_html",
        "too_large",
        "too_deep",
        "paywalled_teaser",
        "paywalled_no_text",
        "javascript_shell",
        "no_text",
        "unparsable",
    ],
)
async def test_skip_reasons_map_to_metric_labels(
    database: TestDatabase, isolated: IsolatedExtractor, body: str, label: str
) -> None:
    """Each skip, raised in the worker process, is counted under its label (and no other)."""
    stage = wire(_uow(database), extractor=isolated)
    labels = [code.value for code in SkipCode]
    before = {each: _sample("devoured_extractor_skips_total", reason=each) for each in labels}

    assert await stage.handle(samples.page_fetched(body=body)) == []

    after = {each: _sample("devoured_extractor_skips_total", reason=each) for each in labels}
    assert after == before | {label: before[label] + 1}
    assert await database.rows(extractor_articles) == []

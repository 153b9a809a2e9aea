"""Valid example messages and stories, built from values the tests choose themselves."""

from datetime import UTC, date, datetime
from typing import Any

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    DeadLetter,
    DecoderTerm,
    DigestItem,
    DigestPublished,
    DigestSection,
    FeedEntry,
    FetchRequested,
    PageFetched,
    SourceInfo,
    UrlSubmitted,
)
from devoured_core.model import Story
from devoured_core.urls import article_id_for, canonicalize_url

WHEN = datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
URL = "https://news.example.com/2026/11/quiet-turbines?utm_source=feed"
SOURCE = SourceInfo(source_id="example-news", name="Example News", section=None, weight=1.0)


def entry(link: str = URL, **changes: Any) -> FeedEntry:
    values: dict[str, Any] = {
        "title": "Quiet turbines",
        "link": link,
        "guid": "entry-1",
        "published_at": WHEN,
        "summary": "Turbines got quieter.",
        "categories": ["energy"],
    }
    return FeedEntry(**(values | changes))


def url_submitted(**changes: Any) -> UrlSubmitted:
    values: dict[str, Any] = {"url": URL, "section": "AI", "submitted_by": "A reader"}
    return UrlSubmitted(**(values | changes))


def fetch_requested(**changes: Any) -> FetchRequested:
    values: dict[str, Any] = {"url": URL, "kind": "article", "source": SOURCE, "entry": entry()}
    return FetchRequested(**(values | changes))


def page_fetched(body: str = "<html></html>", **changes: Any) -> PageFetched:
    values: dict[str, Any] = {
        "article_id": article_id_for(URL),
        "url": URL,
        "final_url": canonicalize_url(URL),
        "status": 200,
        "headers": {"content-type": "text/html; charset=utf-8"},
        "fetched_at": WHEN,
        "body": body,
        "source": SOURCE,
        "entry": entry(),
    }
    return PageFetched(**(values | changes))


def article_extracted(**changes: Any) -> ArticleExtracted:
    canonical = canonicalize_url(URL)
    values: dict[str, Any] = {
        "article_id": article_id_for(canonical),
        "canonical_url": canonical,
        "title": "Quiet turbines",
        "author": "A. Writer",
        "published_at": WHEN,
        "language": "en",
        "text": "Turbines got quieter this year.\nEngineers changed the blade shape.",
        "word_count": 10,
        "reading_minutes": 1,
        "content_hash": "0" * 64,
        "source": SOURCE,
        "tags": ["energy"],
    }
    return ArticleExtracted(**(values | changes))


def article_summarized(**changes: Any) -> ArticleSummarized:
    canonical = canonicalize_url(URL)
    values: dict[str, Any] = {
        "article_id": article_id_for(canonical),
        "canonical_url": canonical,
        "title": "Quiet turbines",
        "published_at": WHEN,
        "reading_minutes": 3,
        "text": "Turbines got quieter this year.\nEngineers changed the blade shape.",
        "source": SOURCE,
        "tags": ["energy"],
        "tldr": "Wind turbines became quieter after engineers changed the blade shape.",
        "deep_dive": ["Noise fell by a third.", "The new blades cost the same."],
        "decoder": [DecoderTerm(term="dB", definition="A unit of sound level.")],
        "backend": "test",
    }
    return ArticleSummarized(**(values | changes))


def digest_published(**changes: Any) -> DigestPublished:
    item = DigestItem(
        article_id=article_id_for(URL),
        title="Quiet turbines",
        url=canonicalize_url(URL),
        source_name="Example News",
        reading_minutes=3,
        tldr="Wind turbines became quieter.",
    )
    values: dict[str, Any] = {
        "edition_id": "2026-11-29",
        "date": date(2026, 11, 29),
        "title": "Devoured Daily - November 29, 2026",
        "overview": "Wind turbines became quieter.",
        "sections": [DigestSection(name="Science", items=[item])],
        "item_count": 1,
    }
    return DigestPublished(**(values | changes))


def dead_letter(**changes: Any) -> DeadLetter:
    values: dict[str, Any] = {
        "original_topic": "devoured.page_fetched",
        "partition": 3,
        "offset": 41,
        "message_key": "abc",
        "payload": "{}",
        "error": "invalid PageFetched",
        "service": "extractor",
        "attempts": 1,
    }
    return DeadLetter(**(values | changes))


def story(article_id: str = "a1", **changes: Any) -> Story:
    values: dict[str, Any] = {
        "article_id": article_id,
        "edition_date": date(2026, 11, 29),
        "section": "Science",
        "title": f"Story {article_id}",
        "url": f"https://news.example.com/{article_id}",
        "source_name": "Example News",
        "source_weight": 1.0,
        "reading_minutes": 4,
        "published_at": WHEN,
        "tldr": f"Something happened in story {article_id}.",
        "deep_dive": [f"First fact of {article_id}.", f"Second fact of {article_id}."],
        "decoder": [DecoderTerm(term="Term", definition="What the term means.")],
        "text": f"Paragraph one of {article_id}.\nParagraph two of {article_id}.",
        "received_at": WHEN,
    }
    return Story(**(values | changes))

"""The CPU limit: each stage's pure core run alone, in this process, on the same articles.

fetch parse (the feed parsed, the page's bytes decoded), extract, summarise, and publish (the
publisher's intake, ``intake.story_of``: the story made plain text and classified by the
editor; plus one edition assembled over all of them and rendered in each format the publisher
writes, shared out per article). The sum is what one article must cost at the least; the pipeline
adds transport, database and HTTP on top.
"""

import gzip
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bench.pipeline.site import Web, feed_xml, page_files
from devoured_core.errors import SkippedInput
from devoured_core.messages import ArticleSummarized, DecoderTerm, SourceInfo
from devoured_core.model import Story
from devoured_extractor.extract import extract_content
from devoured_fetcher.decode import decode_body
from devoured_fetcher.feeds import parse_document
from devoured_publisher.edition import assemble_edition
from devoured_publisher.editor import DEFAULT_POLICY, Classification
from devoured_publisher.features import TextFeatures
from devoured_publisher.intake import story_of
from devoured_publisher.pages import render_email_html, render_html
from devoured_publisher.period import period_for
from devoured_publisher.render import render_json, render_markdown, render_text
from devoured_summarizer.backends import summarize_text

SOURCE = SourceInfo(source_id="bench", name="Bench")


@dataclass
class CoreCosts:
    articles: int
    published: int = 0
    skipped: int = 0
    seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("fetch", "extract", "summarize", "publish"), 0.0)
    )

    def per_article(self, stage: str) -> float:
        return self.seconds[stage] / max(1, self.articles)

    @property
    def total_per_article(self) -> float:
        return sum(self.seconds.values()) / max(1, self.articles)

    def mean_with(self, other: "CoreCosts") -> "CoreCosts":
        """The mean of two measurements of the same articles (before and after a run: the
        machine's speed drifts, and a VM that idled runs faster for a while)."""
        return CoreCosts(
            self.articles,
            self.published,
            self.skipped,
            {k: (v + other.seconds[k]) / 2 for k, v in self.seconds.items()},
        )


def core_costs(web: Web, *, sample: int = 600) -> CoreCosts:
    """CPU seconds (process time) of each core over the ``web``'s first ``sample`` articles
    (the long forms repeat the 601 pages, so a sample gives the same cost per article)."""
    files = page_files()
    count = min(web.articles, sample)
    raw = {i: gzip.decompress(files[i % len(files)].read_bytes()) for i in range(count)}
    costs = CoreCosts(count)
    clock = time.process_time
    stories: list[Story] = []
    notes: dict[str, Classification] = {}
    features: dict[str, TextFeatures] = {}
    now = datetime.now(UTC)
    period = period_for(now, timezone=UTC)
    feeds = [feed_xml(web, f, now) for f in range(web.feeds)]
    started = clock()
    for f, feed in enumerate(feeds):
        parse_document(feed, web.feed_url(f))
    # The feeds list every article; this sample's share of parsing them.
    costs.seconds["fetch"] += (clock() - started) * count / max(1, web.articles)
    for i, body in raw.items():
        started = clock()
        html = decode_body("text/html", body)
        costs.seconds["fetch"] += clock() - started
        started = clock()
        try:
            content = extract_content(html, web.article_url(i))
        except SkippedInput:
            costs.skipped += 1
            costs.seconds["extract"] += clock() - started
            continue
        costs.seconds["extract"] += clock() - started
        started = clock()
        summary = summarize_text(content.text, content.title)
        costs.seconds["summarize"] += clock() - started
        message = ArticleSummarized(
            article_id=f"a{i}",
            canonical_url=web.article_url(i),
            title=content.title,
            published_at=now,
            reading_minutes=content.reading_minutes,
            text=content.text,
            source=SOURCE,
            language=content.language,
            site_name=content.site_name,
            tldr=summary.tldr,
            deep_dive=summary.deep_dive,
            decoder=[DecoderTerm(term=t.term, definition=t.definition) for t in summary.decoder],
            backend=summary.backend,
        )
        started = clock()
        story, note, text = story_of(message, period=period, policy=DEFAULT_POLICY, received_at=now)
        stories.append(story)
        notes[story.article_id] = note
        features[story.article_id] = text
        costs.seconds["publish"] += clock() - started
    started = clock()
    edition = assemble_edition(
        stories, digest_name="Bench", day=date.today(), notes=notes, features=features
    )
    # Every format the publisher writes for an edition, once.
    for render in (render_markdown, render_html, render_email_html, render_text, render_json):
        render(edition)
    costs.seconds["publish"] += clock() - started
    costs.published = len(stories)
    return costs

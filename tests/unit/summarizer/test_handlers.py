"""The summarizer handler, wired by ``bootstrap`` to the fake unit of work."""

from datetime import UTC, datetime

from devoured_core.messages import ArticleExtracted, ArticleSummarized
from devoured_summarizer.bootstrap import bootstrap
from devoured_summarizer.simple_extractive import BACKEND, split_sentences
from tests.fakes import FakeClock, FakeDatabase
from tests.unit import samples

TEXT = (
    "The port authority opened a new container terminal on the east quay this week.\n"
    "The terminal doubles the number of ships the port can unload at the same time.\n"
    "An automated guided vehicle (AGV) moves each container from the crane to the yard.\n"
    "Dock workers negotiated a retraining programme before the terminal opened."
)


async def test_extracted_article_becomes_summarized_article() -> None:
    db, clock = FakeDatabase(), FakeClock(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    stage = bootstrap(db.new_uow, clock=clock)
    article = samples.article_extracted(text=TEXT, title="Port opens automated terminal")

    [summary] = await stage.handle(article)

    assert stage.message_type is ArticleExtracted
    assert isinstance(summary, ArticleSummarized)
    assert (summary.article_id, summary.canonical_url) == (
        article.article_id,
        article.canonical_url,
    )
    assert (summary.title, summary.text, summary.source) == (
        article.title,
        article.text,
        article.source,
    )
    assert summary.reading_minutes == article.reading_minutes
    assert summary.tldr in split_sentences(TEXT)
    assert summary.deep_dive
    assert summary.tldr not in summary.deep_dive
    assert [(t.term, t.definition) for t in summary.decoder] == [
        ("AGV", "automated guided vehicle")
    ]
    assert summary.backend == BACKEND
    row = db.tables.summaries[article.article_id]
    assert (row.summary, row.content_hash, row.summarized_at) == (
        summary,
        article.content_hash,
        clock.now,
    )
    assert db.commits == 1


async def test_replayed_article_overwrites_its_single_summary() -> None:
    db = FakeDatabase()
    stage = bootstrap(db.new_uow)
    article = samples.article_extracted(text=TEXT)

    await stage.handle(article)
    await stage.handle(article)

    assert list(db.tables.summaries) == [article.article_id]

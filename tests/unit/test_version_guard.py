"""Each stage stores what the newest message said: a redelivered or replayed older message,
handled after a newer one, leaves the row alone (the handlers pass the message's time)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from devoured_extractor.bootstrap import wire as extractor
from devoured_extractor.extract import extract
from devoured_extractor.tables import extractor_articles
from devoured_extractor.uow import ExtractorUnitOfWork
from devoured_publisher.bootstrap import wire as publisher
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.tables import publisher_items
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_summarizer.bootstrap import wire as summarizer
from devoured_summarizer.settings import SummarizerSettings
from devoured_summarizer.tables import summarizer_summaries
from devoured_summarizer.uow import SummarizerUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples

OLD = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
NEW = OLD + timedelta(minutes=10)
NEWS = (Path(__file__).parents[1] / "testdata" / "pages" / "news_article.html").read_text()


async def test_the_extractor_keeps_the_newer_pages_text(database: TestDatabase) -> None:
    new_uow = database.uow(ExtractorUnitOfWork, "extractor")
    stage = extractor(new_uow, clock=FakeClock(NEW), extractor=extract)
    newer = samples.page_fetched(body=NEWS, occurred_at=NEW)
    older = samples.page_fetched(body=NEWS.replace("barnacle", "seaweed"), occurred_at=OLD)

    [emitted] = await stage.handle(newer)
    assert await stage.handle(older) == []

    [row] = await database.rows(extractor_articles)
    assert "barnacle" in row["text"]
    assert row["message_occurred_at"] == NEW
    # The older page's event would carry a fresh time and win downstream: it is not emitted.
    assert await database.outbox() == [emitted]


async def test_the_summarizer_keeps_the_newer_articles_summary(database: TestDatabase) -> None:
    new_uow = database.uow(SummarizerUnitOfWork, "summarizer")
    stage = summarizer(new_uow, clock=FakeClock(NEW), settings=SummarizerSettings())
    text = "The harbour opened a new terminal this week after two years of building works."
    newer = samples.article_extracted(text=text, occurred_at=NEW)
    older = samples.article_extracted(text=text.replace("harbour", "airport"), occurred_at=OLD)

    [emitted] = await stage.handle(newer)
    assert await stage.handle(older) == []

    [row] = await database.rows(summarizer_summaries)
    assert "harbour" in row["tldr"]
    assert row["message_occurred_at"] == NEW
    assert await database.outbox() == [emitted]


async def test_the_publisher_keeps_the_newer_story(database: TestDatabase, tmp_path: Path) -> None:
    new_uow = database.uow(PublisherUnitOfWork, "publisher")
    stage, _ = publisher(
        new_uow,
        settings=PublisherSettings(out_dir=tmp_path),
        sink=FileSink(tmp_path),
        clock=FakeClock(NEW),
    )

    await stage.handle(samples.article_summarized(tldr="The newer TL;DR.", occurred_at=NEW))
    await stage.handle(samples.article_summarized(tldr="The older TL;DR.", occurred_at=OLD))

    [story] = await database.rows(publisher_items)
    assert story["tldr"] == "The newer TL;DR."
    assert story["message_occurred_at"] == NEW

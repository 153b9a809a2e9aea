"""Each stage stores what the newest message said: a redelivered or replayed older message,
handled after a newer one, leaves the row alone (the handlers pass the message's time)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from devoured_extractor.bootstrap import wire as extractor
from devoured_extractor.extract import extract
from devoured_infra.settings import Settings
from devoured_publisher.bootstrap import wire as publisher
from devoured_publisher.sinks import FileSink
from devoured_summarizer.bootstrap import wire as summarizer
from devoured_summarizer.settings import SummarizerSettings
from tests.fakes import FakeClock, FakeDatabase
from tests.unit import samples

OLD = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
NEW = OLD + timedelta(minutes=10)
NEWS = (Path(__file__).parents[1] / "testdata" / "pages" / "news_article.html").read_text()


async def test_the_extractor_keeps_the_newer_pages_text() -> None:
    db = FakeDatabase()
    stage = extractor(db.new_uow, clock=FakeClock(NEW), extractor=extract)
    newer = samples.page_fetched(body=NEWS, occurred_at=NEW)
    older = samples.page_fetched(body=NEWS.replace("barnacle", "seaweed"), occurred_at=OLD)

    [emitted] = await stage.handle(newer)
    assert await stage.handle(older) == []

    [row] = db.tables.extractions.values()
    assert "barnacle" in row.article.text
    assert row.version == NEW
    # The older page's event would carry a fresh time and win downstream: it is not emitted.
    assert db.tables.outbox == [emitted]


async def test_the_summarizer_keeps_the_newer_articles_summary() -> None:
    db = FakeDatabase()
    stage = summarizer(db.new_uow, clock=FakeClock(NEW), settings=SummarizerSettings())
    text = "The harbour opened a new terminal this week after two years of building works."
    newer = samples.article_extracted(text=text, occurred_at=NEW)
    older = samples.article_extracted(text=text.replace("harbour", "airport"), occurred_at=OLD)

    [emitted] = await stage.handle(newer)
    assert await stage.handle(older) == []

    [row] = db.tables.summaries.values()
    assert "harbour" in row.summary.text
    assert row.version == NEW
    assert db.tables.outbox == [emitted]


async def test_the_publisher_keeps_the_newer_story(tmp_path: Path) -> None:
    db = FakeDatabase()
    stage, _ = publisher(
        Settings(out_dir=tmp_path), db.new_uow, sink=FileSink(tmp_path), clock=FakeClock(NEW)
    )

    await stage.handle(samples.article_summarized(tldr="The newer TL;DR.", occurred_at=NEW))
    await stage.handle(samples.article_summarized(tldr="The older TL;DR.", occurred_at=OLD))

    [story] = db.tables.stories.values()
    assert story.tldr == "The newer TL;DR."

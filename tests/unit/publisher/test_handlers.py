"""Publisher handlers, wired by ``bootstrap`` to its unit of work on a real (SQLite) database
and a file sink."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from devoured_core.messages import ArticleSummarized, DigestPublished, SourceInfo
from devoured_core.model import EditionRecord, Story
from devoured_publisher import cutter, handlers
from devoured_publisher.bootstrap import wire
from devoured_publisher.cutter import Cut, CutSpec
from devoured_publisher.handlers import (
    PublisherDeps,
    build_edition,
    build_pending_editions,
    write_files,
)
from devoured_publisher.sections import QUICK_LINKS
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.tables import publisher_editions, publisher_items
from devoured_publisher.uow import PublisherUnitOfWork
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit import samples

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class Publisher:
    def __init__(self, database: TestDatabase, out_dir: Path, *, timezone: str = "UTC") -> None:
        self.database = database
        self.clock = FakeClock(NOON)
        self.out_dir = out_dir
        settings = PublisherSettings(
            digest_name="Devoured Daily", timezone=timezone, out_dir=out_dir
        )
        self.stage, self.deps = wire(
            database.uow(PublisherUnitOfWork, "publisher"),
            settings=settings,
            sink=FileSink(out_dir),
            clock=self.clock,
        )

    async def receive(self, msg: ArticleSummarized) -> None:
        assert await self.stage.handle(msg) == []

    async def stories(self) -> list[Story]:
        """The stories committed to the database."""
        return [Story.model_validate(row) for row in await self.database.rows(publisher_items)]

    async def story(self, article_id: str) -> Story:
        [row] = await self.database.rows(publisher_items, article_id=article_id)
        return Story.model_validate(row)

    async def edition(self, edition_id: str) -> EditionRecord:
        """The edition record committed to the database."""
        [row] = await self.database.rows(publisher_editions, edition_id=edition_id)
        return EditionRecord.model_validate(row)


@pytest.fixture
def publisher(database: TestDatabase, tmp_path: Path) -> Publisher:
    return Publisher(database, tmp_path)


def summarized(n: int, **changes: object) -> ArticleSummarized:
    return samples.article_summarized(
        article_id=f"article-{n}",
        canonical_url=f"https://news.example.com/{n}",
        title=f"Headline {n}",
        **changes,
    )


async def test_received_story_is_stored_for_todays_edition(publisher: Publisher) -> None:
    source = SourceInfo(source_id="s", name="Source S", section="Science", weight=2.5)
    await publisher.receive(summarized(1, source=source))

    story = await publisher.story("article-1")
    assert story.edition_date == date(2026, 11, 29)
    assert (story.section, story.source_name, story.source_weight) == ("Science", "Source S", 2.5)
    assert story.url == "https://news.example.com/1"
    assert story.received_at == NOON
    assert isinstance(publisher.deps, PublisherDeps)


async def test_story_without_deep_dive_goes_to_quick_links(publisher: Publisher) -> None:
    await publisher.receive(summarized(1, deep_dive=[]))
    assert (await publisher.story("article-1")).section == QUICK_LINKS


async def test_edition_date_follows_the_configured_timezone(
    database: TestDatabase, tmp_path: Path
) -> None:
    publisher = Publisher(database, tmp_path, timezone="Pacific/Auckland")
    await publisher.receive(summarized(1))
    assert (await publisher.story("article-1")).edition_date == date(2026, 11, 30)


async def test_same_story_twice_is_one_item(publisher: Publisher) -> None:
    story = summarized(1)
    await publisher.receive(story)
    publisher.clock.advance(timedelta(days=1))
    await publisher.receive(story)

    [stored] = await publisher.stories()
    assert stored.edition_date == date(2026, 11, 29)
    assert stored.received_at == NOON
    assert (await build_edition("2026-11-29", deps=publisher.deps)).item_count == 1
    assert (await build_edition("2026-11-30", deps=publisher.deps)).item_count == 0


async def test_build_edition_stores_record_and_its_event_and_the_relay_writes_files(
    publisher: Publisher,
) -> None:
    await publisher.receive(summarized(1, tags=["ai"]))
    publisher.clock.advance(timedelta(minutes=5))
    await publisher.receive(summarized(2, deep_dive=[], tags=["science"]))

    digest = await build_edition("2026-11-29", deps=publisher.deps)
    # The event is committed with the edition; its files are written when it is published.
    assert await publisher.database.outbox() == [digest]
    assert not (publisher.out_dir / "index.html").exists()
    await write_files(digest, deps=publisher.deps)

    assert isinstance(digest, DigestPublished)
    assert digest.title == "Devoured Daily - November 29, 2026"
    assert digest.item_count == 2
    assert [s.name for s in digest.sections] == ["AI", QUICK_LINKS]
    record = await publisher.edition("2026-11-29")
    assert (record.item_count, record.title) == (2, digest.title)
    assert record.built_at == NOON + timedelta(minutes=5)
    assert "Headline 1 (3 minute read)" in record.markdown
    assert (publisher.out_dir / "2026-11-29.md").read_text() == record.markdown
    assert (publisher.out_dir / "index.html").exists()


async def test_the_relay_writes_the_built_edition_without_assembling_it_again(
    publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    assembled: list[str] = []
    real = cutter.cut_stored_edition

    async def counted(uow: PublisherUnitOfWork, spec: CutSpec) -> Cut:
        assembled.append(spec.edition_id)
        return await real(uow, spec)

    monkeypatch.setattr(handlers, "cut_stored_edition", counted)
    await publisher.receive(summarized(1))
    digest = await build_edition("2026-11-29", deps=publisher.deps)
    await write_files(digest, deps=publisher.deps)
    assert assembled == ["2026-11-29"]
    assert (publisher.out_dir / "2026-11-29.md").read_text() == (
        await publisher.edition("2026-11-29")
    ).markdown

    # An edition this process did not build (another replica, a restart) is assembled.
    await write_files(digest, deps=publisher.deps)
    assert assembled == ["2026-11-29", "2026-11-29"]
    assert "Headline 1" in (publisher.out_dir / "2026-11-29.html").read_text()


async def test_rebuilding_the_same_stories_is_idempotent(publisher: Publisher) -> None:
    await publisher.receive(summarized(1))
    first = await build_edition("2026-11-29", deps=publisher.deps)
    hash_before = (await publisher.edition("2026-11-29")).content_hash
    publisher.clock.advance(timedelta(hours=1))

    second = await build_edition("2026-11-29", deps=publisher.deps)

    assert second.model_dump(exclude={"message_id", "occurred_at"}) == first.model_dump(
        exclude={"message_id", "occurred_at"}
    )
    assert (await publisher.edition("2026-11-29")).content_hash == hash_before


async def test_pending_editions_are_built_once_until_new_stories_arrive(
    publisher: Publisher,
) -> None:
    await publisher.receive(summarized(1))
    [digest] = await build_pending_editions(deps=publisher.deps)
    assert digest.edition_id == "2026-11-29"
    assert await build_pending_editions(deps=publisher.deps) == []

    publisher.clock.advance(timedelta(minutes=1))
    await publisher.receive(summarized(2))
    [rebuilt] = await build_pending_editions(deps=publisher.deps)
    assert rebuilt.item_count == 2

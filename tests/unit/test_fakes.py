"""The fakes keep the promises of the ports they stand in for."""

from datetime import UTC, date, datetime, timedelta

import pytest

from devoured_core.model import EditionRecord, FeedState, Source
from devoured_infra.uow import UnitOfWork, UnitOfWorkFactory
from tests.fakes import FakeDatabase, FakeUnitOfWork
from tests.unit import samples

T0 = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
SOURCE = Source(source_id="s1", name="One", url="https://one.example.com/feed")


def test_fake_satisfies_the_unit_of_work_protocol() -> None:
    db = FakeDatabase()
    factory: UnitOfWorkFactory = db.new_uow
    uow: UnitOfWork = factory()
    assert isinstance(uow, FakeUnitOfWork)


async def test_committed_writes_are_visible_to_the_next_unit_of_work() -> None:
    db = FakeDatabase()
    async with db.new_uow() as uow:
        await uow.sources.save_sources([SOURCE])
        await uow.commit()
    async with db.new_uow() as uow:
        assert await uow.sources.enabled_sources() == [SOURCE]
    assert [u.committed for u in db.units] == [True, False]


async def test_leaving_without_commit_discards_writes() -> None:
    db = FakeDatabase()
    async with db.new_uow() as uow:
        await uow.sources.save_sources([SOURCE])
        await uow.article_requests.mark_requested("a1", url="u", source_id="s1", at=T0)
        await uow.stories.save(samples.story("a1"), version=T0)
    assert uow.committed is False
    assert db.tables.sources == {}
    assert db.tables.article_requests == {}
    assert db.tables.stories == {}
    async with db.new_uow() as again:
        assert await again.sources.enabled_sources() == []


async def test_an_exception_rolls_back() -> None:
    db = FakeDatabase()

    async def fail_half_way() -> None:
        async with db.new_uow() as uow:
            await uow.sources.save_sources([SOURCE])
            raise RuntimeError("half way")

    with pytest.raises(RuntimeError, match="half way"):
        await fail_half_way()
    assert db.tables.sources == {}


async def test_writes_after_commit_are_discarded_without_a_second_commit() -> None:
    db = FakeDatabase()
    async with db.new_uow() as uow:
        await uow.sources.save_sources([SOURCE])
        await uow.commit()
        await uow.stories.save(samples.story("late"), version=T0)
    assert set(db.tables.sources) == {"s1"}
    assert db.tables.stories == {}


async def test_uncommitted_writes_are_invisible_to_a_concurrent_unit_of_work() -> None:
    db = FakeDatabase()
    async with db.new_uow() as writer:
        await writer.sources.save_sources([SOURCE])
        async with db.new_uow() as reader:
            assert await reader.sources.enabled_sources() == []
        await writer.commit()
    assert set(db.tables.sources) == {"s1"}


async def test_article_requests_follow_the_sql_semantics() -> None:
    db = FakeDatabase()
    after = timedelta(minutes=10)
    async with db.new_uow() as uow:
        await uow.article_requests.mark_requested("req", url="u1", source_id="s", at=T0)
        await uow.article_requests.mark_fetched("ok", url="u2", source_id="s", at=T0, status=200)
        await uow.article_requests.mark_fetched(
            "err", url="u3", source_id="s", at=T0 - after * 2, status=0, error="boom"
        )
        wanted = await uow.article_requests.needing_request(
            ["req", "ok", "err", "new"], now=T0 + after / 2, rerequest_after=after
        )
        later = await uow.article_requests.needing_request(
            ["req", "ok"], now=T0 + after * 2, rerequest_after=after
        )
    assert wanted == {"new"}  # a fetch that failed for good is not requested again
    assert later == {"req"}


async def test_record_poll_keeps_validators_unless_a_fresh_200_brings_new_ones() -> None:
    db = FakeDatabase()
    async with db.new_uow() as uow:
        await uow.sources.save_sources([SOURCE])
        await uow.sources.record_poll("s1", at=T0, status=200, error=None, etag='"a"')
        await uow.sources.record_poll("s1", at=T0, status=304, error=None, etag=None)
        assert (await uow.sources.feed_state("s1")).etag == '"a"'
        await uow.sources.record_poll("s1", at=T0, status=None, error="down")
        await uow.sources.record_poll("s1", at=T0, status=None, error="down")
        state = await uow.sources.feed_state("s1")
        assert (state.etag, state.error_count) == ('"a"', 2)
        assert await uow.sources.feed_state("unknown") == FeedState()


async def test_story_replay_keeps_first_edition_date_and_receive_time() -> None:
    db = FakeDatabase()
    async with db.new_uow() as uow:
        await uow.stories.save(samples.story("a", received_at=T0), version=T0)
        await uow.stories.save(
            samples.story(
                "a", title="New", edition_date=date(2026, 12, 1), received_at=T0 + timedelta(1)
            ),
            version=T0 + timedelta(1),
        )
        [story] = await uow.stories.for_edition("2026-11-29")
    assert (story.title, story.received_at) == ("New", T0)


async def test_editions_latest_and_editions_needing_build() -> None:
    db = FakeDatabase()

    def record(day: date, items: int, built: datetime) -> EditionRecord:
        return EditionRecord(
            edition_id=day.isoformat(),
            edition_date=day,
            title="t",
            overview="o",
            item_count=items,
            story_count=items,
            markdown="m",
            html="h",
            content_hash="c",
            built_at=built,
        )

    d1, d2 = date(2026, 11, 28), date(2026, 11, 29)
    async with db.new_uow() as uow:
        assert await uow.editions.latest() is None
        await uow.stories.save(samples.story("a", edition_date=d1, received_at=T0), version=T0)
        await uow.stories.save(samples.story("b", edition_date=d2, received_at=T0), version=T0)
        assert await uow.stories.editions_needing_build() == ["2026-11-28", "2026-11-29"]
        await uow.editions.save(record(d2, 1, T0))
        await uow.editions.save(record(d1, 1, T0))
        assert await uow.stories.editions_needing_build() == []
        latest = await uow.editions.latest()
        assert latest is not None
        assert latest.edition_date == d2
        assert await uow.editions.get("2026-11-28") == record(d1, 1, T0)

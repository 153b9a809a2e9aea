"""The unit of work and repositories against a real PostgreSQL server."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from devoured_core.model import Source, Story
from devoured_fetcher.repositories import RequestMark
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.migrate import upgrade_async
from devoured_publisher.uow import PublisherUnitOfWork

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
async def fetcher_uow(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    yield lambda: FetcherUnitOfWork(sessions, service="fetcher")
    await engine.dispose()


@pytest.fixture
async def publisher_uow(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    yield lambda: PublisherUnitOfWork(sessions, service="publisher")
    await engine.dispose()


def _story(article_id: str, **changes: object) -> Story:
    values: dict[str, object] = {
        "article_id": article_id,
        "edition_date": date(2026, 11, 29),
        "section": "AI",
        "title": f"Story {article_id}",
        "url": f"https://example.org/{article_id}",
        "source_name": "Example",
        "source_weight": 1.0,
        "reading_minutes": 3,
        "published_at": None,
        "tldr": "Something happened.",
        "deep_dive": ["A fact."],
        "decoder": [],
        "text": "Body.",
        "received_at": NOW,
    }
    return Story.model_validate(values | changes)


async def test_leaving_without_commit_rolls_back(fetcher_uow) -> None:  # type: ignore[no-untyped-def]
    async with fetcher_uow() as uow:
        await uow.sources.save_sources([Source(source_id="s1", name="S", url="https://e.org/f")])
    async with fetcher_uow() as uow:
        assert await uow.sources.enabled_sources() == []


async def test_commit_persists_and_upserts_do_not_duplicate(fetcher_uow) -> None:  # type: ignore[no-untyped-def]
    source = Source(source_id="s1", name="S", url="https://e.org/f", weight=2.0)
    for _ in range(2):
        async with fetcher_uow() as uow:
            await uow.sources.save_sources([source])
            await uow.commit()
    async with fetcher_uow() as uow:
        assert await uow.sources.enabled_sources() == [source]


async def test_article_requests_are_not_repeated_until_the_rerequest_delay(fetcher_uow) -> None:  # type: ignore[no-untyped-def]
    wait = timedelta(minutes=10)
    async with fetcher_uow() as uow:
        assert await uow.article_requests.needing_request(
            ["a", "b"], now=NOW, rerequest_after=wait
        ) == {"a", "b"}
        await uow.article_requests.mark_requested("a", url="u", source_id="s", at=NOW)
        await uow.article_requests.mark_fetched("b", url="u", source_id="s", at=NOW, status=200)
        await uow.commit()
    async with fetcher_uow() as uow:
        soon, later = NOW + timedelta(minutes=1), NOW + timedelta(minutes=11)
        assert (
            await uow.article_requests.needing_request(["a", "b"], now=soon, rerequest_after=wait)
            == set()
        )
        assert await uow.article_requests.needing_request(
            ["a", "b"], now=later, rerequest_after=wait
        ) == {"a"}


async def test_replayed_story_keeps_its_first_edition_and_receipt(publisher_uow) -> None:  # type: ignore[no-untyped-def]
    first = _story("x1")
    replay = _story(
        "x1", edition_date=date(2026, 11, 30), received_at=NOW + timedelta(days=1), tldr="Updated."
    )
    for story in (first, replay):
        async with publisher_uow() as uow:
            await uow.stories.save(story, version=story.received_at)
            await uow.commit()
    async with publisher_uow() as uow:
        stored = await uow.stories.for_edition("2026-11-29")
        assert [(s.article_id, s.received_at, s.tldr) for s in stored] == [("x1", NOW, "Updated.")]
        assert await uow.stories.for_edition("2026-11-30") == []
        assert await uow.stories.editions_needing_build() == ["2026-11-29"]


async def test_migrating_twice_is_harmless(database_url: str) -> None:
    await upgrade_async(database_url)
    await upgrade_async(database_url)


async def _statements_share_a_transaction(uow: FetcherUnitOfWork) -> bool:
    """Whether two statements of ``uow`` run in one transaction (the same transaction id)."""
    session = uow._session
    first = (await session.execute(text("SELECT txid_current()"))).scalar_one()
    second = (await session.execute(text("SELECT txid_current()"))).scalar_one()
    return bool(first == second)


async def test_a_read_only_unit_of_work_reads_outside_a_transaction(fetcher_uow) -> None:  # type: ignore[no-untyped-def]
    async with fetcher_uow() as uow:
        assert await _statements_share_a_transaction(uow)
    async with fetcher_uow() as uow:
        await uow.read_only()
        assert not await _statements_share_a_transaction(uow)
    # The connection goes back to the pool as it was: the next unit of work has a transaction.
    async with fetcher_uow() as uow:
        assert await _statements_share_a_transaction(uow)


async def test_many_requests_are_marked_in_one_statement(fetcher_uow) -> None:  # type: ignore[no-untyped-def]
    marks = [RequestMark(f"m{i}", f"https://e.org/{i}", "s", NOW) for i in range(5)]
    async with fetcher_uow() as uow:
        await uow.article_requests.mark_requested("m0", url="old", source_id="s", at=NOW)
        await uow.article_requests.mark_all_requested(marks)
        await uow.commit()
    async with fetcher_uow() as uow:
        wanted = await uow.article_requests.needing_request(
            [m.article_id for m in marks], now=NOW, rerequest_after=timedelta(minutes=1)
        )
    assert wanted == set()

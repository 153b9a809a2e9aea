"""The publisher's stored text features on PostgreSQL: a 64-bit SimHash in a signed BIGINT,
term counts in BYTEA, and an edition's stories read without their texts."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.model import EditionRecord
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_publisher.cutter import CutSpec, cut_in_worker, cut_stored_edition
from devoured_publisher.editor import DEFAULT_POLICY
from devoured_publisher.features import text_features
from devoured_publisher.repositories import EditionPages, EditionRepository, StoryRepository
from devoured_publisher.sections import SECTION_ORDER
from devoured_publisher.tables import publisher_items
from devoured_publisher.uow import PublisherUnitOfWork
from tests.unit import samples

pytestmark = pytest.mark.postgres

WORDS = "harbour tram line opens second route ferry quay timetable council vote".split()


def _text(n: int) -> str:
    """Our own text of 80 words, different for each ``n``."""
    return " ".join(WORDS[(n * 7 + i * (n % 5 + 1)) % len(WORDS)] for i in range(80))


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    async with create_sessionmaker(engine)() as opened:
        yield opened
    await engine.dispose()


async def test_features_are_read_back_as_computed_and_heads_carry_no_text(
    session: AsyncSession,
) -> None:
    texts = {f"a{n}": _text(n) for n in range(12)}
    signatures = {i: text_features(t).simhash or 0 for i, t in texts.items()}
    assert any(s >> 63 for s in signatures.values())  # one needs the sign bit of BIGINT
    assert any(not s >> 63 for s in signatures.values())
    stories = StoryRepository(session)
    for article_id, text in texts.items():
        story = samples.story(article_id, text=text)
        await stories.save(story, version=story.received_at)
    await session.execute(  # stored before 0015
        update(publisher_items)
        .where(publisher_items.c.article_id == "a0")
        .values(text_simhash=None, text_words=None, text_terms=None)
    )
    await session.commit()

    heads, features = await stories.heads_for_edition("2026-11-29")

    assert sorted(s.article_id for s in heads) == sorted(texts)
    assert {s.article_id: s.text for s in heads if s.text} == {"a0": texts["a0"]}
    assert all(not s.decoder for s in heads)
    assert all(s.deep_dive for s in heads)
    assert sorted(features) == sorted(set(texts) - {"a0"})
    for article_id, read in features.items():
        computed = text_features(texts[article_id])
        assert read.simhash == computed.simhash == signatures[article_id]
        assert read.words == computed.words == 80
        assert list(read.terms.items()) == list(computed.terms.items())
    shown = await stories.shown(["a3", "a5", "missing"])
    assert {i: (s.text, len(s.decoder)) for i, s in shown.items()} == {
        "a3": (texts["a3"], 1),
        "a5": (texts["a5"], 1),
    }


async def test_a_cut_in_a_worker_process_reads_postgresql_as_the_publisher_does(
    session: AsyncSession, database_url: str
) -> None:
    stories = StoryRepository(session)
    for n in range(30):
        title = "Harbour tram line opens" if n % 3 == 0 else f"Council vote number {n}"
        story = samples.story(f"a{n}", text=_text(n % 10), title=title)
        await stories.save(story, version=story.received_at)
    await session.commit()
    spec = CutSpec(
        edition_id="2026-11-29",
        digest_name="Devoured Daily",
        day=date(2026, 11, 29),
        section_order=SECTION_ORDER,
        policy=DEFAULT_POLICY,
    )
    engine = create_engine(database_url)
    try:
        async with PublisherUnitOfWork(create_sessionmaker(engine), service="publisher") as uow:
            here = await cut_stored_edition(uow, spec)
    finally:
        await engine.dispose()

    there = await cut_in_worker(database_url, spec)

    assert there.latest_received == here.latest_received is not None
    assert there.edition.shown() == here.edition.shown() != []
    assert there.edition.editor_json() == here.edition.editor_json()
    assert there.edition.also_covered == here.edition.shown_only().also_covered != {}


async def test_an_editions_pages_are_stored_with_it_and_read_alone(
    session: AsyncSession,
) -> None:
    editions = EditionRepository(session)
    record = EditionRecord(
        edition_id="2026-11-29",
        edition_date=date(2026, 11, 29),
        title="Test Digest",
        overview="o",
        item_count=1,
        story_count=1,
        markdown="m",
        html="<p>file</p>",
        content_hash="c",
        built_at=datetime(2026, 11, 29, 12, tzinfo=UTC),
    )
    page = "<p>web \N{EM DASH} " + "x" * 300_000 + "</p>"  # TOASTed on PostgreSQL
    await editions.save(record, EditionPages(web_html=page, api_json='{"a":1}'))
    assert await editions.pages("2026-11-29") == EditionPages(page, '{"a":1}')
    assert await editions.get("2026-11-29") == record
    assert await editions.recent(5) == [record]
    await editions.save(record)  # a record without pages: the site assembles the edition
    assert await editions.pages("2026-11-29") is None
    assert await editions.pages("2026-11-28") is None
    await session.rollback()

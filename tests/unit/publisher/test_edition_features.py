"""An edition built from the features stored with each story (no texts read but the shown
stories') is the edition built from the whole stories."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from devoured_core.model import Story
from devoured_infra.metrics import REGISTRY
from devoured_publisher.bootstrap import wire
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.features import (
    decode_terms,
    encode_terms,
    signed,
    text_features,
    unsigned,
)
from devoured_publisher.handlers import PublisherDeps, assemble_stored_edition, build_edition
from devoured_publisher.merging import text_terms
from devoured_publisher.pages import render_html
from devoured_publisher.render import render_markdown
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.sinks import FileSink
from devoured_publisher.tables import publisher_items
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import create_web_app
from tests.fakes import FakeClock
from tests.support.sqlite import TestDatabase
from tests.unit.publisher.made import made_stories

EDITION = "2026-11-29"
NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
LEGACY = {"s0003", "s0010", "s0042"}  # stored before features were (their columns NULL)


def test_features_survive_the_round_trip_through_their_columns() -> None:
    text = "Grid batteries absorbed the solar surplus; the grid's evening prices fell. " * 12
    features = text_features(text)
    assert features.simhash is not None
    assert features.words == len(text.split())
    terms = decode_terms(encode_terms(features.terms))
    assert (
        dict(terms.items())
        == dict(text_terms(text).items())
        == {
            "grid": 24,
            "batteries": 12,
            "absorbed": 12,
            "the": 24,
            "solar": 12,
            "surplus": 12,
            "evening": 12,
            "prices": 12,
            "fell": 12,
        }
    )
    assert decode_terms(encode_terms(text_features("").terms)).terms == ()
    for signature in (0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1):
        stored = signed(signature)
        assert stored is not None
        assert -(1 << 63) <= stored < 1 << 63
        assert unsigned(stored) == signature
    assert text_features("too short to sign").simhash is None


def _stories() -> list[Story]:
    made = made_stories(240, seed=3)
    return [
        s.model_copy(
            update={
                "source_weight": (0.5, 1.0, 2.0)[n % 3],
                "received_at": NOON + timedelta(seconds=n),
                "deep_dive": [] if n % 7 == 0 else s.deep_dive,  # Quick Links
            }
        )
        for n, s in enumerate(made)
    ]


async def _stored(
    database: TestDatabase, tmp_path: Path, *, cut_worker_from: int = 0
) -> PublisherDeps:
    _, deps = wire(
        database.uow(PublisherUnitOfWork, "publisher"),
        settings=PublisherSettings(
            digest_name="Devoured Daily", out_dir=tmp_path, cut_worker_from=cut_worker_from
        ),
        sink=FileSink(tmp_path),
        clock=FakeClock(NOON),
        database_url=database.url,
    )
    async with deps.new_uow() as uow:
        for story in _stories():
            assert await uow.stories.save(story, version=story.received_at)
        await uow.commit()
    async with database.engine.begin() as connection:
        await connection.execute(
            update(publisher_items)
            .where(publisher_items.c.article_id.in_(LEGACY))
            .values(text_simhash=None, text_words=None, text_terms=None)
        )
    return deps


async def _from_whole_stories(deps: PublisherDeps) -> Edition:
    """The edition as assembled from every story read in full (the former build)."""
    async with deps.new_uow() as uow:
        whole = await uow.stories.for_edition(EDITION)
        notes = await uow.stories.notes_for_edition(EDITION)
    return assemble_edition(
        [s.model_copy(update={"text_words": None}) for s in whole],
        digest_name=deps.digest_name,
        day=date(2026, 11, 29),
        edition_id=EDITION,
        notes=notes,
        policy=deps.policy,
    )


def _assert_same(built: Edition, expected: Edition) -> None:
    assert built.also_covered.keys() <= expected.also_covered.keys()
    assert any(built.also(s) for s in built.top_stories())
    assert render_markdown(built) == render_markdown(expected)
    assert render_html(built) == render_html(expected)
    assert built.editor_json() == expected.editor_json()
    volatile = {"message_id", "occurred_at"}
    assert built.to_message().model_dump(exclude=volatile) == expected.to_message().model_dump(
        exclude=volatile
    )


async def test_an_edition_from_stored_features_is_the_edition_from_whole_stories(
    database: TestDatabase, tmp_path: Path
) -> None:
    deps = await _stored(database, tmp_path)
    async with deps.new_uow() as uow:
        heads, _ = await uow.stories.heads_for_edition(EDITION)
        built, latest = await assemble_stored_edition(uow, EDITION, deps, stored=False)
    # The cut reads no text but the legacy stories'; only the shown stories are read in full.
    assert {s.article_id for s in heads if s.text} == LEGACY
    assert all(not s.decoder for s in heads)
    assert 0 < len(built.shown()) < len(heads) / 2
    assert all(s.text and s.decoder for _, stories in built.sections for s in stories)
    assert latest == max(s.received_at for s in heads)
    _assert_same(built, await _from_whole_stories(deps))


async def test_a_big_edition_is_cut_in_a_process_of_its_own_to_the_same_edition(
    database: TestDatabase, tmp_path: Path
) -> None:
    deps = await _stored(database, tmp_path, cut_worker_from=200)
    before = _cuts()
    async with deps.new_uow() as uow:
        built, _ = await assemble_stored_edition(uow, EDITION, deps, stored=False)
    assert _cuts() == (before[0], before[1] + 1)  # in a worker, not here
    _assert_same(built, await _from_whole_stories(deps))

    smaller = replace(deps, cut_worker_from=len(_stories()) + 1)
    unnamed = replace(deps, database_url="")
    in_memory = replace(deps, database_url="sqlite+aiosqlite:///:memory:")
    for in_place in (smaller, unnamed, in_memory):
        async with in_place.new_uow() as uow:
            await assemble_stored_edition(uow, EDITION, in_place, stored=False)
    assert _cuts() == (before[0] + 3, before[1] + 1)

    # The website serves the page the build rendered (no cut); for an edition stored without
    # it (before 0016) the cut is made in place: a page never waits for a process to start.
    await build_edition(EDITION, deps=deps)
    assert _cuts() == (before[0] + 3, before[1] + 2)
    app = create_web_app(deps, base_url="http://testserver")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as site:
        assert (await site.get(f"/editions/{EDITION}")).status_code == 200
        assert _cuts() == (before[0] + 3, before[1] + 2)
        async with deps.new_uow() as uow:
            record = await uow.editions.get(EDITION)
            assert record is not None
            await uow.editions.save(record)
            await uow.commit()
        assert (await site.get(f"/editions/{EDITION}")).status_code == 200
    assert _cuts() == (before[0] + 4, before[1] + 2)


def _cuts() -> tuple[float, float]:
    return tuple(  # type: ignore[return-value]
        REGISTRY.get_sample_value("devoured_publisher_edition_cuts_total", {"where": where}) or 0.0
        for where in ("in_process", "worker")
    )

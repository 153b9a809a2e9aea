"""Adding a stage touches one folder: the tagger (tests/fifth_stage/tagger) is installed the
way any service package is, by a ``devoured.services`` entry point, and the registry, the
embedded runner, the migrations, the topic list and the AsyncAPI document all take it in."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from devoured_core.messages import ArticleExtracted, PageFetched
from devoured_embedded.runner import run_once
from devoured_infra import registry
from devoured_infra.asyncapi import asyncapi_document
from devoured_infra.db import create_engine
from devoured_infra.service import Input, ServiceDescriptor, Wiring
from devoured_infra.settings import Settings
from tests.e2e.pipeline import embedded_overrides
from tests.fifth_stage.tagger.messages import ArticleTagged
from tests.fifth_stage.tagger.tags import tags_for
from tests.support.site import serve_site

STORIES = 3


@pytest.fixture
def tagger_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What installing a ``devoured-tagger`` distribution would write: its metadata and its
    entry point, on the path."""
    site = tmp_path / "site"
    dist = site / "devoured_tagger-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: devoured-tagger\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[devoured.services]\ntagger = tests.fifth_stage.tagger.service:SERVICE\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    registry.installed.cache_clear()
    yield
    registry.installed.cache_clear()


def test_the_registry_finds_the_installed_stage(tagger_installed: None) -> None:
    assert registry.names() == ("fetcher", "extractor", "summarizer", "publisher", "tagger")
    assert registry.find("tagger").port == 9199
    topics = registry.all_topics()
    assert ArticleTagged.TOPIC in topics
    # The tagger consumes what the publisher consumes: one dead-letter topic still.
    assert topics.count("devoured.article_summarized.dlq") == 1
    assert len(topics) == len(set(topics))


def test_the_asyncapi_document_describes_the_stage(tagger_installed: None) -> None:
    document = asyncapi_document("test")
    operations = document["operations"]
    assert any(
        "tagger" in name and operation["action"] == "receive"
        for name, operation in operations.items()
    ), sorted(operations)
    channels = {c["address"] for c in document["channels"].values()}
    assert ArticleTagged.TOPIC in channels
    assert "ArticleTagged" in document["components"]["messages"] or any(
        "ArticleTagged" in key for key in document["components"]["schemas"]
    )


async def test_embedded_mode_runs_the_stage_beside_the_others(
    tagger_installed: None, tmp_path: Path
) -> None:
    database = tmp_path / "devoured.db"
    with serve_site(STORIES) as site:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
        report = await run_once(
            settings, overrides=embedded_overrides(tmp_path, f"{site.base_url}/feed.xml")
        )

    assert report.dead_letters == []
    assert [e.item_count for e in report.editions] == [STORIES]
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            versions = set(
                (await connection.execute(text("select * from alembic_version"))).scalars()
            )
            tags: dict[str, str] = dict(
                (await connection.execute(text("select article_id, tags from tagger_tags"))).all()
            )
            stories: dict[str, str] = dict(
                (
                    await connection.execute(text("select article_id, text from publisher_items"))
                ).all()
            )
            sent = (
                await connection.execute(
                    text("select count(*) from outbox where topic = :t and sent_at is not null"),
                    {"t": ArticleTagged.TOPIC},
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    # Its own migration branch made its table.
    assert "t001_tagger_tags" in versions
    # It saw every story the publisher saw, and tagged each by its pure core.
    assert set(tags) == set(stories)
    assert len(stories) == STORIES
    for article_id, story_text in stories.items():
        assert json.loads(tags[article_id]) == tags_for(story_text)
    # Its events went out through the outbox like every stage's.
    assert sent == STORIES


def test_a_wiring_must_match_its_descriptor() -> None:
    descriptor = ServiceDescriptor(
        name="mismatched", port=9198, inputs=(Input(PageFetched),), bootstrap=lambda _: Wiring([])
    )
    with pytest.raises(ValueError, match="mismatched"):
        descriptor.check([])
    with pytest.raises(ValueError, match="declared twice"):
        registry.ordered([descriptor, descriptor])
    twice = ServiceDescriptor(
        name="twice",
        port=9197,
        inputs=(Input(ArticleExtracted), Input(ArticleExtracted)),
        bootstrap=lambda _: Wiring([]),
    )
    with pytest.raises(ValueError, match="twice input"):
        registry.ordered([twice])

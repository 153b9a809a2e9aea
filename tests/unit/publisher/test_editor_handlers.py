"""The editor in the publisher's shell: notes stored with each story, clean headlines, the
editor's decisions in the files, and the optional overview writer."""

import dataclasses
import json
from pathlib import Path

from devoured_core.messages import SourceInfo
from devoured_publisher.handlers import build_edition, write_files
from devoured_publisher.tables import publisher_items
from tests.support.sqlite import TestDatabase
from tests.unit import samples
from tests.unit.publisher.test_handlers import Publisher

TECH_TEXT = (
    "The company released a new open-source compiler for Rust and Python developers.\n"
    "Engineers said the software cuts build times on every supported computer by half."
)
SPORTS_TEXT = "The home side scored twice in the second half to win the derby on Sunday."


def summarized(n: int, **changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "article_id": f"article-{n}",
        "canonical_url": f"https://news.example.com/{n}",
        "title": f"Compiler {n} ships | Example News",
        "text": TECH_TEXT,
        "tags": [],
        "tldr": "A new compiler halves build times for Rust and Python developers.",
    }
    return samples.article_summarized(**(values | changes))


async def test_story_is_stored_with_the_editors_note_and_a_clean_headline(
    database: TestDatabase, tmp_path: Path
) -> None:
    publisher = Publisher(database, tmp_path)
    source = SourceInfo(source_id="ex", name="Example News")
    await publisher.receive(summarized(1, source=source))
    [row] = await database.rows(publisher_items, article_id="article-1")
    assert row["title"] == "Compiler 1 ships"
    assert row["section"] == "Programming, Design and Data"
    assert row["relevance"] > 0.5
    assert 0 < row["section_confidence"] <= 1
    assert row["editor_reason"] == "keywords of Programming, Design and Data"


async def test_edition_files_carry_the_editors_decisions(
    database: TestDatabase, tmp_path: Path
) -> None:
    publisher = Publisher(database, tmp_path)
    await publisher.receive(summarized(1))
    await publisher.receive(
        summarized(2, title="Derby won late", text=SPORTS_TEXT, tldr="The home side won.")
    )
    digest = await build_edition("2026-11-29", deps=publisher.deps)
    await write_files(digest, deps=publisher.deps)
    document = json.loads((tmp_path / "2026-11-29.json").read_text())
    by_id = {d["article_id"]: d for d in document["editor"]}
    assert by_id["article-1"]["placement"] == "lead"
    assert by_id["article-2"]["placement"] == "other"
    assert by_id["article-2"]["reason"].startswith("off topic: relevance")
    assert [s["name"] for s in document["sections"]] == ["Programming, Design and Data", "Other"]
    assert "Why here" in (tmp_path / "2026-11-29.html").read_text()


async def test_overview_writer_paragraph_is_used_and_kept_in_the_files(
    database: TestDatabase, tmp_path: Path
) -> None:
    publisher = Publisher(database, tmp_path)
    briefs: list[str] = []
    paragraph = (
        "A new compiler halved build times for Rust and Python developers today. "
        "It ships as open source and runs on every supported computer."
    )

    async def writer(instructions: str, brief: str) -> str:
        briefs.append(brief)
        return paragraph

    publisher.deps = dataclasses.replace(publisher.deps, overview_writer=writer)
    await publisher.receive(summarized(1))
    digest = await build_edition("2026-11-29", deps=publisher.deps)
    assert digest.overview == paragraph
    assert "Compiler 1 ships" in briefs[0]
    await write_files(digest, deps=publisher.deps)
    assert json.loads((tmp_path / "2026-11-29.json").read_text())["overview"] == paragraph


async def test_a_list_from_the_overview_writer_is_refused(
    database: TestDatabase, tmp_path: Path
) -> None:
    publisher = Publisher(database, tmp_path)

    async def writer(instructions: str, brief: str) -> str:
        return "- Compiler ships\n- Derby won\n- Something else happened today as well"

    publisher.deps = dataclasses.replace(publisher.deps, overview_writer=writer)
    await publisher.receive(summarized(1))
    digest = await build_edition("2026-11-29", deps=publisher.deps)
    assert digest.overview == "A new compiler halves build times for Rust and Python developers."

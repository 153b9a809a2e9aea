"""FileSink: every format per edition, written atomically; index.html follows the newest."""

import json
from datetime import date
from pathlib import Path

from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.sinks import FileSink, NullSink
from tests.unit.samples import story


def edition_for(day: date, title: str = "A story") -> Edition:
    return assemble_edition([story("a", title=title)], digest_name="Devoured Daily", day=day)


def test_writes_every_format_and_the_latest_copies(tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested"
    written = FileSink(out).write(edition_for(date(2026, 11, 29)))
    assert {p.name for p in written} == {
        "2026-11-29.md",
        "2026-11-29.html",
        "2026-11-29.txt",
        "2026-11-29.json",
        "2026-11-29.email.html",
        "index.html",
        "latest.md",
    }
    assert all(p.parent == out and p.exists() for p in written)
    assert (out / "index.html").read_text() == (out / "2026-11-29.html").read_text()
    assert (out / "latest.md").read_text() == (out / "2026-11-29.md").read_text()
    assert json.loads((out / "2026-11-29.json").read_text())["edition_id"] == "2026-11-29"
    assert "Devoured Daily - November 29, 2026" in (out / "2026-11-29.txt").read_text()


def test_leaves_no_temporary_files(tmp_path: Path) -> None:
    sink = FileSink(tmp_path)
    sink.write(edition_for(date(2026, 11, 29)))
    sink.write(edition_for(date(2026, 11, 29), title="Updated story"))
    assert list(tmp_path.glob("*.tmp")) == []
    assert "Updated story" in (tmp_path / "2026-11-29.md").read_text()


def test_rewrites_replace_the_file_instead_of_truncating_it(tmp_path: Path) -> None:
    """Write-then-rename gives a reader either the old or the new file, never half of one."""
    sink = FileSink(tmp_path)
    sink.write(edition_for(date(2026, 11, 29)))
    target = tmp_path / "2026-11-29.html"
    reader = target.open(encoding="utf-8")
    before = target.stat().st_ino
    try:
        sink.write(edition_for(date(2026, 11, 29), title="Second version"))
        assert target.stat().st_ino != before
        assert "Second version" not in reader.read()
    finally:
        reader.close()
    assert "Second version" in target.read_text()


def test_older_edition_does_not_replace_the_index(tmp_path: Path) -> None:
    sink = FileSink(tmp_path)
    sink.write(edition_for(date(2026, 11, 29), title="Newest"))
    written = sink.write(edition_for(date(2026, 11, 28), title="Older"))

    assert {p.name for p in written} == {
        "2026-11-28.md",
        "2026-11-28.html",
        "2026-11-28.txt",
        "2026-11-28.json",
        "2026-11-28.email.html",
    }
    assert "Newest" in (tmp_path / "index.html").read_text()
    assert "Newest" in (tmp_path / "latest.md").read_text()


def test_newer_edition_replaces_the_index(tmp_path: Path) -> None:
    sink = FileSink(tmp_path)
    sink.write(edition_for(date(2026, 11, 29), title="Yesterday"))
    sink.write(edition_for(date(2026, 11, 30), title="Today"))
    assert "Today" in (tmp_path / "index.html").read_text()
    assert "Today" in (tmp_path / "latest.md").read_text()


def test_null_sink_writes_nothing(tmp_path: Path) -> None:
    assert NullSink().write(edition_for(date(2026, 11, 29))) == []

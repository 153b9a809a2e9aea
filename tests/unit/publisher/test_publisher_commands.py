"""The publisher's command group (``devoured digest build|send``), merged at the top level of
a command line the way the ``devoured`` command line merges every service's group."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from devoured_publisher.commands import build, commands, send
from devoured_publisher.service import SERVICE


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'digest.db'}")
    monkeypatch.delenv("DEVOURED_DATABASE_URL", raising=False)
    monkeypatch.setenv("DEVOURED_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("DEVOURED_DIGEST_NAME", "Devoured Daily")
    return tmp_path / "out"


def _devoured() -> None:
    """Devoured."""


def merged() -> typer.Typer:
    """A command line with the publisher's group merged at its top level (no name)."""
    top = typer.Typer(no_args_is_help=True, add_completion=False)
    top.callback()(_devoured)
    top.add_typer(commands())
    return top


def test_the_merged_group_lists_digest_at_the_top_level() -> None:
    result = CliRunner().invoke(merged(), ["--help"])
    assert result.exit_code == 0, result.output
    assert "digest" in result.stdout
    assert "Editions: rebuild or send one on demand." in result.stdout
    result = CliRunner().invoke(merged(), ["digest", "--help"])
    assert result.exit_code == 0, result.output
    assert "build" in result.stdout
    assert "send" in result.stdout


def test_digest_build_writes_the_edition_and_send_reports_no_delivery(env: Path) -> None:
    result = CliRunner().invoke(merged(), ["digest", "build", "--date", "2026-11-29"])
    assert result.exit_code == 0, result.output
    assert "Devoured Daily - November 29, 2026: 0 items" in result.stderr
    assert (env / "2026-11-29.md").exists()
    assert (env / "index.html").exists()

    result = CliRunner().invoke(merged(), ["digest", "send", "--date", "2026-11-29"])
    assert result.exit_code == 0, result.output
    assert "0 deliveries made" in result.stderr


def test_the_descriptor_builds_the_group() -> None:
    group = SERVICE.commands() if SERVICE.commands else None
    assert isinstance(group, typer.Typer)
    [digest] = group.registered_groups
    assert digest.name == "digest"
    assert digest.typer_instance is not None
    assert [c.callback for c in digest.typer_instance.registered_commands] == [build, send]

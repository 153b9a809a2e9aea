"""The ``devoured`` command line keeps its ecosystem's habits: flags without values, help
that wraps, a version, usage errors exit 2."""

import importlib.metadata
from collections.abc import Iterator

import click
import pytest
import typer
from typer.testing import CliRunner

from devoured_embedded.cli import app


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))  # type: ignore[arg-type]


def test_version_comes_from_the_package_metadata() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"devoured {importlib.metadata.version('devoured')}"


def test_run_shows_its_flag_pair_and_refuses_forever() -> None:
    shown = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "100"})
    assert "--once / --forever" in shown.stdout
    refused = CliRunner().invoke(app, ["run", "--forever"])
    assert refused.exit_code == 2
    assert "not supported in embedded mode yet" in refused.output


@pytest.mark.parametrize("group", [(), *(p for p in COMMANDS if len(p) == 1)], ids=" ".join)
def test_every_command_is_listed_whole(group: tuple[str, ...]) -> None:
    shown = CliRunner().invoke(app, [*group, "--help"], env={"COLUMNS": "80"}).stdout
    _, _, listing = shown.partition("Commands:")
    assert "..." not in listing  # no summary cut short
    assert {p[len(group)] for p in COMMANDS if p[:-1] == group} <= set(listing.split())


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_shows_flags_as_flags_and_wraps_cleanly(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    # The summary is one line: a docstring's hard line break would split it mid-sentence.
    summary = result.stdout.split("\n\n")[1]
    assert "\n" not in summary.strip(), summary

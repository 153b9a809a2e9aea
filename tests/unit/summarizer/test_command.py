"""``devoured summarize``: an article on stdin, one JSON object on stdout; on the command line
and in the summarizer's own command group (``devoured_summarizer.commands``)."""

import json

import pytest
import typer
from typer.testing import CliRunner

from devoured_embedded.cli import app
from devoured_summarizer.commands import commands, summarize
from devoured_summarizer.service import SERVICE

ARTICLE = "\n".join(
    [
        "The port authority opened a new container terminal on the east quay this week.",
        "The terminal doubles the number of ships the port can unload at the same time.",
        "An automated guided vehicle (AGV) moves each container from the crane to the yard.",
        "Dock workers negotiated a retraining programme before the terminal opened.",
        "The quay cranes are operated remotely from a control room two kilometres away.",
        "The port expects its yearly throughput to rise by 30 percent by the end of 2027.",
    ]
)


def test_summarize_prints_one_json_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEVOURED_SUMMARIZER_BACKEND", "openai")  # the flag overrides it
    result = CliRunner().invoke(
        app, ["summarize", "--backend", "extractive", "--title", "Port terminal"], input=ARTICLE
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip())
    assert set(out) == {"tldr", "deep_dive", "decoder"}
    assert out["tldr"] in ARTICLE
    assert 3 <= len(out["deep_dive"]) <= 5  # sized to the short article
    assert {"term": "AGV", "definition": "Automated guided vehicle"} in out["decoder"]


def test_unknown_backend_is_refused() -> None:
    result = CliRunner().invoke(app, ["summarize", "--backend", "magic"], input=ARTICLE)
    assert result.exit_code == 2


# --- the summarizer's own command group, as the command line merges it ---------------------


def _merged() -> typer.Typer:
    """A top-level app with the group merged the way the command line merges it: without a
    name, so ``summarize`` stays a top-level command."""
    top = typer.Typer(no_args_is_help=True, add_completion=False)
    top.callback()(_devoured)  # a group, as the command line is, whatever else it holds
    top.add_typer(commands())
    return top


def _devoured() -> None:
    """Devoured."""


def test_the_merged_group_lists_summarize_at_the_top_level() -> None:
    result = CliRunner().invoke(_merged(), ["--help"])
    assert result.exit_code == 0, result.output
    assert "summarize" in result.stdout
    assert "Summarise an article's text from stdin" in result.stdout


def test_the_merged_group_summarizes_at_the_top_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEVOURED_SUMMARIZER_BACKEND", "openai")  # the flag overrides it
    result = CliRunner().invoke(
        _merged(),
        ["summarize", "--backend", "extractive", "--title", "Port terminal"],
        input=ARTICLE,
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip())
    assert set(out) == {"tldr", "deep_dive", "decoder"}
    assert out["tldr"] in ARTICLE
    assert 3 <= len(out["deep_dive"]) <= 5  # sized to the short article
    assert {"term": "AGV", "definition": "Automated guided vehicle"} in out["decoder"]
    assert result.stderr.strip() == "backend: extractive"


def test_the_merged_group_refuses_an_unknown_backend() -> None:
    result = CliRunner().invoke(_merged(), ["summarize", "--backend", "magic"], input=ARTICLE)
    assert result.exit_code == 2


def test_the_group_alone_runs_summarize() -> None:
    result = CliRunner().invoke(commands(), ["--backend", "extractive"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip())["tldr"] in ARTICLE


def test_the_descriptor_builds_the_group() -> None:
    group = SERVICE.commands() if SERVICE.commands else None
    assert isinstance(group, typer.Typer)
    assert [c.callback for c in group.registered_commands] == [summarize]

"""``devoured summarize``: an article on stdin, one JSON object on stdout."""

import json

import pytest
from typer.testing import CliRunner

from devoured_embedded.cli import app

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
    assert len(out["deep_dive"]) == 5
    assert {"term": "AGV", "definition": "automated guided vehicle"} in out["decoder"]


def test_unknown_backend_is_refused() -> None:
    result = CliRunner().invoke(app, ["summarize", "--backend", "magic"], input=ARTICLE)
    assert result.exit_code == 2

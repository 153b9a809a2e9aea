"""Schema evolution: today's messages read every record the last release wrote.

``docs/schemas/released/`` is the baseline (docs/topics.md, "Schema evolution"). Each kind of
breaking change is made here on a copy of a schema, or by a derived model, and must be caught.
"""

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from devoured_core.messages import ALL_MESSAGES, DigestPublished
from devoured_infra import schema_compat
from devoured_infra.schema_compat import breaking_changes, current_schemas, load_schemas

ROOT = Path(__file__).resolve().parents[2]
RELEASED = ROOT / "docs" / "schemas" / "released"

Mutation = Callable[[dict[str, Any]], None]


def _released() -> dict[str, dict[str, Any]]:
    return load_schemas(RELEASED)


def _changed(name: str, mutate: Mutation) -> list[str]:
    """The breaking changes found when ``name``'s current schema is changed by ``mutate``."""
    current = current_schemas()
    mutate(current[name])
    return breaking_changes(_released(), current)


def test_the_current_schemas_pass_against_the_baseline() -> None:
    assert breaking_changes(_released(), current_schemas()) == []


def test_the_baseline_holds_every_released_message() -> None:
    # A new message is added to the baseline by ``--update``; today every one is there.
    assert set(_released()) == {m.__name__ for m in ALL_MESSAGES}


def _remove(props: str, name: str) -> Mutation:
    def mutate(schema: dict[str, Any]) -> None:
        node = schema if props == "<root>" else schema["$defs"][props]
        del node["properties"][name]
        if name in node.get("required", []):
            node["required"].remove(name)

    return mutate


def _rename(name: str, to: str) -> Mutation:
    def mutate(schema: dict[str, Any]) -> None:
        schema["properties"][to] = schema["properties"].pop(name)
        schema["required"] = [to if r == name else r for r in schema["required"]]

    return mutate


def _set(path: list[str], value: Any) -> Mutation:
    def mutate(schema: dict[str, Any]) -> None:
        node = schema
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def _require(name: str) -> Mutation:
    def mutate(schema: dict[str, Any]) -> None:
        schema["required"].append(name)

    return mutate


BREAKING: list[tuple[str, str, Mutation, str]] = [
    ("removed field", "DigestPublished", _remove("<root>", "overview"), "overview: field removed"),
    (
        "removed optional field",
        "UrlSubmitted",
        _remove("<root>", "submitted_by"),
        "submitted_by: field removed",
    ),
    (
        "removed nested field",
        "DigestPublished",
        _remove("DigestItem", "tldr"),
        "sections[].items[].tldr: field removed",
    ),
    ("renamed field", "PageFetched", _rename("final_url", "last_url"), "final_url: field removed"),
    (
        "string to integer",
        "DigestPublished",
        _set(["properties", "title", "type"], "integer"),
        "title: type narrowed",
    ),
    (
        "number to integer",
        "FetchRequested",
        _set(["$defs", "SourceInfo", "properties", "weight", "type"], "integer"),
        "source.weight: type narrowed",
    ),
    (
        "nullable no more",
        "UrlSubmitted",
        _set(["properties", "section"], {"type": "string", "description": "d"}),
        "section: type narrowed",
    ),
    (
        "enum value removed",
        "FetchRequested",
        _set(["properties", "kind", "enum"], ["feed"]),
        "kind: values removed: ['\"article\"']",
    ),
    (
        "narrowed to a literal",
        "ArticleSummarized",
        _set(["properties", "backend", "const"], "openai"),
        "backend: now limited to the values",
    ),
    (
        "map values narrowed",
        "PageFetched",
        _set(["properties", "headers", "additionalProperties"], {"type": "integer"}),
        "headers{}: type narrowed",
    ),
    (
        "list items narrowed",
        "ArticleExtracted",
        _set(["properties", "tags", "items"], {"type": "integer"}),
        "tags[]: type narrowed",
    ),
    (
        "bound added",
        "ArticleExtracted",
        _set(["properties", "word_count", "minimum"], 10),
        "word_count: minimum narrowed from 0 to 10",
    ),
    (
        "bound tightened",
        "DeadLetter",
        _set(["properties", "attempts", "minimum"], 2),
        "attempts: minimum narrowed from 1 to 2",
    ),
    (
        "format added",
        "DeadLetter",
        _set(["properties", "error", "format"], "uri"),
        "error: format changed",
    ),
    ("became required", "UrlSubmitted", _require("section"), "section: field became required"),
]


@pytest.mark.parametrize(
    ("model", "mutate", "expected"),
    [case[1:] for case in BREAKING],
    ids=[case[0] for case in BREAKING],
)
def test_a_breaking_change_is_caught(model: str, mutate: Mutation, expected: str) -> None:
    found = _changed(model, mutate)
    assert any(f"{model}: " in p and expected in p for p in found), found


def test_a_removed_message_is_caught() -> None:
    current = current_schemas()
    del current["ArticleExtracted"]
    assert breaking_changes(_released(), current) == ["ArticleExtracted: message removed"]


class WithRequiredField(DigestPublished):
    language: str = Field(description="Language of the edition.")


class WithOptionalField(DigestPublished):
    language: str | None = Field(None, description="Language of the edition.")
    tags: list[str] = Field(default_factory=list, description="Tags of the edition.")


def _as_digest(model: type[DigestPublished]) -> dict[str, dict[str, Any]]:
    current = current_schemas()
    current["DigestPublished"] = model.model_json_schema()
    return current


def test_a_new_required_field_is_caught() -> None:
    found = breaking_changes(_released(), _as_digest(WithRequiredField))
    assert found == ["DigestPublished: language: new required field (give it a default)"]


def test_an_additive_optional_field_passes() -> None:
    assert breaking_changes(_released(), _as_digest(WithOptionalField)) == []


NULLABLE = {"anyOf": [{"type": "string"}, {"type": "null"}]}
KINDS = ["feed", "article", "sitemap"]
ADDITIVE: list[tuple[str, str, Mutation]] = [
    ("enum value added", "FetchRequested", _set(["properties", "kind", "enum"], KINDS)),
    ("integer to number", "PageFetched", _set(["properties", "status", "type"], "number")),
    ("made nullable", "DigestPublished", _set(["properties", "title"], NULLABLE)),
    ("bound loosened", "DeadLetter", _set(["properties", "attempts", "minimum"], 0)),
    ("bound dropped", "ArticleExtracted", lambda s: s["properties"]["word_count"].pop("minimum")),
    ("description changed", "UrlSubmitted", _set(["properties", "url", "description"], "Other.")),
    ("default changed", "FetchRequested", _set(["properties", "attempt", "default"], 1)),
]


@pytest.mark.parametrize(
    ("model", "mutate"), [case[1:] for case in ADDITIVE], ids=[case[0] for case in ADDITIVE]
)
def test_a_compatible_change_passes(model: str, mutate: Mutation) -> None:
    assert _changed(model, mutate) == []


def test_a_new_message_passes() -> None:
    current = current_schemas()
    current["ArticleTagged"] = copy.deepcopy(current["ArticleExtracted"])
    assert breaking_changes(_released(), current) == []


def test_main_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert schema_compat.main(["--released", str(RELEASED)]) == 0
    assert "compatible with the released schemas of 7 messages" in capsys.readouterr().out


def test_main_fails_on_a_breaking_change_and_update_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = _released()
    baseline["DigestPublished"]["properties"]["subtitle"] = {"type": "string"}
    schema_compat.write_schemas(tmp_path, baseline)
    assert schema_compat.main(["--released", str(tmp_path)]) == 1
    assert "DigestPublished: subtitle: field removed" in capsys.readouterr().out

    assert schema_compat.main(["--released", str(tmp_path), "--update"]) == 0
    assert load_schemas(tmp_path) == current_schemas()
    assert schema_compat.main(["--released", str(tmp_path)]) == 0


def test_main_refuses_an_empty_baseline(tmp_path: Path) -> None:
    assert schema_compat.main(["--released", str(tmp_path)]) == 2


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devoured_infra.schema_compat"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "compatible" in done.stdout

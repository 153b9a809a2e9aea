"""Message contracts are pinned: any schema change must be deliberate and versioned.

Each model's JSON Schema is compared with a snapshot in ``snapshots/``. After an intended
change, bump the model's ``schema_version`` default and regenerate (see ``schemas.py``).
"""

import difflib
import json
import os
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from devoured_core.messages import ALL_MESSAGES, Message, PageFetched
from tests.contract.schemas import (
    SNAPSHOTS,
    UPDATE_ENV,
    render,
    schema_of,
    snapshot_path,
    write_snapshots,
)
from tests.unit import samples

HOW_TO_REGENERATE = (
    f"If the change is intended, bump schema_version of the message in "
    f"libs/devoured_core/messages.py and regenerate the snapshots with "
    f"`{UPDATE_ENV}=1 .venv/bin/pytest tests/contract` "
    f"(or `.venv/bin/python -m tests.contract.schemas`), then commit them."
)


@pytest.fixture(scope="module", autouse=True)
def _regenerate_when_asked() -> None:
    if os.environ.get(UPDATE_ENV) == "1":
        write_snapshots()


def _version(schema: dict[str, Any]) -> object:
    return schema.get("properties", {}).get("schema_version", {}).get("default")


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_schema_matches_snapshot(model: type[BaseModel]) -> None:
    path = snapshot_path(model)
    assert path.exists(), f"no snapshot for {model.__name__} at {path}. {HOW_TO_REGENERATE}"
    stored_text = path.read_text(encoding="utf-8")
    current_text = render(schema_of(model))
    if stored_text == current_text:
        return
    stored = json.loads(stored_text)
    hint = (
        "schema_version was not bumped."
        if _version(stored) == _version(schema_of(model))
        else "schema_version was bumped but the snapshot was not regenerated."
    )
    diff = "".join(
        difflib.unified_diff(
            stored_text.splitlines(keepends=True),
            current_text.splitlines(keepends=True),
            fromfile=f"snapshot {path.name}",
            tofile=f"current {model.__name__}",
        )
    )
    pytest.fail(
        f"The JSON Schema of {model.__name__} changed and {hint}\n{HOW_TO_REGENERATE}\n\n"
        f"{diff[:4000]}",
        pytrace=False,
    )


def test_no_stale_snapshots() -> None:
    expected = {snapshot_path(m).name for m in ALL_MESSAGES}
    assert {p.name for p in SNAPSHOTS.glob("*.json")} == expected


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_message_carries_identity_and_schema_version(model: type[BaseModel]) -> None:
    assert issubclass(model, Message)
    fields = model.model_fields
    for name in ("schema_version", "message_id", "occurred_at"):
        assert name in fields, f"{model.__name__} lacks {name}"
    assert isinstance(fields["schema_version"].default, int)
    assert fields["schema_version"].default >= 1


def _undocumented(schema: dict[str, Any]) -> list[str]:
    missing = []
    models = {"<root>": schema, **schema.get("$defs", {})}
    for model_name, definition in models.items():
        for field_name, spec in definition.get("properties", {}).items():
            if not str(spec.get("description", "")).strip():
                missing.append(f"{model_name}.{field_name}")
    return missing


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    missing = _undocumented(schema_of(model))
    assert missing == [], f"{model.__name__}: fields without description: {missing}"


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_unknown_fields_are_forbidden_everywhere(model: type[BaseModel]) -> None:
    schema = schema_of(model)
    models = {"<root>": schema, **schema.get("$defs", {})}
    open_models = [n for n, d in models.items() if d.get("additionalProperties") is not False]
    assert open_models == [], f"{model.__name__}: models accepting unknown fields: {open_models}"


@pytest.mark.parametrize("version", [0, 2, 99])
def test_a_schema_version_this_code_does_not_understand_is_invalid(version: int) -> None:
    """A newer producer's record is dead-lettered as invalid, not processed by guesswork."""
    payload = samples.page_fetched().model_dump(mode="json") | {"schema_version": version}
    with pytest.raises(ValidationError, match="schema_version"):
        PageFetched.model_validate(payload)

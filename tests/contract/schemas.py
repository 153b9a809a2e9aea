"""The contract surface: each message model's JSON Schema, and where its snapshot lives.

Regenerate the snapshots after an intended change (and a ``schema_version`` bump) with either

    DEVOURED_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/contract
    .venv/bin/python -m tests.contract.schemas
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from devoured_core.messages import ALL_MESSAGES

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_ENV = "DEVOURED_UPDATE_SNAPSHOTS"


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_path(model: type[BaseModel]) -> Path:
    return SNAPSHOTS / f"{model.__name__}.json"


def write_snapshots() -> list[Path]:
    SNAPSHOTS.mkdir(exist_ok=True)
    written = []
    for model in ALL_MESSAGES:
        path = snapshot_path(model)
        path.write_text(render(schema_of(model)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_snapshots():
        print(f"wrote {path}")

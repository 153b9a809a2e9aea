"""``make schemas``: JSON Schema of every message and the AsyncAPI document, into docs/."""

import json
from pathlib import Path

from devoured_core.messages import ALL_MESSAGES
from devoured_infra.asyncapi import asyncapi_document

SCHEMA_VERSION = "1"


def write_schemas(out: Path) -> list[Path]:
    schema_dir = out / "schemas"
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for model in ALL_MESSAGES:
        path = schema_dir / f"{model.__name__}.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    path = out / "asyncapi.json"
    path.write_text(
        json.dumps(asyncapi_document(SCHEMA_VERSION), indent=2) + "\n", encoding="utf-8"
    )
    written.append(path)
    return written

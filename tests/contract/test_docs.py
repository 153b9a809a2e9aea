"""The published contract in docs/ stays in step with the code (`make schemas` regenerates)."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from devoured_core.messages import ALL_MESSAGES
from devoured_embedded.schemas import SCHEMA_VERSION
from devoured_infra import metrics, registry
from devoured_infra.asyncapi import asyncapi_document
from devoured_infra.settings import Settings

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_published_json_schema_matches_the_model(model: type[BaseModel]) -> None:
    published = json.loads((DOCS / "schemas" / f"{model.__name__}.json").read_text())
    assert published == model.model_json_schema(), "run `make schemas` and commit docs/"


def test_published_asyncapi_document_matches_the_topology() -> None:
    published = json.loads((DOCS / "asyncapi.json").read_text())
    assert published == json.loads(json.dumps(asyncapi_document(SCHEMA_VERSION)))


def test_every_setting_is_documented() -> None:
    documented = (DOCS / "configuration.md").read_text()
    missing = [f for f in Settings.model_fields if f"DEVOURED_{f.upper()}" not in documented]
    assert missing == []


def test_every_metric_is_documented() -> None:
    documented = (DOCS / "metrics.md").read_text()
    # Each service's own metrics are registered when its package loads.
    services = registry.installed()
    names = {m.name for m in metrics.REGISTRY.collect()}
    for service in services:
        assert any(n.startswith(f"devoured_{service.name}_") for n in names), service.name
    missing = sorted(n for n in names if n not in documented)
    assert missing == []

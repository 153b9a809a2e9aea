"""The published contract in docs/ stays in step with the code (`make schemas` regenerates)."""

import importlib
import json
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic_settings import BaseSettings

from devoured_core.messages import ALL_MESSAGES
from devoured_embedded.schemas import SCHEMA_VERSION
from devoured_infra import metrics, registry
from devoured_infra.asyncapi import asyncapi_document
from devoured_infra.settings import Settings, env_names

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.parametrize("model", ALL_MESSAGES, ids=lambda m: m.__name__)
def test_published_json_schema_matches_the_model(model: type[BaseModel]) -> None:
    published = json.loads((DOCS / "schemas" / f"{model.__name__}.json").read_text())
    assert published == model.model_json_schema(), "run `make schemas` and commit docs/"


def test_published_asyncapi_document_matches_the_topology() -> None:
    published = json.loads((DOCS / "asyncapi.json").read_text())
    assert published == json.loads(json.dumps(asyncapi_document(SCHEMA_VERSION)))


def test_every_setting_is_documented() -> None:
    # configuration.md, and each service's own page for its own settings.
    pages = ["configuration.md", *(f"{s.name}.md" for s in registry.installed())]
    documented = "".join((DOCS / page).read_text() for page in pages if (DOCS / page).exists())
    kinds: list[type[BaseSettings]] = [
        Settings,
        *(kind for service in registry.installed() for kind in service.settings),
    ]
    names = [names for kind in kinds for names in env_names(kind).values()]
    assert ("DEVOURED_SOURCES_FILE",) in names  # the services' settings are in the list
    missing = [n for n in names if not any(name in documented for name in n)]
    assert missing == []


def test_every_metric_is_documented() -> None:
    documented = (DOCS / "metrics.md").read_text()
    # Each service's own metrics are registered when its wiring is imported (descriptors load
    # lazily, so the registry alone does not import them).
    services = registry.installed()
    for service in services:
        importlib.import_module(f"devoured_{service.name}.bootstrap")
    names = {m.name for m in metrics.REGISTRY.collect()}
    for service in services:
        assert any(n.startswith(f"devoured_{service.name}_") for n in names), service.name
    missing = sorted(n for n in names if n not in documented)
    assert missing == []

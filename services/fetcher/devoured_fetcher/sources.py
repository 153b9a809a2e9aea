"""Reading the sources YAML file (a seed for the sources table)."""

from pathlib import Path

import yaml
from pydantic import TypeAdapter

from devoured_core.errors import PermanentError
from devoured_core.model import Source

_SOURCES = TypeAdapter(list[Source])


def load_sources(path: Path) -> list[Source]:
    """Sources listed in ``path`` (``sources:`` list of name/url/kind/section/weight/enabled)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PermanentError(f"sources: cannot read {path}: {exc}") from exc
    raw = document.get("sources", []) if isinstance(document, dict) else []
    for item in raw:
        if isinstance(item, dict) and "source_id" not in item and "name" in item:
            item["source_id"] = _slug(str(item["name"]))
    return _SOURCES.validate_python(raw)


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:200] or "source"

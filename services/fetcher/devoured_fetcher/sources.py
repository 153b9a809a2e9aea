"""Reading the sources YAML file (a seed for the sources table).

Each item: ``name``, ``url``, optional ``source_id``, ``kind``, ``section``, ``weight``,
``enabled``, and per-source settings ``poll_min_s``, ``poll_max_s``, ``user_agent``,
``headers``.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from devoured_core.errors import PermanentError
from devoured_core.model import Source

SETTING_KEYS = ("poll_min_s", "poll_max_s", "user_agent", "headers")


class SourceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    poll_min_s: float | None = None
    poll_max_s: float | None = None
    user_agent: str | None = None
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class SourceConfig:
    source: Source
    settings: dict[str, Any]


def load_source_configs(path: Path) -> list[SourceConfig]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PermanentError(f"sources: cannot read {path}: {exc}") from exc
    raw = document.get("sources", []) if isinstance(document, dict) else []
    configs = []
    try:
        for item in raw:
            if not isinstance(item, dict):
                raise PermanentError(f"sources: {path}: each source must be a mapping")
            item = dict(item)
            if "source_id" not in item and "name" in item:
                item["source_id"] = _slug(str(item["name"]))
            settings = SourceSettings.model_validate(
                {k: item.pop(k) for k in SETTING_KEYS if k in item}
            )
            configs.append(
                SourceConfig(Source.model_validate(item), settings.model_dump(exclude_none=True))
            )
    except ValidationError as exc:
        raise PermanentError(f"sources: {path}: {exc}") from exc
    return configs


def load_sources(path: Path) -> list[Source]:
    """Sources listed in ``path`` (``sources:`` list of name/url/kind/section/weight/enabled)."""
    return [c.source for c in load_source_configs(path)]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:200] or "source"

"""Reading the sources YAML file (a seed for the sources table).

Each item: ``name``, ``url``, optional ``source_id``, ``kind``, ``section``, ``weight``,
``enabled``, and per-source settings ``poll_min_s``, ``poll_max_s``, ``user_agent``,
``headers``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from devoured_core.errors import PermanentError
from devoured_core.model import Source, SourceSettings

SETTING_KEYS = tuple(SourceSettings.model_fields)


@dataclass(frozen=True)
class SourceConfig:
    source: Source
    settings: SourceSettings


class SourcesFileError(PermanentError):
    """The sources file cannot be used: where (``line``, 1-based, when known) and why."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"sources: {where}: {reason}")
        self.path, self.line, self.reason = path, line, reason


def load_source_configs(path: Path) -> list[SourceConfig]:
    """The sources of ``path``; raises ``SourcesFileError`` naming the line of the problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourcesFileError(path, None, f"cannot read: {exc}") from exc
    return parse_source_configs(raw, path)


def parse_source_configs(raw: bytes, path: Path) -> list[SourceConfig]:
    """The sources in ``raw``, the content of ``path`` (named in errors)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourcesFileError(path, line, f"not UTF-8: {exc.reason}") from exc
    loader = yaml.SafeLoader(text)
    try:
        # The node tree tells where each item starts, for the error messages; the data is
        # built from it, as yaml.safe_load does.
        root = loader.get_single_node()
        document = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        at = int(mark.line) + 1 if mark is not None else None
        raise SourcesFileError(path, at, f"not valid YAML: {reason}") from exc
    finally:
        loader.dispose()
    if document is None:
        return []
    if not isinstance(document, dict) or not isinstance(document.get("sources", []), list):
        raise SourcesFileError(path, 1, "expected a mapping with a `sources:` list")
    items = _item_nodes(root)
    return [
        _config(item, path, items[i] if i < len(items) else None)
        for i, item in enumerate(document.get("sources", []))
    ]


def _config(item: object, path: Path, node: yaml.Node | None) -> SourceConfig:
    line = node.start_mark.line + 1 if node is not None else None
    if not isinstance(item, dict):
        raise SourcesFileError(path, line, "each source must be a mapping")
    item = dict(item)
    if "source_id" not in item and "name" in item:
        item["source_id"] = _slug(str(item["name"]))
    try:
        settings = SourceSettings.model_validate(
            {k: item.pop(k) for k in SETTING_KEYS if k in item}
        )
        return SourceConfig(Source.model_validate(item), settings)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"])
        reason = f"{field or 'source'}: {first['msg']}" + (
            f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        )
        raise SourcesFileError(path, _key_line(node, first["loc"]) or line, reason) from exc


def _item_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """The nodes of the ``sources:`` items, in order."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _key_line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the item's key named first in ``loc`` (a missing key has none)."""
    if isinstance(node, yaml.MappingNode) and loc:
        for key, _ in node.value:
            if key.value == loc[0]:
                return int(key.start_mark.line) + 1
    return None


def load_sources(path: Path) -> list[Source]:
    """Sources listed in ``path`` (``sources:`` list of name/url/kind/section/weight/enabled)."""
    return [c.source for c in load_source_configs(path)]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:200] or "source"

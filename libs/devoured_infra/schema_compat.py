"""Schema evolution check: can today's messages still read every record the last release wrote?

The last released JSON Schema of each message is kept in ``docs/schemas/released/<Model>.json``
(the baseline). ``breaking_changes(released, current)`` compares two sets of schemas and lists
each change that would make a consumer built on the current models reject a record written to
the released ones (backward compatibility, as a schema registry calls it):

- a message removed;
- a field removed or renamed (messages reject unknown fields, so a record that still carries
  it would be refused);
- a type narrowed: a type changed or dropped from a union (``string`` to ``integer``, nullable
  to not), enum or literal values removed, a bound, format or pattern added or tightened;
- a field that became required, or a new required field (one without a default).

Adding a message, an optional field (one with a default), an enum value or a union member, or
loosening a bound, passes. Titles, descriptions, examples and defaults are not compared.

Run it with ``python -m devoured_infra.schema_compat`` (exit 1 on a breaking change);
``--update`` writes today's schemas as the new baseline (docs/topics.md says when).
"""

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from devoured_core.messages import ALL_MESSAGES

Schema = Mapping[str, Any]

RELEASED_DIR = Path("docs/schemas/released")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
EXACT = ("format", "pattern", "multipleOf")
CONSTRAINING = frozenset(
    {"type", "anyOf", "oneOf", "allOf", "enum", "const", "$ref", "properties", "required"}
    | {"additionalProperties", "items", *LOWER_BOUNDS, *UPPER_BOUNDS, *EXACT}
)


def current_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every message today, by model name (as ``devoured schemas``)."""
    return {model.__name__: model.model_json_schema() for model in ALL_MESSAGES}


def load_schemas(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def write_schemas(folder: Path, schemas: Mapping[str, Schema]) -> list[Path]:
    """Write ``schemas`` as the baseline in ``folder``, replacing what was there."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json"):
        if stale.stem not in schemas:
            stale.unlink()
    written = []
    for name, schema in schemas.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def breaking_changes(released: Mapping[str, Schema], current: Mapping[str, Schema]) -> list[str]:
    """Every change from ``released`` to ``current`` that breaks a consumer, one line each."""
    problems = []
    for name, old in sorted(released.items()):
        new = current.get(name)
        if new is None:
            problems.append(f"{name}: message removed")
            continue
        checker = _Checker(old, new)
        problems.extend(f"{name}: {p}" for p in checker.accepts(old, new, "<root>"))
    return problems


class _Checker:
    """Does a ``new`` schema accept every value its ``old`` schema accepts? Each side resolves
    its ``$ref`` in its own document."""

    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self._roots = (old_root, new_root)
        self._seen: set[tuple[str, str]] = set()

    def accepts(self, old: Schema, new: Schema, path: str) -> list[str]:
        refs = (str(old.get("$ref", "")), str(new.get("$ref", "")))
        if all(refs):
            if refs in self._seen:  # compared already (elsewhere, or up the stack when recursive)
                return []
            self._seen.add(refs)
        old, new = self._resolve(old, 0), self._resolve(new, 1)
        if not _constrains(new):
            return []
        problems: list[str] = []
        new_alternatives = list(self._alternatives(new, 1))
        for alt in self._alternatives(old, 0):
            matches = [n for n in new_alternatives if _types_fit(alt, n)]
            if not matches:
                problems.append(f"{path}: type narrowed: {_show(alt)} no longer accepted")
                continue
            found: list[list[str]] = [self._accepts_one(alt, n, path) for n in matches]
            if all(found):
                fewest: list[str] = min(found, key=len)
                problems.extend(fewest)
        return problems

    def _accepts_one(self, old: Schema, new: Schema, path: str) -> list[str]:
        problems = _values_kept(old, new, path) + _bounds_kept(old, new, path)
        types = _types(new) or set()
        if "object" in types or "properties" in new:
            problems += self._object(old, new, path)
        if "array" in types and _constrains(new.get("items", {})):
            problems += self.accepts(old.get("items", {}), new["items"], f"{path}[]")
        return problems

    def _object(self, old: Schema, new: Schema, path: str) -> list[str]:
        problems = []
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        new_extra = new.get("additionalProperties", True)
        for name, spec in old_props.items():
            where = f"{path}.{name}" if path != "<root>" else name
            if name in new_props:
                problems += self.accepts(spec, new_props[name], where)
            elif new_extra is False:
                problems.append(f"{where}: field removed (or renamed)")
            elif isinstance(new_extra, Mapping):
                problems += self.accepts(spec, new_extra, where)
        for name in sorted(new_required - old_required):
            where = f"{path}.{name}" if path != "<root>" else name
            if name in old_props:
                problems.append(f"{where}: field became required")
            else:
                problems.append(f"{where}: new required field (give it a default)")
        old_extra = old.get("additionalProperties", True)
        if old_extra is not False and new_extra is False and not new_props:
            problems.append(f"{path}: additional properties no longer accepted")
        elif isinstance(new_extra, Mapping) and old_extra is not False:
            old_values = old_extra if isinstance(old_extra, Mapping) else {}
            problems += self.accepts(old_values, new_extra, f"{path}{{}}")
        return problems

    def _resolve(self, node: Schema, side: int) -> Schema:
        while "$ref" in node:
            target: Any = self._roots[side]
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part]
            node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            rest = {k: v for k, v in node.items() if k != "allOf"}
            node = {**rest, **self._resolve(all_of[0], side)}
        return node

    def _alternatives(self, node: Schema, side: int) -> Iterator[Schema]:
        union = node.get("anyOf") or node.get("oneOf")
        if not union:
            yield node
            return
        for member in union:
            yield from self._alternatives(self._resolve(member, side), side)


def _constrains(node: Schema) -> bool:
    return any(key in CONSTRAINING for key in node)


def _types(node: Schema) -> set[str] | None:
    """The JSON types ``node`` allows, None for any."""
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    values = _values(node)
    if values is not None:
        return {_json_type(json.loads(v)) for v in values}
    if "properties" in node:
        return {"object"}
    return None


def _types_fit(old: Schema, new: Schema) -> bool:
    new_types = _types(new)
    if new_types is None:
        return True
    old_types = _types(old)
    if old_types is None:
        return False
    if "number" in new_types:
        new_types = new_types | {"integer"}
    return old_types <= new_types


def _values(node: Schema) -> set[str] | None:
    """The values ``node`` is limited to (as JSON text), None when it is not."""
    if "const" in node:
        return {json.dumps(node["const"], sort_keys=True)}
    if "enum" in node:
        return {json.dumps(v, sort_keys=True) for v in node["enum"]}
    return None


def _values_kept(old: Schema, new: Schema, path: str) -> list[str]:
    new_values = _values(new)
    if new_values is None:
        return []
    old_values = _values(old)
    if old_values is None:
        return [f"{path}: now limited to the values {sorted(new_values)}"]
    removed = old_values - new_values
    return [f"{path}: values removed: {sorted(removed)}"] if removed else []


def _bounds_kept(old: Schema, new: Schema, path: str) -> list[str]:
    problems = []
    for key in LOWER_BOUNDS + UPPER_BOUNDS:
        if key not in new:
            continue
        before = old.get(key)
        if before is None:
            tighter = True
        else:
            tighter = new[key] > before if key in LOWER_BOUNDS else new[key] < before
        if tighter:
            problems.append(f"{path}: {key} narrowed from {before} to {new[key]}")
    problems.extend(
        f"{path}: {key} changed from {old.get(key)} to {new[key]}"
        for key in EXACT
        if key in new and new[key] != old.get(key)
    )
    return problems


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _show(node: Schema) -> str:
    shown = {k: v for k, v in node.items() if k in CONSTRAINING and k != "properties"}
    return json.dumps(shown or node, sort_keys=True)[:200]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devoured_infra.schema_compat",
        description="Check today's message schemas against the last released ones.",
    )
    parser.add_argument("--released", type=Path, default=RELEASED_DIR, help="baseline folder")
    parser.add_argument(
        "--update", action="store_true", help="write today's schemas as the new baseline"
    )
    args = parser.parse_args(argv)
    current = current_schemas()
    if args.update:
        for path in write_schemas(args.released, current):
            print(f"wrote {path}")
        return 0
    released = load_schemas(args.released)
    if not released:
        print(f"no released schemas in {args.released}", file=sys.stderr)
        return 2
    problems = breaking_changes(released, current)
    for problem in problems:
        print(problem)
    for name in sorted(set(current) - set(released)):
        print(f"{name}: new message, not in the baseline yet")
    if problems:
        print(f"{len(problems)} breaking change(s): see docs/topics.md", file=sys.stderr)
        return 1
    print(f"compatible with the released schemas of {len(released)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())

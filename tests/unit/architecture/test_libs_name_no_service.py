"""The shared library knows no service: what a service is comes from its descriptor.

A module of libs/ names a service when it imports a service package, or when its code (not
its prose) spells a service's name: a string such as ``"fetcher"``, ``"fetcher_sources"``,
``"publisher.edition_builder"`` or ``"devoured_fetcher_requests_total"``, or an identifier such
as ``fetcher_sources``. The services are the installed ones (the registry's)."""

import ast
import re
from pathlib import Path

import pytest

from devoured_infra import registry

LIBS = Path(__file__).parents[3] / "libs"
MODULES = sorted(LIBS.rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _offences(path: Path, services: tuple[str, ...]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    names = "|".join(re.escape(s) for s in services)
    upper = "|".join(re.escape(s.upper()) for s in services)
    in_string = re.compile(rf"(^|devoured[_.-])({names})($|[_.:-])")
    in_name = re.compile(rf"^_?(({names})_|({upper})_)")
    found: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.append(node.module)
            found += [f"{line}: imports {m}" for m in modules if in_string.search(m)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and in_string.search(node.value):
                found.append(f"{line}: string {node.value!r}")
        elif isinstance(node, ast.Name | ast.arg | ast.Attribute | ast.FunctionDef | ast.ClassDef):
            name = getattr(node, "id", None) or getattr(node, "arg", None)
            name = str(name or getattr(node, "attr", None) or getattr(node, "name", ""))
            if in_name.search(name):
                found.append(f"{line}: name {name}")
    return found


def test_the_rule_catches_what_it_is_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""The fetcher is only prose here."""\n'
        "import devoured_fetcher.http\n"
        'TABLE = "fetcher_sources"\n'
        'METRIC = "devoured_fetcher_requests_total"\n'
        'LEASE = "publisher.edition_builder"\n'
        "fetcher_port = 1\n"
        'fine = ("the publisher of messages", "Publisher", "outbox")\n',
        encoding="utf-8",
    )
    assert len(_offences(sample, ("fetcher", "publisher"))) == 5


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIBS)))
def test_no_module_of_libs_names_a_service(path: Path) -> None:
    assert _offences(path, registry.names()) == []

"""A second real-page check that nobody here tuned on: trafilatura's own evaluation set.

go-trafilatura (Apache-2.0) ships the Python trafilatura's comparison data in its Go module: 983
annotated pages (881 of their HTML files are in the module), about half of them German, many
not articles at all (shops, recipes, association pages). Each page lists a few snippets the main
text must contain (``with``) and a few it must not (``without``). Scoring is that set's rule
(trafilatura ``tests/comparison.py``): every snippet found or missed counts once, over all pages;
P = TP / (TP + FP), R = TP / (TP + FN). Snippets and text are whitespace-normalised first.

The set favours trafilatura, whose author built it while developing it; it measures a different
thing from ``real`` (a handful of snippets per page, not the whole text). We use it to see
whether a change tuned on ``../shared/extraction-dev`` carries over to pages nobody here looked
at. The module is fetched into the Go module cache with ``go mod download`` (nothing is copied
into this repository); without Go or the module the part is skipped with a message.

Split, fixed before anything was scored: in sorted-URL order, every fifth page (index % 5 == 4)
is held aside; the rest may be read page by page.
"""

import functools
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.gotool import go_env
from devoured_extractor.guards import decode_bytes

MODULE = "github.com/markusmobius/go-trafilatura"
VERSION = "v1.12.2"
_DUMP = """package main

import (
\t"encoding/json"
\t"os"
)

func main() { _ = json.NewEncoder(os.Stdout).Encode(comparisonData) }
"""


@dataclass(frozen=True)
class SnippetPage:
    url: str
    html: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    held_aside: bool


@dataclass(frozen=True)
class SnippetScore:
    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "SnippetScore") -> "SnippetScore":
        return SnippetScore(
            self.tp + other.tp, self.fn + other.fn, self.fp + other.fp, self.tn + other.tn
        )


def module_dir() -> Path | None:
    """The module's directory in the Go module cache, downloaded if need be; None without Go
    or without a reachable module proxy."""
    cache, go = go_env("GOMODCACHE"), shutil.which("go")
    if cache is None or go is None:
        return None
    where = Path(cache) / f"{MODULE}@{VERSION}"
    if not (where / "test-files" / "comparison").is_dir():
        try:
            subprocess.run(  # noqa: S603 - the go tool found on PATH, a fixed module
                [go, "mod", "download", f"{MODULE}@{VERSION}"],
                capture_output=True,
                check=False,
                timeout=600,
                cwd=tempfile.gettempdir(),
            )
        except (OSError, subprocess.SubprocessError):
            return None
    return where if (where / "test-files" / "comparison").is_dir() else None


def _annotations(module: Path) -> dict[str, dict[str, object]]:
    """The set's annotations, which the module keeps as a Go map literal: Go prints them."""
    go = shutil.which("go") or "go"
    with tempfile.TemporaryDirectory() as work:
        shutil.copyfile(module / "scripts" / "comparison" / "data.go", Path(work) / "data.go")
        (Path(work) / "dump.go").write_text(_DUMP)
        (Path(work) / "go.mod").write_text("module dump\n\ngo 1.21\n")
        env = {**os.environ, "GOFLAGS": "-mod=mod"}
        out = subprocess.run(  # noqa: S603 - the go tool found on PATH, our own program
            [go, "run", "."], cwd=work, capture_output=True, text=True, check=True, env=env
        ).stdout
    data: dict[str, dict[str, object]] = json.loads(out)
    return data


@functools.cache
def load_pages(module: Path) -> list[SnippetPage]:
    """Every page whose HTML the module holds, sorted by URL, with the held-aside flag set
    (loaded once per process: the quality and the language reports read the same pages)."""
    files = module / "test-files" / "comparison"
    pages = []
    entries = sorted(
        (url, entry)
        for url, entry in _annotations(module).items()
        if (files / str(entry["file"])).is_file()
    )
    for index, (url, entry) in enumerate(entries):
        pages.append(
            SnippetPage(
                url=url,
                html=decode_bytes((files / str(entry["file"])).read_bytes()),
                with_=_strings(entry.get("with")),
                without=_strings(entry.get("without")),
                held_aside=index % 5 == 4,
            )
        )
    return pages


def _strings(value: object) -> tuple[str, ...]:
    """A snippet list as the annotations give it (a JSON array, or null when empty)."""
    return tuple(str(s) for s in value) if isinstance(value, list) else ()


def _normal(text: str) -> str:
    return " ".join(text.split())


def page_score(text: str, page: SnippetPage) -> SnippetScore:
    found = _normal(text)
    hits = [_normal(s) in found for s in page.with_]
    leaks = [_normal(s) in found for s in page.without]
    return SnippetScore(
        tp=sum(hits), fn=len(hits) - sum(hits), fp=sum(leaks), tn=len(leaks) - sum(leaks)
    )


def total(scores: Sequence[SnippetScore]) -> SnippetScore:
    summed = SnippetScore(0, 0, 0, 0)
    for s in scores:
        summed = summed + s
    return summed


def bootstrap_sd(scores: Sequence[SnippetScore], rounds: int = 200, seed: int = 14) -> float:
    rng = random.Random(seed)
    values = [total([scores[rng.randrange(len(scores))] for _ in scores]).f1 for _ in range(rounds)]
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)

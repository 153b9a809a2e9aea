"""Score extractors on the generated corpus: word-shingle precision, recall, F1 and pages/s.

Tokens are lower-cased word characters, with each CJK character its own token (Japanese has
no spaces). Shingles are 4 consecutive tokens, compared as multisets, so repeated boilerplate
costs precision. Per page: precision = shared / extracted, recall = shared / expected (an empty
extraction scores 0 for both). Per extractor: mean precision, mean recall and their harmonic
mean, as in the public article-extraction benchmarks.
"""

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.extraction.corpus import Page

SHINGLE = 4
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")

Extractor = Callable[[str], str]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def precision_recall(extracted: str, expected: str) -> tuple[float, float]:
    got, want = shingles(extracted), shingles(expected)
    if not got or not want:
        return 0.0, 0.0
    shared = sum((got & want).values())
    return shared / sum(got.values()), shared / sum(want.values())


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(outputs: Sequence[str], pages: Sequence[Page]) -> Score:
    pairs = [precision_recall(out, page.expected) for out, page in zip(outputs, pages, strict=True)]
    n = len(pairs) or 1
    return Score(sum(p for p, _ in pairs) / n, sum(r for _, r in pairs) / n, len(pairs))


def run_all(extractor: Extractor, pages: Sequence[Page]) -> tuple[list[str], float]:
    """Outputs and the seconds the whole pass took."""
    started = time.perf_counter()
    outputs = [extractor(page.html) for page in pages]
    return outputs, time.perf_counter() - started


def race(
    extractors: dict[str, Extractor], pages: Sequence[Page], rounds: int = 3
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Interleaved rounds (noise on a shared machine hits everyone alike); best time per tool."""
    outputs: dict[str, list[str]] = {}
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, extractor in extractors.items():
            outputs[name], seconds = run_all(extractor, pages)
            best[name] = min(best.get(name, float("inf")), seconds)
    return outputs, {name: len(pages) / s for name, s in best.items()}

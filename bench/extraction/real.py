"""Score extractors on the shared real-page dev set (``../shared/extraction-dev``).

The scoring rule is the one in that set's README: ``\\w+`` tokens (case-sensitive), bags of
4-token shingles, page precision over non-empty predictions, page recall over all pages, F1 of
the two means; accuracy is the share of pages whose token sequence equals the truth's.

The set is split by a fixed rule decided before tuning: in sorted-id order, every fifth page
(index % 5 == 4) is the held-aside part, scored only to report; the rest is the dev part.
Every extractor gets the same decoded text: ``devoured_extractor.guards.decode_bytes`` (BOM,
strict UTF-8, the declared charset, cp1252), the decoding our own CLI uses for bytes.
"""

import functools
import gzip
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devoured_extractor.guards import decode_bytes

DEV_SET = Path(
    os.environ.get(
        "DEVOURED_EXTRACTION_DEV",
        str(Path(__file__).resolve().parents[2].parent / "shared" / "extraction-dev"),
    )
)
SOURCES = ("Dragnet", "L3S-GN1", "CleanEval", "CleanPortalEval", "Readability")
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str]


@dataclass(frozen=True)
class RealPage:
    id: str
    source: str
    url: str | None
    html: str
    truth: str
    held_aside: bool


@dataclass(frozen=True)
class RealScore:
    precision: float
    recall: float
    accuracy: float
    pages: int
    empty: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def available() -> bool:
    return (DEV_SET / "ground-truth.json").is_file()


@functools.cache
def load_pages() -> list[RealPage]:
    """Every page of the dev set, sorted by id, with the held-aside flag set (loaded once per
    process: the quality and the language reports read the same pages)."""
    truths = json.loads((DEV_SET / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for index, page_id in enumerate(sorted(truths)):
        entry = truths[page_id]
        raw = gzip.decompress((DEV_SET / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            RealPage(
                id=page_id,
                source=entry["source"],
                url=entry.get("url"),
                html=decode_bytes(raw),
                truth=entry["articleBody"],
                held_aside=index % 5 == 4,
            )
        )
    return pages


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def page_scores(prediction: str, truth: str) -> tuple[float | None, float | None, bool]:
    """(precision or None if the prediction is empty, recall or None if the truth is, exact)."""
    got, want = shingles(prediction), shingles(truth)
    tp = sum((got & want).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    precision = (tp / (tp + fp) if tp + fp else 1.0) if got else None
    recall = (tp / (tp + fn) if tp + fn else 1.0) if want else None
    return precision, recall, _TOKEN.findall(prediction) == _TOKEN.findall(truth)


PageScore = tuple[float | None, float | None, bool]


def aggregate(scores: Sequence[PageScore]) -> RealScore:
    precisions = [p for p, _, _ in scores if p is not None]
    recalls = [0.0 if r is None else r for _, r, _ in scores]
    n = len(scores) or 1
    return RealScore(
        precision=sum(precisions) / (len(precisions) or 1),
        recall=sum(recalls) / n,
        accuracy=sum(exact for _, _, exact in scores) / n,
        pages=len(scores),
        empty=sum(p is None for p, _, _ in scores),
    )


def bootstrap_sd(scores: Sequence[PageScore], rounds: int = 1000, seed: int = 14) -> float:
    """Standard deviation of F1 over seeded bootstrap resamples of the pages."""
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample = [scores[rng.randrange(len(scores))] for _ in scores]
        values.append(aggregate(sample).f1)
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)


class Page(Protocol):
    @property
    def html(self) -> str: ...

    @property
    def url(self) -> str | None: ...


def run(
    extractors: dict[str, Extractor], pages: Sequence[Page], rounds: int = 1
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Outputs per extractor and pages/s (best of ``rounds`` interleaved passes)."""
    outputs: dict[str, list[str]] = {}
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, extractor in extractors.items():
            started = time.perf_counter()
            outputs[name] = [extractor(page.html, page.url) for page in pages]
            seconds = time.perf_counter() - started
            best[name] = min(best.get(name, float("inf")), seconds)
    return outputs, {name: len(pages) / s for name, s in best.items()}

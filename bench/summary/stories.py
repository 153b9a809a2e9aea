"""The seed's stories as scoring material, and the Decoder's term-recall measure.

Stories with at least 300 words of article text are used. The seed is third-party text, read
from /work/shared at run time and never copied into the repository.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from devoured_summarizer.extractive.text import content_words

SEED = Path(os.environ.get("DEVOURED_SEED", "/work/shared/seed/dev_stories.json"))
MIN_WORDS = 300


@dataclass(frozen=True)
class Story:
    index: int
    title: str
    article: str
    summary: str
    deep_dive: list[str]
    decoder: list[str]


def load_stories(path: Path = SEED) -> list[Story]:
    raw = json.loads(path.read_text(encoding="utf-8"))["stories"]
    return [
        Story(
            i,
            (s.get("title") or "").split(" (")[0],
            s["article"],
            s["summary"],
            s.get("deep_dive") or [],
            [d["term"] for d in s.get("decoder") or []],
        )
        for i, s in enumerate(raw)
        if s.get("article") and len(s["article"].split()) >= MIN_WORDS
    ]


def term_recall(ours_terms: list[str], reference: list[str]) -> float:
    """Share of reference terms that one of ours matches (a shared content word)."""
    mine = [set(content_words(t)) for t in ours_terms]
    found = sum(1 for r in reference if any(set(content_words(r)) & m for m in mine))
    return found / len(reference)


def term_precision(ours_terms: list[str], reference: list[str]) -> float:
    """Share of our terms that match a reference term (a shared content word); 0 for none."""
    if not ours_terms:
        return 0.0
    refs = [set(content_words(r)) for r in reference]
    return sum(1 for t in ours_terms if any(set(content_words(t)) & r for r in refs)) / len(
        ours_terms
    )

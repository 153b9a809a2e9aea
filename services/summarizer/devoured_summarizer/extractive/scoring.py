"""Sentence scores from position, centrality and salience.

- position: news writing puts the point first, so early sentences and early paragraphs weigh
  more, with a slow decay so the middle of a long article still counts;
- centrality: cosine similarity of the sentence to the whole article (TF-IDF over sentences),
  the same idea TextRank approximates with a graph, at a fraction of the cost;
- salience: figures, names and title terms are what the digest's bullets are made of.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from devoured_summarizer.extractive.segment import Sentence
from devoured_summarizer.extractive.text import content_words

_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][A-Za-z0-9]+")
_QUESTION_OR_QUOTE = re.compile(r"\?$|^[\"“']")


@dataclass(frozen=True)
class Weights:
    position: float = 0.9
    centrality: float = 1.6
    title: float = 0.0  # title terms matter for the TL;DR (see compose), not the bullets
    numbers: float = 0.6
    names: float = 0.15
    list_item: float = -0.1


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    vector: dict[str, float]
    title_share: float = 0.0
    centrality: float = 0.0  # cosine to the whole article, kept for the TL;DR choice


def score_sentences(
    sentences: Sequence[Sentence], title: str, weights: Weights = Weights()
) -> list[Scored]:
    """Every sentence with its importance score and its TF-IDF vector (to spot repeats)."""
    bags = [Counter(content_words(s.text)) for s in sentences]
    vectors = _tfidf(bags)
    centroid = _normalise(_sum(vectors))
    title_terms = set(content_words(title))
    last_paragraph = max((s.paragraph for s in sentences), default=0) + 1
    scored = []
    for sentence, bag, vector in zip(sentences, bags, vectors, strict=True):
        position = 1 / math.sqrt(1 + sentence.index) + 0.5 * (
            1 - sentence.paragraph / last_paragraph
        )
        title_share = len(title_terms & bag.keys()) / len(title_terms) if title_terms else 0.0
        names = min(3, len(_NAME.findall(sentence.text))) / 3
        centrality = _dot(vector, centroid)
        score = (
            weights.position * position
            + weights.centrality * centrality
            + weights.title * title_share
            + weights.numbers * bool(_NUMBER.search(sentence.text))
            + weights.names * names
            + weights.list_item * sentence.list_item
            - 0.3 * bool(_QUESTION_OR_QUOTE.search(sentence.text))
            - 0.4 * (len(bag) < 4)
        )
        scored.append(Scored(sentence, score, vector, title_share, centrality))
    return scored


def similarity(a: Scored, b: Scored) -> float:
    """Cosine similarity of two sentences' TF-IDF vectors."""
    return _dot(a.vector, b.vector)


def _tfidf(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    documents = Counter(term for bag in bags for term in bag)
    total = len(bags)
    vectors = []
    for bag in bags:
        vector = {t: (1 + math.log(n)) * math.log(1 + total / documents[t]) for t, n in bag.items()}
        vectors.append(_normalise(vector))
    return vectors


def _sum(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    return dict(total)


def _normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())

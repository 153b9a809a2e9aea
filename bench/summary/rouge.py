"""ROUGE-N and ROUGE-L F1 (Lin, 2004), implemented here so the figures need no extra package.

Tokens are lower-cased alphanumeric runs with no stemming and no stopword removal, like
``rouge-score`` with ``use_stemmer=False``; for a multi-sentence text ROUGE-L is computed on
the whole token sequence (not the summary-level union LCS).
"""

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def rouge_n(candidate: str, reference: str, n: int) -> Score:
    cand, ref = _ngrams(tokens(candidate), n), _ngrams(tokens(reference), n)
    overlap = sum((cand & ref).values())
    return _score(overlap, sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: str, reference: str) -> Score:
    cand, ref = tokens(candidate), tokens(reference)
    return _score(_lcs(cand, ref), len(cand), len(ref))


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _score(overlap: int, candidate_total: int, reference_total: int) -> Score:
    if not overlap:
        return Score(0.0, 0.0, 0.0)
    precision, recall = overlap / candidate_total, overlap / reference_total
    return Score(precision, recall, 2 * precision * recall / (precision + recall))

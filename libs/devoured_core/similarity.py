"""Near-duplicate text detection (pure): 64-bit SimHash over word shingles, and title overlap."""

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
_TITLE_STOPWORDS = frozenset(
    "a an and as at by for from in into is its it of on or the to with new says said after "
    "over how why what who will its".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def simhash(text: str, *, shingle: int = 3) -> int:
    """64-bit SimHash of ``text``'s word ``shingle``-grams; similar texts get close hashes."""
    tokens = words(text)
    grams = [" ".join(tokens[i : i + shingle]) for i in range(max(1, len(tokens) - shingle + 1))]
    weights = [0] * 64
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def near_duplicate(a: int, b: int, *, max_distance: int = 6) -> bool:
    """Whether two SimHashes are within ``max_distance`` differing bits (of 64)."""
    return hamming(a, b) <= max_distance


def title_words(title: str) -> set[str]:
    """A title's content words (no stopwords, no bare numbers)."""
    return {w for w in words(title) if w not in _TITLE_STOPWORDS and not w.isdigit()}


def title_overlap(a: str, b: str) -> float:
    """Jaccard overlap of two titles' content words (0..1)."""
    first, second = title_words(a), title_words(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)

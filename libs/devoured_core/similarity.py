"""Near-duplicate detection (pure): 64-bit SimHash over word 3-shingles, and title overlap.

Two texts whose signatures differ in at most ``NEAR_DUPLICATE_BITS`` bits are near duplicates
(the usual threshold for 64-bit SimHash, Manku et al., WWW 2007). The extractor stores the
signature on every article; the publisher uses it, with title overlap, to cluster the same story
told by several sources.
"""

import hashlib
import re

BITS = 64
NEAR_DUPLICATE_BITS = 3
_MAX_SHINGLES = 1500
_MASK = (1 << 64) - 1
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def simhash(text: str, shingle: int = 3) -> int:
    """The 64-bit SimHash of ``text`` (0 for text without words)."""
    tokens = _TOKEN.findall(text[: _MAX_SHINGLES * 16].lower())  # enough for the cap below
    if not tokens:
        return 0
    # Hash each distinct token once; a shingle's hash combines its tokens' hashes rotated by
    # position, so word order still counts. Only the first ``_MAX_SHINGLES`` shingles count:
    # plenty to tell one story from another, at a flat cost on 10,000-word pages.
    tokens = tokens[: _MAX_SHINGLES + shingle]
    vocab = {
        t: int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest()) for t in set(tokens)
    }
    hashes = [vocab[t] for t in tokens]
    grams = _shingle_hashes(hashes, shingle)
    # One 64-character bit string per shingle, concatenated: column ``i`` of that matrix is the
    # slice [i::64], and str.count tallies it in C instead of a Python loop over 64 bits.
    bits = "".join(format(g, "064b") for g in grams)
    half = len(grams) / 2
    return sum(1 << (BITS - 1 - i) for i in range(BITS) if bits[i::BITS].count("1") > half)


def _shingle_hashes(hashes: list[int], shingle: int) -> list[int]:
    if len(hashes) <= shingle:
        return [_rotated(hashes)]
    rotated = [[((h << s) | (h >> (BITS - s))) & _MASK for h in hashes] for s in range(shingle)]
    columns = [rotated[s][s : len(hashes) - shingle + 1 + s] for s in range(shingle)]
    grams = columns[0]
    for column in columns[1:]:
        grams = [a ^ b for a, b in zip(grams, column, strict=True)]
    return grams


def _rotated(parts: list[int]) -> int:
    value = 0
    for shift, part in enumerate(parts):
        value ^= ((part << shift) | (part >> (BITS - shift))) & _MASK
    return value


def simhash_hex(text: str) -> str:
    return f"{simhash(text):016x}"


def hamming_distance(a: int | str, b: int | str) -> int:
    """Differing bits between two signatures (ints or 16-digit hex strings)."""
    return bin(_int(a) ^ _int(b)).count("1")


def is_near_duplicate(a: int | str, b: int | str, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming_distance(a, b) <= max_bits


def _int(value: int | str) -> int:
    return value if isinstance(value, int) else int(value, 16)


_TITLE_STOPWORDS = frozenset(
    "a an and as at by for from in into is its it of on or the to with new says said after "
    "over how why what who will its".split()
)


def words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def title_words(title: str) -> set[str]:
    """A title's content words (no stopwords, no bare numbers)."""
    return {w for w in words(title) if w not in _TITLE_STOPWORDS and not w.isdigit()}


def title_overlap(a: str, b: str) -> float:
    """Jaccard overlap of two titles' content words (0..1)."""
    first, second = title_words(a), title_words(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)

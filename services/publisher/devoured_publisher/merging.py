"""When two stories are the same story (pure): the pairwise merge rule and the index it needs.

Two stories are one item ("Also covered by") when

1. they share a URL, or
2. their texts are near-duplicates: SimHash at most ``TEXT_DISTANCE`` bits apart (a wire copy
   republished with other boilerplate), or
3. their titles share at least ``MIN_SHARED_TITLE_WORDS`` content words and either
   - their texts are alike: the cosine of their TF-IDF vectors (the first ``TEXT_WORDS`` words,
     words of three letters or more, IDF over the stories being merged) is at least
     ``TEXT_COSINE``, or
   - their titles match closely (at least ``TITLE_MIN_SHARED_WORDS`` shared words and a Jaccard
     overlap of ``TITLE_OVERLAP``) and the texts still have ``TITLE_TEXT_COSINE`` in common.

Rule 3 replaces the title rule alone, which merged pages whose ``<title>`` is only the site's
name ("Seth's Blog") and missed rewrites of one event by two outlets (2-3 shared title words,
overlap about 0.2, SimHash 27-31 bits apart). Thresholds and figures are in docs/publisher.md.

Use from a candidate-pair loop (clustering.py): prepare every story once, then test the pairs
the indexes propose::

    prepared = prepare([StoryText(s.title, s.url, s.text, signature) for s, signature in ...])
    for i, j in candidate_pairs:             # same URL, close SimHash bands, >= 2 title words
        if same_story(prepared[i], prepared[j]):
            union(i, j)

``prepare`` tokenises each story once and computes its unit TF-IDF vector with the IDF of the
whole batch, ``log((1 + n) / df)``: the batch should be the edition's stories (a word in every
one of them weighs almost nothing; a pair prepared alone still compares, but with less to go
on). ``same_story`` only intersects sets and sparse vectors.
Every pair it accepts shares a URL, is within ``TEXT_DISTANCE`` bits, or shares at least
``MIN_SHARED_TITLE_WORDS`` title words, so candidates from a same-URL index, the SimHash band
index and a title-word index with ``MIN_SHARED_TITLE_WORDS`` find every pair it accepts.
``merge_reason`` says which part accepted a pair, for an operator.
"""

import hashlib
import math
import sys
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from devoured_core.similarity import simhash, title_words, words

TEXT_DISTANCE = 8  # SimHash bits: edits of one article measured 0-8, unrelated ones 23 or more
MIN_SHARED_TITLE_WORDS = 2  # every merge other than URL and SimHash needs this many
TEXT_COSINE = (
    0.45  # TF-IDF cosine that makes two titled stories one (dev: same 0.59+, others 0.30-)
)
TITLE_MIN_SHARED_WORDS = 3  # the close-title rule: shared content words ...
TITLE_OVERLAP = 0.6  # ... and their Jaccard overlap
TITLE_TEXT_COSINE = 0.15  # the text a close title still needs (site-name-only titles have none)
TEXT_WORDS = 600  # words of each text that count (the lead carries the story)
MIN_TERM_LETTERS = 3
TEXT_MIN_WORDS = 60  # words a text needs for its SimHash to say something (rule 2)
# Texts whose term counts are kept, about 3-7 KB each (``Bag``), for editions assembled from
# texts (embedded mode's and benchmarks' editions in memory, stories stored before their
# features were): the publisher's builds read the counts stored with each story instead.
TERMS_CACHE = 20_000


@dataclass(frozen=True)
class Bag:
    """The counts of a text's terms, compactly: a dict of a real page's first 600 words took
    about 26 KB (its keys new strings each time), these parallel arrays of interned terms
    about 3 KB, which is what a 10,000-story edition holds while it is clustered."""

    terms: tuple[str, ...]
    counts: "array[int]"

    def items(self) -> Iterator[tuple[str, int]]:
        return zip(self.terms, self.counts, strict=True)

    def __len__(self) -> int:
        return len(self.terms)


def _bag(counter: Counter[str]) -> Bag:
    terms = tuple(sys.intern(t) for t in counter)
    return Bag(terms, array("H", counter.values()))  # at most TEXT_WORDS each


@dataclass(frozen=True)
class StoryText:
    """What the rule reads of a story. ``simhash`` is None for texts too short to sign;
    ``terms``, when given, are the text's counted terms (``text_terms``), stored with the
    story, and its ``text`` is not read."""

    title: str
    url: str
    text: str
    simhash: int | None = None
    terms: Bag | None = None


@dataclass(frozen=True)
class Prepared:
    """A story tokenised once: title words, SimHash and its term counts; the unit TF-IDF
    vector is computed on the first ``cosine`` that needs it (most pairs never do)."""

    url: str
    title: frozenset[str]
    simhash: int | None
    terms: Bag
    idf: Mapping[str, float] = field(repr=False)
    _vector: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def vector(self) -> dict[str, float]:
        if not self._vector and self.terms:
            weights = {term: n * self.idf[term] for term, n in self.terms.items()}
            norm = math.sqrt(sum(v * v for v in weights.values()))
            if norm:
                self._vector.update({t: v / norm for t, v in weights.items() if v > 0})
        return self._vector


def prepare(stories: Sequence[StoryText]) -> list[Prepared]:
    """Each story prepared for ``same_story``, with IDF over ``stories`` (the edition)."""
    bags = [text_terms(s.text) if s.terms is None else s.terms for s in stories]
    document_frequency: Counter[str] = Counter()
    for bag in bags:
        document_frequency.update(bag.terms)
    count = len(bags)
    idf = {term: math.log((1 + count) / df) for term, df in document_frequency.items()}
    return [
        Prepared(
            url=story.url,
            title=frozenset(title_words(story.title)),
            simhash=story.simhash,
            terms=bag,
            idf=idf,
        )
        for story, bag in zip(stories, bags, strict=True)
    ]


_bags: OrderedDict[bytes, Bag] = OrderedDict()
_bags_lock = threading.Lock()


def text_terms(text: str) -> Bag:
    """Counts of the words of ``text`` that count (its first ``TEXT_WORDS``, three letters or
    more); memoised by the text's digest, since the website and the edition builder merge the
    same stories again and again (read-only: shared between calls and threads)."""
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    with _bags_lock:
        if key in _bags:
            _bags.move_to_end(key)
            return _bags[key]
    bag = count_terms(words(text))
    with _bags_lock:
        _bags[key] = bag
        if len(_bags) > TERMS_CACHE:
            _bags.popitem(last=False)
    return bag


def text_simhash(text: str, tokens: Sequence[str]) -> int | None:
    """The SimHash of ``text`` (``tokens``: its ``words``), or None for a text of fewer than
    ``TEXT_MIN_WORDS`` words, too short to tell."""
    return simhash(text) if len(tokens) >= TEXT_MIN_WORDS else None


def count_terms(tokens: Sequence[str]) -> Bag:
    """The counts of the terms that count among a text's words (``words``): the first
    ``TEXT_WORDS``, of ``MIN_TERM_LETTERS`` letters or more."""
    return _bag(Counter(w for w in tokens[:TEXT_WORDS] if len(w) >= MIN_TERM_LETTERS))


def cosine(a: Prepared, b: Prepared) -> float:
    """Cosine of the two unit TF-IDF vectors (0..1)."""
    small, large = sorted((a.vector, b.vector), key=len)
    return sum(v * large.get(term, 0.0) for term, v in small.items())


def merge_reason(a: Prepared, b: Prepared) -> str | None:
    """Which part of the rule makes ``a`` and ``b`` one story ("url", "text", "content",
    "title"), or None when they are different stories."""
    if a.url and a.url == b.url:
        return "url"
    if (
        a.simhash is not None
        and b.simhash is not None
        and (a.simhash ^ b.simhash).bit_count() <= TEXT_DISTANCE
    ):
        return "text"
    shared = len(a.title & b.title)
    if shared < MIN_SHARED_TITLE_WORDS:
        return None
    alike = cosine(a, b)
    if alike >= TEXT_COSINE:
        return "content"
    close_titles = (
        shared >= TITLE_MIN_SHARED_WORDS
        and shared / len(a.title | b.title) >= TITLE_OVERLAP
        and alike >= TITLE_TEXT_COSINE
    )
    return "title" if close_titles else None


def same_story(a: Prepared, b: Prepared) -> bool:
    """The merge rule for one pair (module doc); symmetric."""
    return merge_reason(a, b) is not None

"""Story clustering (pure): the same event from several sources becomes one item.

Two stories are about the same event when ``merging.same_story`` says so: one URL,
near-duplicate texts (SimHash within ``TEXT_DISTANCE`` bits), or shared title words backed by
alike texts (TF-IDF cosine). Clusters are the connected groups; the best-scored story leads and
the others become its "also covered by" links.

Every pair the rule accepts shares a URL, is within ``TEXT_DISTANCE`` bits, or shares
``MIN_SHARED_TITLE_WORDS`` title words, so three indexes find them all without comparing all
n²/2 pairs (the clusters are exactly those of testing every pair):

- same URL (``url_pairs``): stories grouped by URL;
- texts (``text_pairs``): locality-sensitive hashing on the 64-bit SimHash, split into
  ``TEXT_BANDS`` = 5 bands of 12 or 13 bits, each an index from band value to stories. Two
  signatures within ``TEXT_DISTANCE`` = 8 bits spread those bits over 5 bands, so on at least
  one band they differ in at most 8 // 5 = 1 bit (pigeonhole). Each story looks up, on every
  band, its own value and the values one bit away (``TEXT_BAND_SLACK``), so every such pair is
  found: recall is exact, not probabilistic. (The plain form, b = 9 bands of 7 bits looked up
  exactly, also guarantees it, since distance < b leaves one band equal, but its narrow bands
  put 9/128 of all pairs in a shared bucket: about 980,000 comparisons for 5,000 stories,
  against about 100,000 here.) Wider bands without the neighbours would miss pairs;
- titles (``title_pairs``): prefix filtering on the title words (see there); only these pairs
  need the text cosine, and only when they are not already in one cluster.

The publisher stores each story's SimHash and term counts when it arrives (``features``), and
its builds compare those. Stories given without them (the embedded mode's and benchmarks'
editions made in memory, stories stored before the features were) are signed and counted from
their texts, memoised by a digest of the text (``text_signature``, ``merging.text_terms``): a
SimHash costs a few milliseconds, and the same stories are clustered again and again.
"""

import hashlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from devoured_core.model import Story
from devoured_core.similarity import BITS, title_words, words
from devoured_publisher.features import TextFeatures
from devoured_publisher.merging import (
    MIN_SHARED_TITLE_WORDS,
    TEXT_DISTANCE,
    StoryText,
    prepare,
    same_story,
    text_simhash,
)

TEXT_BANDS = 5  # of 12-13 bits each (module doc)
TEXT_BAND_SLACK = TEXT_DISTANCE // TEXT_BANDS  # bits a close pair differs in on its best band
SIGNATURE_CACHE = 50_000  # texts whose signature is kept (a digest and an int each)


@dataclass(frozen=True)
class Cluster:
    lead: Story
    also: list[Story] = field(default_factory=list)


def cluster_stories(
    stories: list[Story],
    *,
    score: Callable[[Story], float],
    features: Mapping[str, TextFeatures] | None = None,
) -> list[Cluster]:
    """Group ``stories`` about the same event (``merging.same_story``); each cluster led by its
    best-scored story. A story with ``features`` (by article id, stored when it arrived) is
    compared on those; the text of the others is read."""
    known = features or {}
    texts = [_story_text(s, known.get(s.article_id)) for s in stories]
    hashes = [t.simhash for t in texts]
    titles = [title_words(s.title) for s in stories]
    prepared = prepare(texts)
    groups = Groups(len(stories))
    # Same URL and near-duplicate texts are merges by themselves (rules 1 and 2).
    for i, j in itertools.chain(url_pairs(stories), text_pairs(hashes)):
        groups.join(i, j)
    # Every other merge needs shared title words; pairs already joined need no cosine.
    for i, j in title_pairs(titles, MIN_SHARED_TITLE_WORDS):
        if not groups.together(i, j) and same_story(prepared[i], prepared[j]):
            groups.join(i, j)
    return clusters_of(stories, groups, score=score)


def _story_text(story: Story, features: TextFeatures | None) -> StoryText:
    if features is None:
        return StoryText(story.title, story.url, story.text, text_signature(story.text))
    return StoryText(story.title, story.url, "", features.simhash, features.terms)


class Groups:
    """Disjoint groups of the indexes ``0 .. count - 1``, joined pair by pair (union-find)."""

    def __init__(self, count: int) -> None:
        self._parent = list(range(count))

    def root(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving: later lookups are shorter
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        first, second = self.root(i), self.root(j)
        if first != second:
            self._parent[second] = first

    def together(self, i: int, j: int) -> bool:
        return self.root(i) == self.root(j)

    def members(self) -> list[list[int]]:
        """Each group's indexes, in index order; groups in the order of their first index."""
        groups: dict[int, list[int]] = {}
        for index in range(len(self._parent)):
            groups.setdefault(self.root(index), []).append(index)
        return list(groups.values())


def clusters_of(
    stories: Sequence[Story], groups: Groups, *, score: Callable[[Story], float]
) -> list[Cluster]:
    """A cluster per group of ``stories``, led by its best-scored story."""
    clusters = []
    for indexes in groups.members():
        ranked = sorted((stories[i] for i in indexes), key=lambda s: (-score(s), s.article_id))
        clusters.append(Cluster(ranked[0], ranked[1:]))
    return clusters


def url_pairs(stories: Sequence[Story]) -> Iterator[tuple[int, int]]:
    """Pairs ``(i, j)`` of stories on the same URL (each joined to the first on it)."""
    first: dict[str, int] = {}
    for index, story in enumerate(stories):
        seen = first.setdefault(story.url, index)
        if seen != index:
            yield seen, index


def text_pairs(hashes: Sequence[int | None]) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of signatures at most ``TEXT_DISTANCE`` bits apart, and
    no other, each once: only pairs whose bands are close are compared (module doc)."""
    bands = _bands()
    flips = [_flips(mask.bit_length(), TEXT_BAND_SLACK) for _, mask in bands]
    tables: list[dict[int, list[int]]] = [{} for _ in bands]
    for j, signature in enumerate(hashes):
        if signature is None:
            continue
        found: list[int] = []
        for (shift, mask), table, near in zip(bands, tables, flips, strict=True):
            value = (signature >> shift) & mask
            look = table.get
            for flip in near:
                hit = look(value ^ flip)
                if hit is not None:
                    found.extend(hit)
            table.setdefault(value, []).append(j)
        for i in sorted(set(found)):
            if (signature ^ (hashes[i] or 0)).bit_count() <= TEXT_DISTANCE:
                yield i, j


def _flips(width: int, bits: int) -> list[int]:
    """Every mask of at most ``bits`` set bits among ``width``: a band value's neighbours."""
    return [
        sum(1 << b for b in chosen)
        for count in range(bits + 1)
        for chosen in itertools.combinations(range(width), count)
    ]


def title_pairs(titles: Sequence[set[str]], min_shared: int) -> Iterator[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of titles (content words) sharing at least
    ``min_shared`` words, and no other.

    Prefix filtering (Bayardo et al., WWW 2007): with each title's words ordered rarest first,
    two titles sharing ``min_shared`` words share one among their first
    ``len - min_shared + 1``, so only those are indexed and looked up: common words rarely are.
    """
    frequency: dict[str, int] = {}
    for title in titles:
        for word in title:
            frequency[word] = frequency.get(word, 0) + 1
    index: dict[str, list[int]] = {}
    for j, title in enumerate(titles):
        if len(title) < min_shared:
            continue
        ordered = sorted(title, key=lambda w: (frequency[w], w))
        candidates: set[int] = set()
        for word in ordered[: len(title) - min_shared + 1]:
            earlier = index.get(word)
            if earlier is None:
                index[word] = [j]
            else:
                candidates.update(earlier)
                earlier.append(j)
        for i in sorted(candidates):
            if len(title & titles[i]) >= min_shared:
                yield i, j


def _bands(count: int = TEXT_BANDS, bits: int = BITS) -> list[tuple[int, int]]:
    """``count`` bands covering ``bits`` bits, as (shift, mask); widths differ by one at most."""
    width, wider = divmod(bits, count)
    bands, shift = [], 0
    for index in range(count):
        size = width + (1 if index < wider else 0)
        bands.append((shift, (1 << size) - 1))
        shift += size
    return bands


_signatures: OrderedDict[bytes, int | None] = OrderedDict()
_signatures_lock = threading.Lock()


def text_signature(text: str) -> int | None:
    """The SimHash of ``text``, or None for a text too short to tell (``merging.text_simhash``);
    memoised by the text's digest (the page renderer calls this from worker threads)."""
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    with _signatures_lock:
        if key in _signatures:
            _signatures.move_to_end(key)
            return _signatures[key]
    signed = text_simhash(text, words(text))
    with _signatures_lock:
        _signatures[key] = signed
        if len(_signatures) > SIGNATURE_CACHE:
            _signatures.popitem(last=False)
    return signed

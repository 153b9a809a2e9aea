"""Story clustering (pure): the same event from several sources becomes one item.

Two stories are about the same event when their texts are near-duplicates (SimHash within a few
bits) or their titles share most of their content words. Clusters are the connected groups; the
best-scored story leads and the others become its "also covered by" links.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from devoured_core.model import Story
from devoured_core.similarity import (
    is_near_duplicate,
    simhash,
    title_overlap,
    title_words,
    words,
)

TITLE_OVERLAP = 0.6
TITLE_MIN_SHARED_WORDS = 3
TEXT_DISTANCE = 8  # of 64 bits: edits of one article measured 0-8, unrelated articles 23 or more
TEXT_MIN_WORDS = 60  # SimHash of a few words says little


@dataclass(frozen=True)
class Cluster:
    lead: Story
    also: list[Story] = field(default_factory=list)


def cluster_stories(stories: list[Story], *, score: Callable[[Story], float]) -> list[Cluster]:
    """Group ``stories`` about the same event; each cluster led by its best-scored story."""
    hashes = [simhash(s.text) if len(words(s.text)) >= TEXT_MIN_WORDS else None for s in stories]
    parent = list(range(len(stories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if _same_event(stories[i], stories[j], hashes[i], hashes[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[Story]] = {}
    for index, story in enumerate(stories):
        groups.setdefault(root(index), []).append(story)
    clusters = []
    for members in groups.values():
        ranked = sorted(members, key=lambda s: (-score(s), s.article_id))
        clusters.append(Cluster(ranked[0], ranked[1:]))
    return clusters


def _same_event(a: Story, b: Story, hash_a: int | None, hash_b: int | None) -> bool:
    if a.url == b.url:
        return True
    if (
        hash_a is not None
        and hash_b is not None
        and is_near_duplicate(hash_a, hash_b, max_bits=TEXT_DISTANCE)
    ):
        return True
    shared = title_words(a.title) & title_words(b.title)
    return (
        len(shared) >= TITLE_MIN_SHARED_WORDS and title_overlap(a.title, b.title) >= TITLE_OVERLAP
    )

"""Choosing Deep dive sentences by how much of the article's content they cover.

A digest's Deep dive walks through the whole article, not just its opening, so bullets are
picked greedily by the concepts they add (the Gillick-Favre idea): concepts are the article's
content words and word pairs, weighted by how many sentences repeat them; a concept counts
once, so a sentence that only repeats what is chosen gains little. The sentence's own score
(position, centrality, salience) breaks ties and keeps the most important facts first.

``cover_pairs`` (the default, see ``compose.Tuning.pair_model``) weighs word pairs instead by
how likely a digest is to reuse them (``pairs.py``, a model measured on digests) and stops
when another bullet would cost more words than its expected matches are worth.
"""

import functools
import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence

from devoured_summarizer.extractive.pairs import Pair, pair_tokens, pairs_of
from devoured_summarizer.extractive.scoring import Scored, similarity
from devoured_summarizer.extractive.text import content_words

NEAR_DUPLICATE = 0.8
MAX_POOL = 150


def concepts(text: str) -> set[str]:
    terms = content_words(text)
    return set(terms) | {f"{a} {b}" for a, b in itertools.pairwise(terms)}


def cover(
    candidates: Sequence[Scored],
    *,
    chosen: Sequence[Scored],
    max_count: int,
    min_count: int,
    word_budget: int,
    importance: float = 1.0,
) -> list[Scored]:
    """Greedy budgeted coverage: up to ``max_count`` sentences, about ``word_budget`` words."""
    sets = {id(c): concepts(c.sentence.text) for c in candidates}
    weight = Counter(t for s in sets.values() for t in s)
    seen = set().union(*(concepts(c.sentence.text) for c in chosen)) if chosen else set()
    top = max((c.score for c in candidates), default=1.0) or 1.0
    # The best-scored sentences only: keeps a 20,000-word article as fast as a short one.
    pool = sorted(candidates, key=lambda c: -c.score)[:MAX_POOL]
    picked: list[Scored] = []
    words = 0

    def gain(c: Scored, seen: set[str]) -> float:
        new = sum(weight[t] - 1 for t in sets[id(c)] - seen if weight[t] > 1)
        length = len(c.sentence.text.split())
        return new / math.sqrt(length) + importance * c.score / top

    while pool and len(picked) < max_count:
        if len(picked) >= min_count and words >= word_budget:
            break
        best = max(pool, key=functools.partial(gain, seen=seen))
        pool.remove(best)
        if any(similarity(best, p) > NEAR_DUPLICATE for p in [*chosen, *picked]):
            continue  # a repeated lede or pull quote says nothing new
        picked.append(best)
        seen |= sets[id(best)]
        words += len(best.sentence.text.split())
    return sorted(picked, key=lambda c: -c.score)


def cover_pairs(
    candidates: Sequence[tuple[Scored, str]],
    likelihoods: Mapping[Pair, float],
    *,
    chosen: Sequence[Scored],
    max_count: int,
    min_count: int,
    expected_words: int,
) -> list[Scored]:
    """Greedy bullets by the digest word pairs they are expected to share, per word.

    ``candidates`` are (sentence, text as it would be shown). A pair counts once, with its
    likelihood of being in the digest; the objective is the expected overlap F1 against a Deep
    dive of about ``expected_words`` words, ``2 * matched / (our pairs + expected_words)``, so a
    long sentence must bring proportionally more likely pairs, and bullets stop (after
    ``min_count``) when the next one would lower it.
    """
    sets = [pairs_of(text) for _, text in candidates]
    sizes = [max(1, len(pair_tokens(text)) - 1) for _, text in candidates]
    left = set(range(len(candidates)))
    seen: set[Pair] = set()
    picked: list[Scored] = []
    matched, size = 0.0, 0

    def f1(matched: float, size: int) -> float:
        return 2 * matched / (size + expected_words)

    while left and len(picked) < max_count:
        gains = {i: matched + sum(likelihoods.get(p, 0.0) for p in sets[i] - seen) for i in left}
        best = max(sorted(left), key=lambda i: f1(gains[i], size + sizes[i]))
        if len(picked) >= min_count and f1(gains[best], size + sizes[best]) <= f1(matched, size):
            break
        left.remove(best)
        sentence = candidates[best][0]
        if any(similarity(sentence, p) > NEAR_DUPLICATE for p in [*chosen, *picked]):
            continue  # a repeated lede or pull quote says nothing new
        picked.append(sentence)
        seen |= sets[best]
        matched, size = gains[best], size + sizes[best]
    return sorted(picked, key=lambda c: -c.score)

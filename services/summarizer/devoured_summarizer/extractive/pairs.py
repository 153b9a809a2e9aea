"""How likely each of the article's word pairs is to reappear in a digest's Deep dive.

Digest bullets are rewritten, but they keep some of the article's word pairs (about 40% of
theirs occur in the article). Which ones is partly predictable from the pair itself: pairs the
article repeats, pairs of two content words, pairs with a figure and pairs of names come back
far more often than "of the" or a pair seen once. A small logistic model turns those traits
into a likelihood per pair; ``coverage.cover_pairs`` then picks the bullets whose pairs are
expected to match most per word.

Pairs are taken the way ROUGE-2 takes them (lower-cased alphanumeric runs, no stemming, no
stopword removal) because that is what a matched pair is. The coefficients are measured by
``bench.summary.fit_pairs`` (leave-one-out cross-validated in ``bench.summary.tune``).
"""

import math
import re
from collections import Counter
from itertools import pairwise

from devoured_summarizer.extractive.text import STOPWORDS

Pair = tuple[str, str]
# Intercept, then one coefficient per feature of ``pair_features``, in that order.
PairModel = tuple[float, ...]
PAIR_MODEL: PairModel = (-2.7869, 0.9964, 0.3596, 0.514, -0.2474, 0.8944, 0.1232, 0.5113)

_TOKEN = re.compile(r"[a-z0-9]+")
# A capitalised word after a lower-case word or a comma: a name, not a sentence start.
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][A-Za-z0-9]*")


def pair_tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric runs, as ROUGE counts them."""
    return _TOKEN.findall(text.lower())


def pairs_of(text: str) -> set[Pair]:
    """The distinct adjacent word pairs of ``text``."""
    return set(pairwise(pair_tokens(text)))


def pair_features(article: str) -> dict[Pair, tuple[float, ...]]:
    """Every word pair of the article with its traits, without the intercept.

    log count, repeated, no stopword, both stopwords, has a figure, one name, two names.
    """
    counts = Counter(pairwise(pair_tokens(article)))
    names = {w.lower() for w in _NAME.findall(article)}
    features: dict[Pair, tuple[float, ...]] = {}
    for pair, n in counts.items():
        first, second = pair
        stop = (first in STOPWORDS) + (second in STOPWORDS)
        named = (first in names) + (second in names)
        features[pair] = (
            math.log(n),
            float(n >= 2),
            float(stop == 0),
            float(stop == 2),
            float(not (first + second).isalpha()),  # tokens are [a-z0-9]+: a digit
            float(named == 1),
            float(named == 2),
        )
    return features


def likelihood(model: PairModel, features: tuple[float, ...]) -> float:
    """The logistic model's probability for one pair's features."""
    z = model[0] + sum(w * x for w, x in zip(model[1:], features, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def pair_likelihoods(article: str, model: PairModel = PAIR_MODEL) -> dict[Pair, float]:
    """Each article pair's chance of appearing in a digest's Deep dive of the article."""
    # Most pairs share their traits (six of seven are 0 or 1): one model call per distinct set.
    chances: dict[tuple[float, ...], float] = {}
    found: dict[Pair, float] = {}
    for pair, traits in pair_features(article).items():
        chance = chances.get(traits)
        if chance is None:
            chance = chances[traits] = likelihood(model, traits)
        found[pair] = chance
    return found

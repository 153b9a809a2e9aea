"""Words for scoring: lower-cased content words with a light suffix stem."""

import functools
import re

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’+-]*|\d+(?:[.,]\d+)*%?")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say one two new like get got also many much may might must
    use used using via per within without across among around upon us it's that's there's
    """.split()
)


def words(text: str) -> list[str]:
    """All word tokens, lower-cased (numbers included)."""
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Stemmed words that carry meaning: no stopwords, no one-letter tokens."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


# Memoised: an article stems each of its words in several passes (scoring, pairs, coverage,
# the decoder), and the web's vocabulary is Zipfian, so a bounded table answers most calls.
@functools.lru_cache(maxsize=1 << 14)
def stem(word: str) -> str:
    """Fold the commonest English inflections together (models/model, running/run)."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word

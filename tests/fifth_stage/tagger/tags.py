"""The tagger's pure core: the words an article is about, by a rule simple enough to check."""

import re
from collections import Counter

_WORD = re.compile(r"[a-z]{7,}")


def tags_for(text: str, *, limit: int = 3) -> list[str]:
    """The ``limit`` most frequent words of seven letters or more, most frequent first (ties in
    alphabetical order)."""
    counts = Counter(_WORD.findall(text.lower()))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [word for word, _ in ranked[:limit]]

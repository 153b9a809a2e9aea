"""How big a summary is and which sentences may serve as a TL;DR or a bullet at all (pure).

- sizes: the digest's bullets and Decoder terms grow with the article's length; the relation
  ``round(base + per_ln * ln(words))`` is fitted on the dev set by ``bench.summary.sizes``
  (least squares over the scoring stories, >= 300 words), and a bullet count never exceeds
  a share of the sentences that could be bullets (a short article has few facts to tell);
- a teaser or scene-setting lede (a question, "you", "I", "Imagine ...", "has long been one
  of the most ...") is never the TL;DR;
- a headline that is a clause ("Acme raises $48 million to ...") names the actor and the
  action: the TL;DR starts from it;
- a list or table fragment without its subject (an imperative list item, a row of figures)
  is no bullet.
"""

import itertools
import math
import re

# Fitted by ``python -m bench.summary.sizes`` on the seed's scoring stories (>= 300 words).
BULLET_FIT = (-0.57, 1.65)  # base, per ln(article words)
TERM_FIT = (-19.78, 3.82)
MIN_BULLETS, MAX_BULLETS = 3, 14
MIN_TERMS, MAX_TERMS = 2, 12
BULLET_SHARE = 0.6  # at most this share of the usable sentences become bullets


def bullet_count(words: int, usable: int, fit: tuple[float, float] = BULLET_FIT) -> int:
    """How many bullets an article of ``words`` words with ``usable`` candidates gets."""
    fitted = round(fit[0] + fit[1] * math.log(max(words, 1)))
    wanted = min(MAX_BULLETS, max(MIN_BULLETS, fitted))
    return max(0, min(wanted, math.ceil(BULLET_SHARE * usable)))


def term_count(words: int, fit: tuple[float, float] = TERM_FIT) -> int:
    """How many Decoder terms at most (fewer when fewer need decoding)."""
    fitted = round(fit[0] + fit[1] * math.log(max(words, 1)))
    return min(MAX_TERMS, max(MIN_TERMS, fitted))


_TEASER = re.compile(
    r"\?[\"'”’]?$|\b(?:you|your|you're|yourself)\b|^(?:i|i'm|i've|i'd|we|we're|we've|our|"
    r"imagine|picture|"
    r"remember|what if|ever|let's|here's|here is|meet|there's|there is|there are)\b|"
    r"\b(?:has|have) (?:long )?been (?:one of|a (?:long|popular|common))|"
    r"\bone of the most\b|^(?:it|this) (?:was|is) (?:a|an|the|one)\b|^when\b|^if\b|^once\b",
    re.I,
)


# A personal narrative ("since I first visited", "my niece") tells a story, not the news.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|myself)\b")


def is_teaser(sentence: str) -> bool:
    """A lede that sets a scene, asks, or tells a personal story instead of the news."""
    text = sentence.strip()
    return bool(_TEASER.search(text) or _FIRST_PERSON.search(text))


_HEADLINE_TEASER = re.compile(
    r"\?|^(?:how|why|what|when|where|who|which|is|are|can|should|does|do|will|the\s+\d+|\d+\s+"
    r"(?:ways|things|reasons|tips|lessons))\b|:\s*$|\b(?:you|your|i|my)\b",
    re.I,
)
# A headline's verb: "raises", "launched", "to invest", "is", "will ..." (headline English).
_HEADLINE_VERB = re.compile(
    r"\b(?:[a-z]{2,}(?:s|ed)|to [a-z]+|is|are|was|were|will|has|have|wins|won|gets|got|"
    r"buys|bought|sues|sued|cuts|cut|sets|set|hits|hit|adds|raises|raised|shuts|ships|"
    r"makes|made|takes|took)\b"
)


def headline_clause(title: str, names: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The headline as the start of a sentence when it states who did what, else None.

    A verb is looked for among the words after the first, lower-cased when the headline is in
    Title Case, except the article's ``names`` (words it capitalises inside its sentences).
    """
    text = re.sub(r"\s*\(\d+ minute read\)\s*$", "", " ".join(title.split())).strip(" .")
    words = text.split()
    # A headline with a colon or a dash is two parts already: "A: B: sentence" reads badly.
    if (
        not 5 <= len(words) <= 22
        or _HEADLINE_TEASER.search(text)
        or re.search(r":|\s[—–-]\s", text)
    ):
        return None
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return None
    title_case = sum(w[:1].isupper() for w in words) > len(words) / 2
    # A word after "of", "the", "and", ... is a noun ("Handling of Blueberries"), not a verb.
    rest = " ".join(
        w.lower() if title_case else w
        for before, w in itertools.pairwise(words)
        if before.lower() not in _NOUN_CONTEXT
        and ((title_case and w.strip("'’\"“”,:") not in names) or not w[:1].isupper())
    )
    if not _HEADLINE_VERB.search(rest):
        return None
    return text


_NOUN_CONTEXT = frozenset(
    "of the a an and or for in on with by from at its their his her our".split()
)


# A byline, a dateline or a time stamp: page furniture, not a fact.
_BYLINE = re.compile(
    r"^(?i:by|posted by|written by|reported by)\s+[A-Z][^.!?]{0,80}[.:]?$|"
    r"\((?:AP|Reuters|AFP|UPI|dpa|Bloomberg)\)\s*[-–—?]?\s*$|"
    r"\b(?:19|20)\d{2}\b.{0,30}\b\d{1,2}:\d{2}\s*(?i:am|pm)\b"  # a date and a time
)


def is_byline(text: str) -> bool:
    """ "By Dana on Thursday, May 1, 2003 - 12:36 pm:" or "RAMALLAH, West Bank (AP) -"."""
    return len(text.split()) <= 16 and bool(_BYLINE.search(text.strip()))


_NUMBERISH = re.compile(r"^[\d$€£¥%.,:/+-]+[%kKmMbBx]?$")


def is_fragment(text: str, list_item: bool, names: set[str]) -> bool:
    """A row of a list or a table that says nothing without its heading.

    A list item must open with an article, a number or a name the article capitalises
    elsewhere too (the subject); "Publish analyses ..." (an imperative) or "faster boot"
    is a fragment. Any line that is mostly figures is a table row.
    """
    words = text.split()
    if not words:
        return True
    figures = sum(1 for w in words if _NUMBERISH.match(w))
    if figures / len(words) > 0.3 or " | " in text or "\t" in text or is_byline(text):
        return True
    if not list_item:
        return False
    first = words[0].strip("\"'“‘(")
    return not (
        first.lower() in {"the", "a", "an", "its", "their", "our", "each", "every", "all"}
        or first[:1].isdigit()
        or first in names
    )


_MID_NAME = re.compile(r"(?<=[a-z0-9,;:] )[A-Z][\w.+-]*")


def names_in(sentences: list[str]) -> set[str]:
    """Words the article capitalises inside a sentence: its names."""
    return {m.group() for s in sentences for m in _MID_NAME.finditer(s)}

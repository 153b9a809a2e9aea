"""Making a sentence readable on its own: no leading connective, no dangling pronoun, short."""

import re

MAX_TLDR_WORDS = 35
MIN_TRIMMED_WORDS = 10  # a TL;DR cut shorter than this no longer says who did what
MAX_TLDR_CHARS = 400
_CONNECTIVE = re.compile(
    r"^(?:but|and|so|also|however|meanwhile|still|yet|then|moreover|additionally|furthermore|"
    r"instead|indeed|thus|therefore|besides|nonetheless|nevertheless|plus|finally|first|"
    r"second|third|in addition|in fact|as a result|for example|for instance|on the other hand|"
    r"at the same time|that said|of course|in short|overall|now|today|importantly),?\s+",
    re.I,
)
_DANGLING = re.compile(
    r"^(?:it|this|that|these|those|they|them|he|she|his|her|its|their|there|here|such|"
    r"the latter|the former|both|another|other|which|nor)\b",
    re.I,
)
# Where a long sentence can end early and still say something whole: before a trailing clause
# (", which ...", ", and ...", a participle with its object: ", ending an ..." but not the
# adjective in ", binding rules"), a semicolon, a colon or a dash.
_CLAUSE_BREAK = re.compile(
    r"(?:,\s+(?:which|while|and|but|as|with|after|because|where|including|such as|although|"
    r"though|whereas|when|who|according|allowing|making|bringing|giving|leading|helping|"
    r"enabling)\b|,\s+[a-z]+ing\s+(?:an?|the|its|their|his|her|our|it|them|to|in|on|up|"
    r"out|with|for|about)\b|;|:\s|\s[—–-]\s)"
)
_ANY_COMMA = re.compile(r",\s")


def strip_connective(sentence: str) -> str:
    """Drop a leading connective ("However, ...") and re-capitalise."""
    stripped = _CONNECTIVE.sub("", sentence, count=1)
    return stripped[:1].upper() + stripped[1:]


def dangles(sentence: str) -> bool:
    """True when the sentence leans on a previous one ("It ...", "This ...")."""
    return bool(_DANGLING.match(strip_connective(sentence)))


def quotes_balanced(sentence: str) -> bool:
    """False for half a quotation (a quote that runs on into the next sentence)."""
    straight = sentence.count('"')
    return straight % 2 == 0 and sentence.count("“") == sentence.count("”")


def reads_alone(sentence: str) -> bool:
    """Whether a sentence makes sense without its neighbours, as a bullet or a TL;DR must:
    no dangling opener, no half quotation, and no line that introduces a list or a table."""
    return (
        not dangles(sentence) and quotes_balanced(sentence) and not sentence.rstrip().endswith(":")
    )


def trims_cleanly(sentence: str, limit: int = MAX_TLDR_WORDS) -> bool:
    """Whether ``trim`` can keep the sentence whole or end it at a clause break.

    A cut at a bare comma or a word can leave half a phrase ("... to set detailed."), so the
    TL;DR prefers a sentence that does not need one.
    """
    words = sentence.split()
    if len(words) <= limit:
        return True
    head = " ".join(words[: limit + 1])
    return any(
        len(head[: m.start()].split()) >= MIN_TRIMMED_WORDS for m in _CLAUSE_BREAK.finditer(head)
    )


def trim(sentence: str, limit: int = MAX_TLDR_WORDS) -> str:
    """At most ``limit`` words: cut at the last clause break that fits, else at a word."""
    if len(sentence) > MAX_TLDR_CHARS:  # one endless "word": a URL, a hash, garbage
        sentence = sentence[:MAX_TLDR_CHARS].rstrip() + "…"
    words = sentence.split()
    if len(words) <= limit:
        return sentence
    head = " ".join(words[: limit + 1])
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(head)]
    good = [b for b in breaks if len(head[:b].split()) >= limit // 2]
    if not good:  # a shorter whole clause says less, but a comma cut can say something wrong
        good = [b for b in breaks if len(head[:b].split()) >= MIN_TRIMMED_WORDS][:1]
    if not good:  # a plain comma still ends a phrase, which reads better than a cut word
        good = [
            m.start()
            for m in _ANY_COMMA.finditer(head)
            if len(head[: m.start()].split()) >= limit // 2
        ]
    if good:
        return head[: good[-1]].rstrip(" ,;:—–-") + "."
    return " ".join(words[:limit]).rstrip(",;:—–-") + "…"


_FILLER = re.compile(
    r"^(?:it(?:'s| is) worth noting that|it should be noted that|notably,|note that|"
    r"according to [^,]{3,60},|in other words,|as a result,|to be clear,)\s+",
    re.I,
)
_ASIDE = re.compile(
    r"\s*\((?![A-Z0-9]{2,10}%?s?\))[^()]{1,80}\)|\s+[—–]\s+[^—–]{1,200}\s+[—–](?=\s)"
)
_ATTRIBUTION = re.compile(
    r",\s+(?:he|she|they|it|the company|[A-Z][a-z]+)\s+(?:said|says|added|wrote|noted)\.$"
)


# A leading time or source phrase ("This year,", "In the last 30 days,", "In a blog post,"):
# context the TL;DR does without, and "This year," is no dangling "This". The time phrase must
# name a time (a year, a month, a day, "week", "ago", ...) so that "In AI-native teams," stays.
_TIME_WORD = (
    r"(?:(?:19|20)\d{2}s?|h[12]|q[1-4]|days?|weeks?|months?|years?|quarters?|decades?|hours?|"
    r"today|yesterday|tonight|recently|ago|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|january|february|(?-i:March)|april|(?-i:May)|june|july|august|september|october|"
    r"november|december|morning|evening|afternoon|weekend|spring|summer|autumn|winter)"
)
_LEADING_TIME = re.compile(
    r"^(?:on|in|at|during|earlier|later|last|this|since|over|starting|back|after|for|throughout)"
    r"\b(?:\s+[^\s,;:]+){0,6}?\s*\b" + _TIME_WORD + r"\b[’']?(?:\s+[^\s,;:]+){0,3}?,\s+",
    re.I,
)
_LEADING_SOURCE = re.compile(
    r"^(?:in|on)\s+(?:a|an|the|its|their|his|her|our)\s+(?:[\w-]+\s+){0,3}"
    r"(?:blog post|blog|post|statement|announcement|interview|paper|report|filing|memo|email|"
    r"press release|video|podcast|letter|note|tweet|thread)\b[^,]{0,40},\s+",
    re.I,
)


def strip_setting(sentence: str) -> str:
    """Drop a leading time or source phrase when at least 6 words remain; re-capitalise."""
    for pattern in (_LEADING_SOURCE, _LEADING_TIME):
        stripped = pattern.sub("", sentence, count=1)
        if stripped != sentence and len(stripped.split()) >= 6:
            sentence = stripped[:1].upper() + stripped[1:]
    return sentence


def compress(sentence: str) -> str:
    """A bullet without the words a reader can skip: fillers, asides and "he said"."""
    text = strip_connective(_FILLER.sub("", sentence, count=1))
    text = _ASIDE.sub("", text)
    text = _ATTRIBUTION.sub(".", text)
    return text[:1].upper() + text[1:]


# Speech tags and trailing asides a Deep dive bullet (a compressed fact) does without.
# "X said on Monday that ..." goes up to "that"; a tag is never dropped when what follows
# starts with a preposition ("X said in a statement ..." is no sentence without "X said").
_LEADING_TAG = re.compile(
    r"^(?:[Aa]ccording to [^,]{2,60},\s+|(?:[A-Z][\w.’'-]*\s+){1,4}"
    r"(?:said|says|wrote|writes|notes|noted|explained|added|argues|argued)"
    r"(?:\s+(?:on|in|at|during|last|this|earlier)\s[^,;:\"“”]{1,40}?\s+that|\s+that)?,?\s+"
    r"(?!(?:on|in|at|during|last|this|earlier|to|for|with|by|from|after|before|about|over)\b))"
)
_TRAILING_TAG = re.compile(
    r",?\s+(?:he|she|they|the company|the team|the researchers|the authors|"
    r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,4})\s+"  # "Acme CEO Jane Roe said": all four go
    r"(?:said|says|added|wrote|writes|noted|notes|explained)(?:\s+in [^.,]{1,40})?(?=\.$)"
)
# ", according to X," between commas goes with both commas ("with, according to a study,
# modest losses" -> "with modest losses"); at the end, with its comma only, and with what
# describes X ("..., according to the survey, published on Sunday." -> "...").
_MIDDLE_SOURCE = re.compile(
    r",\s+according to [^,.]{2,60}"
    r"(?:,\s+(?:[a-z]+ed|[a-z]+ing|which|who|that)\b[^,.;]*(?=\.$)|,(?=\s)|(?=\.))"
)
# '"...," he said.' without its tag leaves '"...,".'
_QUOTE_THEN_STOP = re.compile(r",([\"”])\.$")
_TRAILING_RELATIVE = re.compile(r",\s+(?:which|who|whose|where)\s[^,;]{3,120}(?=\.$)")


def compress_more(sentence: str) -> str:
    """``compress`` plus speech tags anywhere and a trailing ", which ..." relative clause."""
    text = compress(sentence)
    for pattern in (_LEADING_TAG, _TRAILING_TAG, _MIDDLE_SOURCE, _TRAILING_RELATIVE):
        shorter = pattern.sub("", text).strip()
        # Never compress a fact away, and never leave "It ..." behind a dropped "X said".
        if len(shorter.split()) >= 6 and (dangles(text) or not dangles(shorter)):
            text = shorter
    text = _QUOTE_THEN_STOP.sub(r".\1", text)  # a quote's comma becomes its full stop
    return text[:1].upper() + text[1:]

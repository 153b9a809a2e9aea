"""Clear outcomes for articles no summariser should treat as usual (pure).

- no text: the headline stands in as the TL;DR, nothing else is invented;
- very long text (a book, a log dump): only the first ``MAX_WORDS`` words are summarised;
- not English (by the share of common English words): summarised extractively, which works
  on any language's sentences, but without the English glossary's Decoder.
"""

import re
from dataclasses import dataclass

MAX_WORDS = 20_000
_ENGLISH = frozenset(
    "the of and to a in is that for it on with as was are be by this from at or have an "
    "not but they which has their more will can been its were we his would".split()
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Prepared:
    text: str
    note: str | None  # said in the message's backend field, e.g. "first 20000 words"
    english: bool


def prepare(text: str) -> Prepared:
    words = text.split()
    note = None
    if len(words) > MAX_WORDS:
        text = _first_words(text, MAX_WORDS)
        note = f"first {MAX_WORDS} words"
    english = is_english(text)
    if not english:
        note = "; ".join(filter(None, [note, "not English: no glossary"]))
    return Prepared(text, note, english)


def is_english(text: str) -> bool:
    sample = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(sample) < 20:
        return True  # too little to tell; English is the digest's language
    return sum(w in _ENGLISH for w in sample) / len(sample) >= 0.12


def _first_words(text: str, count: int) -> str:
    kept, lines = 0, []
    for line in text.splitlines():
        n = len(line.split())
        if kept + n > count:
            lines.append(" ".join(line.split()[: count - kept]))
            break
        lines.append(line)
        kept += n
    return "\n".join(lines)

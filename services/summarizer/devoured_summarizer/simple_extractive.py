"""A simple extractive summariser (pure): picks the article's own sentences.

Backend name ``simple-extractive``. Sentences are scored by position, by how central their words
are to the article (word frequency) and by overlap with the title; the TL;DR is the best early
sentence, the Deep dive the next best sentences, and the Decoder the terms the article itself
defines ("Long Name (ABBR)", "X is a ..."). A stronger summariser replaces this one later.
"""

import re
from collections import Counter
from dataclasses import dataclass

BACKEND = "simple-extractive"
MAX_TLDR_WORDS = 35
_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
    "Prof.",
    "Inc.",
    "Ltd.",
    "Corp.",
    "Co.",
    "St.",
    "No.",
    "U.S.",
    "U.K.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]+")
_STOPWORDS = frozenset(
    "a an and are as at be been but by for from has have he her his i in is it its of on or "
    "our she that the their them they this to was we were which who will with you your not "
    "can also more than into about after over new said says one two".split()
)
_LEADING_CONNECTIVES = re.compile(
    r"^(but|and|so|also|however|meanwhile|still|yet|then|moreover|additionally),?\s+", re.I
)
_PAREN_ABBR = re.compile(r"((?:[\w-]+\s+){1,8})\(([A-Z][A-Za-z0-9]{1,9})\)")
_IS_A = re.compile(r"^([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}),?\s+(?:is|are)\s+(an?\s+[^.;]{10,160})")


@dataclass(frozen=True)
class Summary:
    tldr: str
    deep_dive: list[str]
    decoder: list[tuple[str, str]]
    backend: str = BACKEND


def summarize(text: str, title: str = "", *, max_bullets: int = 8) -> Summary:
    """Summarise ``text``; an article too short to summarise gets its own text as TL;DR."""
    sentences = split_sentences(text)
    if not sentences:
        return Summary(tldr=_trim(title or text.strip() or "(no text)"), deep_dive=[], decoder=[])
    scores = _scores(sentences, title)
    tldr_index = max(range(min(3, len(sentences))), key=lambda i: scores[i] + (3 - i) * 0.1)
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
    lede = _standalone(sentences[tldr_index])
    bullets = list(
        dict.fromkeys(
            sentences[i]
            for i in ranked
            if _standalone(sentences[i]) != lede and _bulletable(sentences[i])
        )
    )
    return Summary(
        tldr=_trim(lede),
        deep_dive=bullets[:max_bullets],
        decoder=find_terms(text),
    )


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; each line (paragraph, heading, list item) splits separately."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ").strip()
        if len(line.split()) < 4:
            continue
        protected = line
        for abbr in _ABBREVIATIONS:
            protected = protected.replace(abbr, abbr.replace(".", "\u2024"))
        for part in _SENTENCE_END.split(protected):
            part = part.replace("\u2024", ".").strip()
            if len(part.split()) >= 5 and part[-1:] in ".!?\"'”’)":
                sentences.append(part)
    return sentences


def _words(sentence: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(sentence) if w.lower() not in _STOPWORDS]


def _scores(sentences: list[str], title: str) -> list[float]:
    frequency = Counter(w for s in sentences for w in set(_words(s)))
    title_words = set(_words(title))
    scores = []
    for index, sentence in enumerate(sentences):
        words = _words(sentence) or ["_"]
        centrality = sum(frequency[w] for w in words) / len(words) / max(1, len(sentences)) ** 0.5
        overlap = len(title_words & set(words)) / max(1, len(title_words))
        numbers = 0.15 if re.search(r"\d", sentence) else 0.0
        position = 1.0 / (1 + index) ** 0.5
        scores.append(centrality + overlap + numbers + 0.6 * position)
    return scores


def _bulletable(sentence: str) -> bool:
    return 6 <= len(sentence.split()) <= 60


def _standalone(sentence: str) -> str:
    sentence = _LEADING_CONNECTIVES.sub("", sentence)
    return sentence[:1].upper() + sentence[1:]


def _trim(sentence: str) -> str:
    words = sentence.split()
    if len(words) <= MAX_TLDR_WORDS:
        return sentence
    cut = " ".join(words[:MAX_TLDR_WORDS]).rstrip(",;:")
    return cut + "…"


def find_terms(text: str, limit: int = 8) -> list[tuple[str, str]]:
    """Terms the article defines itself: ``Long Name (ABBR)`` and ``Term is a ...``."""
    terms: dict[str, str] = {}
    for long_form, abbr in _PAREN_ABBR.findall(text):
        long_form = _matching_long_form(long_form.strip(), abbr)
        if long_form and abbr not in terms:
            terms[abbr] = long_form
    for sentence in split_sentences(text):
        match = _IS_A.match(sentence)
        if match and match.group(1) not in terms and len(match.group(1)) > 2:
            terms[match.group(1)] = _capital(match.group(2).strip().rstrip(".,"))
    return list(terms.items())[:limit]


def _matching_long_form(candidate: str, abbr: str) -> str | None:
    """The shortest trailing run of words that starts with the abbreviation's first letter and
    contains its letters in order (the Schwartz-Hearst idea, simplified)."""
    words = candidate.split()
    letters = abbr.lower()
    for start in range(len(words) - 1, -1, -1):
        run = " ".join(words[start:])
        if run[0].lower() == letters[0] and _is_subsequence(letters, run.lower()):
            return run
    return None


def _is_subsequence(needle: str, haystack: str) -> bool:
    remaining = iter(haystack)
    return all(ch in remaining for ch in needle)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

"""Our shipped glossary of common technical terms (``glossary.txt``, one ``term: definition``
per line; ``alias | alias: definition`` lists spellings that share a definition).

Read once from the package data; matching is on stemmed word sequences, so "LLMs" finds "LLM",
within a phrase only (no match across a comma, a parenthesis or a sentence end: "a series, a
web server" holds no "Series A"), and an acronym keeps its last letter ("HTTPS" is not "HTTP").
"""

import functools
import re
from importlib import resources

from devoured_summarizer.extractive.text import stem

MAX_TERM_WORDS = 4


# ``glossary.txt`` was written without looking at the seed stories; ``glossary_seen.txt``
# holds the first entries, written after their author had seen the seed's titles: shipped,
# but left out (``seen=False``) when the seed's Decoder recall is reported.
FILES = ("glossary.txt",)
SEEN_FILES = ("glossary_seen.txt",)


@functools.cache
def glossary(seen: bool = True) -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Stemmed word sequence -> (entry name, spelling to display, definition)."""
    package = resources.files("devoured_summarizer.extractive")
    names = FILES + SEEN_FILES if seen else FILES
    return parse_glossary("\n".join(package.joinpath(n).read_text("utf-8") for n in names))


def parse_glossary(text: str) -> dict[tuple[str, ...], tuple[str, str, str]]:
    entries: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, _, definition = line.partition(": ")
        if not definition:
            raise ValueError(f"glossary: no definition on line {line!r}")
        aliases = [n.strip() for n in names.split("|")]
        for alias in aliases:
            # "LLM" and "LLMs" share a key: the first spelling is the one shown.
            entries.setdefault(key(alias), (aliases[0], alias, definition.strip()))
    return entries


# A word, or a mark that ends a phrase ("." only before a space: "Node.js" is one name).
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’+-]*|\d+(?:[.,]\d+)*%?|[,;:!?()\[\]{}\"“”]|\.(?=\s|$)")
BREAK = ""  # stands for a phrase-ending mark among the tokens; no glossary key contains it


def tokens(text: str) -> list[str]:
    """The text's words as it spells them, with ``BREAK`` where a phrase ends."""
    return [t.strip("'’-") if t[0].isalnum() else BREAK for t in _TOKEN.findall(text)]


@functools.lru_cache(maxsize=1 << 14)  # as ``text.stem``
def term_stem(word: str) -> str:
    """``stem`` for glossary matching: an acronym is not an inflected word.

    "HTTPS" and "AWS" stay whole; "LLMs" and "GPUs" are plurals of "LLM" and "GPU".
    """
    if len(word) >= 2 and word.isupper():
        return word.lower()
    if len(word) >= 3 and word.endswith("s") and word[:-1].isupper():
        return word[:-1].lower()
    return stem(word.lower())


def stems(words: list[str]) -> list[str]:
    """``term_stem`` of every token, ``BREAK`` kept."""
    return [term_stem(t) if t != BREAK else BREAK for t in words]


def key(phrase: str) -> tuple[str, ...]:
    return tuple(term_stem(t) for t in tokens(phrase) if t != BREAK)


@functools.cache
def aliases(seen: bool = True) -> dict[str, frozenset[tuple[str, ...]]]:
    """Entry name -> the keys of all its spellings ("VPN" -> {vpn, virtual private network})."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for spelling_key, (name, _, _) in glossary(seen).items():
        found.setdefault(name, set()).add(spelling_key)
    return {name: frozenset(keys) for name, keys in found.items()}


def find_in(text: str, *, seen: bool = True) -> dict[str, tuple[str, int]]:
    """``find_stems`` of a text's tokens."""
    return {t: (d, i) for t, (_, d, i) in find_stems(stems(tokens(text)), seen=seen).items()}


@functools.cache
def _first_words(seen: bool) -> frozenset[str]:
    return frozenset(key[0] for key in glossary(seen) if key)


def find_stems(stemmed: list[str], *, seen: bool = True) -> dict[str, tuple[str, str, int]]:
    """Glossary terms in a text given as ``stems(tokens(text))``, each under the spelling the
    text uses first: term -> (entry name, definition, first position); aliases of one entry
    count once."""
    entries = glossary(seen)
    starts = _first_words(seen)
    found: dict[str, tuple[str, str, int]] = {}
    entries_seen: set[str] = set()
    i = 0
    while i < len(stemmed):
        if stemmed[i] not in starts:  # most words begin no term: no lookups of their phrases
            i += 1
            continue
        for n in range(MAX_TERM_WORDS, 0, -1):
            entry = entries.get(tuple(stemmed[i : i + n]))
            if entry:
                if entry[0] not in entries_seen:
                    entries_seen.add(entry[0])
                    found[entry[1]] = (entry[0], entry[2], i)
                i += n - 1  # "vector database" is not also "database"
                break
        i += 1
    return found

"""Our shipped glossary of common technical terms (``glossary.txt``, one ``term: definition``
per line; ``alias | alias: definition`` lists spellings that share a definition).

Read once from the package data; matching is on stemmed word sequences, so "LLMs" finds "LLM".
"""

import functools
from importlib import resources

from devoured_summarizer.extractive.text import stem, words

MAX_TERM_WORDS = 4


@functools.cache
def glossary() -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Stemmed word sequence -> (entry name, spelling to display, definition)."""
    source = resources.files("devoured_summarizer.extractive").joinpath("glossary.txt")
    return parse_glossary(source.read_text(encoding="utf-8"))


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


def key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(phrase))


def find_in(text_words: list[str]) -> dict[str, tuple[str, int]]:
    """Glossary terms in a tokenised text, each under the spelling the text uses first:
    term -> (definition, first position); aliases of one entry count once."""
    entries = glossary()
    stems = [stem(w) for w in text_words]
    found: dict[str, tuple[str, int]] = {}
    entries_seen: set[str] = set()
    i = 0
    while i < len(stems):
        for n in range(MAX_TERM_WORDS, 0, -1):
            entry = entries.get(tuple(stems[i : i + n]))
            if entry:
                if entry[0] not in entries_seen:
                    entries_seen.add(entry[0])
                    found[entry[1]] = (entry[2], i)
                i += n - 1  # "vector database" is not also "database"
                break
        i += 1
    return found

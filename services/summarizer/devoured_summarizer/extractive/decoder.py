"""The Decoder: 2-12 jargon terms a smart non-specialist may not know, with a definition each.

Candidates are acronyms, CamelCase and capitalised multi-word names, product and protocol
names, hyphenated technical compounds and our glossary's terms. Definitions come from the
article first, then the glossary; a repeated name with neither gets the clause that first
mentions it, marked "As the article puts it:", and ranks last. A glossary phrase that is the
long form the article gives an abbreviation ("virtual private network (VPN)") is no second
entry: its definition follows that long form under the abbreviation. Terms are ranked by how
much a reader needs them: defined by the article, in the glossary as a phrase or acronym
(everyday single words such as "training" rank lower), how often and how early they appear,
and whether the title uses them. Short or plain articles get fewer than 2 terms rather than filler.
"""

import math
import re

from devoured_summarizer.extractive.definitions import abbreviation_pairs, stated_definitions
from devoured_summarizer.extractive.glossary import find_in, key
from devoured_summarizer.extractive.glossary import tokens as glossary_tokens
from devoured_summarizer.extractive.segment import split_sentences

MAX_TERMS = 12
DEFINED_BASE, GLOSSARY_BASE, GENERIC_BASE, NAMED_BASE = 3.0, 1.8, 0.6, 0.2
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")
# Hyphenated technical compounds ("closed-loop", "non-destructive") and capitalised phrases
# inside a sentence ("Async Checkpointing"): the multi-word jargon a digest decodes.
_COMPOUND = re.compile(r"\b[A-Za-z][a-z0-9]{2,}(?:-[A-Za-z0-9]{2,}){1,2}\b")
_CAPITALISED_PHRASE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")
_COMMON_COMPOUND_HEADS = frozenset(
    "long short high low well so self year day week month one two three four five six top end "
    "real full half first second third last next all non-english".split()
)
MIN_MENTIONS = {"acronym": 2, "compound": 1, "phrase": 1}
# Names everyone knows, or words capitalised for emphasis: no Decoder entry.
_WELL_KNOWN = frozenset(
    """ai us uk eu usa ceo cto cfo tv pc pdf faq ok id pm am q1 q2 q3 q4 it google apple
    microsoft amazon meta facebook openai anthropic nvidia intel amd tesla netflix twitter x
    youtube github linkedin samsung ibm oracle uber""".split()
)


def find_terms(
    text: str, title: str = "", limit: int = MAX_TERMS, *, use_glossary: bool = True
) -> list[tuple[str, str]]:
    """(term, definition) pairs, most needed first; ``use_glossary=False`` for text that is
    not English, where our English glossary would match by accident."""
    sentences = [s.text for s in split_sentences(text)]
    abbreviations = abbreviation_pairs(text)
    defined = {**stated_definitions(sentences), **abbreviations}
    tokens = glossary_tokens(text)
    counts = _mentions(text)
    title_lower = title.lower()
    candidates: dict[str, tuple[float, str]] = {}
    for term, definition in defined.items():
        candidates[term] = (DEFINED_BASE + _needs(term, counts, text, title_lower), definition)
    long_forms = {_phrase(long): short for short, long in abbreviations.items()}
    for term, (definition, position) in (find_in(text) if use_glossary else {}).items():
        if _covered(term, candidates):
            continue
        # A long form the article gives an abbreviation: hyphens and plurals aside.
        short = long_forms.get(_phrase(term))
        if short:
            score, long_form = candidates[short]
            candidates[short] = (score, f"{long_form[:1].upper()}{long_form[1:]}: {definition}")
            continue
        early = 1 - position / max(1, len(tokens))
        # A lower-case single word ("training", "token") is often meant in its everyday
        # sense or another field's: it ranks below names, acronyms and phrases.
        generic = " " not in term and term.islower()
        base = GENERIC_BASE if generic else GLOSSARY_BASE
        candidates[term] = (base + early + _needs(term, counts, text, title_lower), definition)
    for term, context in _named(sentences, counts).items():
        if not _covered(term, candidates):
            candidates[term] = (NAMED_BASE + _needs(term, counts, text, title_lower), context)
    ranked = sorted(
        ((score, term, d) for term, (score, d) in candidates.items() if _worth(term)),
        key=lambda x: (-x[0], x[1]),
    )
    return [(term, definition) for _, term, definition in ranked[:limit]]


def _named(sentences: list[str], counts: dict[str, int]) -> dict[str, str]:
    """Acronyms and product names the article repeats but never defines, with the clause
    that first mentions them as context (better than nothing for a reader)."""
    named: dict[str, str] = {}
    for term, n in counts.items():
        if n < MIN_MENTIONS.get(_kind(term), 2) or term.lower() in _WELL_KNOWN:
            continue
        first = next((s for s in sentences if term in s), None)
        if first:
            named[term] = "As the article puts it: " + _clause(first, term)
    return named


def _clause(sentence: str, term: str) -> str:
    words = sentence.split()
    at = next((i for i, w in enumerate(words) if term in w), 0)
    start = max(0, at - 8)
    return (
        ("… " if start else "")
        + " ".join(words[start : start + 22]).rstrip(",;:")
        + ("…" if start + 22 < len(words) else "")
    )


def _needs(term: str, counts: dict[str, int], text: str, title: str) -> float:
    mentions = counts.get(term, 0) or text.lower().count(term.lower())
    acronym = 0.5 if _ACRONYM.fullmatch(term) else 0.0
    in_title = 0.5 if term.lower() in title else 0.0
    return 0.4 * math.log1p(mentions) + acronym + in_title


def _mentions(text: str) -> dict[str, int]:
    """How often each acronym, CamelCase name and technical compound appears."""
    counts: dict[str, int] = {}
    for pattern in (_ACRONYM, _COMPOUND, _CAPITALISED_PHRASE):
        for match in pattern.finditer(text):
            term = match.group().strip()
            if term.split("-")[0].lower() not in _COMMON_COMPOUND_HEADS:
                counts[term] = counts.get(term, 0) + 1
    return counts


def _kind(term: str) -> str:
    if _ACRONYM.fullmatch(term):
        return "acronym"
    return "compound" if "-" in term else "phrase"


def _covered(term: str, chosen: dict[str, tuple[float, str]]) -> bool:
    low = term.lower()
    return any(low == c.lower() or low.rstrip("s") == c.lower().rstrip("s") for c in chosen)


def _phrase(term: str) -> tuple[str, ...]:
    return key(term.replace("-", " "))


def _worth(term: str) -> bool:
    return term.lower() not in _WELL_KNOWN and len(term) >= 2

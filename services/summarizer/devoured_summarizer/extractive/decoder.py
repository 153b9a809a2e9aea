"""The Decoder: the jargon a smart non-specialist would not know, with a one-line definition.

Candidates are the article's own definitions (``X is a ...``, ``X, a ...,``, ``long form
(SF)``) and our glossary's terms. Every entry must say what the term means *in this article*:

- a glossary entry is used only when its sense fits the article: enough of its definition's
  words occur in the article (the electricity "grid" stays out of a CSS story; a technical
  article, where several entries fit strictly, gets a looser check), and when the
  article spells out an abbreviation, only an entry for that long form (CNN the news channel
  is not CNN the neural network);
- an abbreviation the article spells out gets the long form followed by a definition, the
  article's own or a fitting glossary entry's; a bare expansion ("KV: key-value") only when
  nothing defines it, and it ranks below every defined term;
- a name the article never defines is left out (no quote of the article stands in for a
  definition), and so are words most readers know (CPU, JavaScript, API).

Terms are ranked by how much a reader needs them: defined by the article, in the glossary as a
phrase or acronym (everyday single words such as "training" rank lower), how often and how
early they appear, and whether the title uses them. The caller says how many to keep
(``compose.term_count``: more for longer articles); a plain article gets fewer rather than
filler.
"""

import math
import re

from devoured_summarizer.extractive.definitions import abbreviation_pairs, stated_definitions
from devoured_summarizer.extractive.glossary import BREAK, aliases, find_stems, key, stems, tokens
from devoured_summarizer.extractive.segment import split_sentences
from devoured_summarizer.extractive.text import STOPWORDS, content_words

MAX_TERMS = 12
# A single word's or an acronym's glossary sense must share ``SENSE_CLUES`` words with the
# article, one of them within ``CONTEXT`` words either side of its first mention; chosen by
# leave-one-out on the seed (``bench.summary.tune``, ``compose.Tuning.sense_*``).
SENSE_CLUES = 1
CONTEXT = 150
# Outside a technical article (fewer than ``TECHNICAL`` entries fit strictly) the strict check
# holds: two definition words, one within 50 words of the first mention. On real news pages a
# looser check let "training" into a story about teenage mothers and "weights" into one about
# blueberries.
STRICT_SENSE = (2, 50)
TECHNICAL = 3
DEFINED_BASE, GLOSSARY_BASE, GENERIC_BASE, BARE_BASE = 3.0, 1.8, 0.6, 0.0
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*\b")
# Names everyone knows, and tech words a reader of a tech digest knows without help: no
# Decoder entry. Written from general knowledge (not from any reference Decoder).
_WELL_KNOWN = frozenset(
    """ai us uk eu un usa ceo cto cfo coo tv pc pdf faq ok id pm am q1 q2 q3 q4 it google apple
    microsoft amazon meta facebook openai anthropic nvidia intel amd tesla netflix twitter x
    youtube github linkedin samsung ibm oracle uber api apis cpu cpus gpu gpus ram usb wi-fi
    wifi bluetooth javascript python java html url urls http https www email e-mail app apps
    smartphone smartphones laptop laptops software hardware internet website websites browser
    browsers chatbot chatbots startup startups ios android iphone ipad windows linux macos
    chrome firefox safari gps sms ssd ssds led leds lcd 3d 4k 5g 4g vr ar pr hr faqs it's
    online offline download downloads upload uploads password passwords username emails
    smartwatch tablet tablets social media algorithm algorithms server servers data database
    databases code coding programmer programmers developer developers cloud nasa fbi cia
    gdp ipo co2 dna""".split()
)
# Words a definition uses whatever its subject: they say nothing about the sense.
_VAGUE = frozenset(
    """way thing make often instead example kind type rather part able lot usual usually
    common term word something someone people time first work other another such main mostly
    allow let help run take give show set call known similar different specific own large
    small big new old version based""".split()
)


def find_terms(
    text: str,
    title: str = "",
    limit: int = MAX_TERMS,
    *,
    sentences: list[str] | None = None,
    use_glossary: bool = True,
    seen_glossary: bool = True,
    bare_expansions: bool = True,
    sense: tuple[int, int] = (SENSE_CLUES, CONTEXT),
) -> list[tuple[str, str]]:
    """(term, definition) pairs, most needed first. ``sentences`` are the article's (segmented
    once by the caller); ``use_glossary=False`` for text that is not English, where our
    English glossary would match by accident; ``seen_glossary=False`` leaves out the entries
    written after seeing the seed (for the seed's recall figure); ``bare_expansions=False``
    leaves out an abbreviation nothing defines (on the seed: recall 0.334 -> 0.298,
    precision 0.480 -> 0.442; the digest decodes such abbreviations). ``sense``: how many of
    a single word's or an acronym's definition words the article must use, and within how
    many words of its first mention one of them must be (see ``_fits``)."""
    if sentences is None:
        sentences = [s.text for s in split_sentences(text)]
    words = tokens(text)
    stemmed = stems(words)
    vocabulary = {s for s in stemmed if s != BREAK and s not in STOPWORDS}
    counts = _mentions(words)
    title_lower = title.lower()
    stated = stated_definitions(sentences)
    abbreviations = abbreviation_pairs(text)
    found = find_stems(stemmed, seen=seen_glossary) if use_glossary else {}
    # Glossary hits that fit the article's sense, by entry name: (spelling, definition, at).
    # The strict check first; only in a technical article (``TECHNICAL`` entries pass it) may
    # the others pass the looser ``sense``: there a word's technical sense is the likely one.
    checks = [
        (name, spelling, definition, at) for spelling, (name, definition, at) in found.items()
    ]

    def fit(sense: tuple[int, int]) -> dict[str, tuple[str, str, int]]:
        return {
            name: (spelling, definition, at)
            for name, spelling, definition, at in checks
            if _fits(
                spelling,
                name,
                definition,
                vocabulary,
                abbreviations,
                seen_glossary,
                stemmed,
                at,
                sense,
            )
        }

    fitting = fit(STRICT_SENSE)
    if len(fitting) >= TECHNICAL and sense != STRICT_SENSE:
        fitting = fit(sense)
    candidates: dict[str, tuple[float, str]] = {}
    shown: dict[str, str] = {}  # how a term is displayed, when not as its key

    def need(term: str) -> float:
        return _needs(term, counts, text, title_lower)

    for term, definition in stated.items():
        candidates[term] = (DEFINED_BASE + need(term), definition)
    used_entries: set[str] = set()
    spellings = aliases(seen_glossary)
    for short, long_form in abbreviations.items():
        entry = next(
            (
                name
                for name in fitting
                if _spelled(long_form, spellings[name]) or key(short) in spellings[name]
            ),
            None,
        )
        own = stated.get(short) or stated.get(long_form)
        label = long_form[:1].upper() + long_form[1:]
        if own or entry:
            # Shown the digest's way: "KVC (key-value cache)", then what it is.
            if entry:
                used_entries.add(entry)
            candidates.pop(long_form, None)
            shown[short] = f"{short} ({long_form})"
            definition = own or fitting[entry or ""][1]
            candidates[short] = (DEFINED_BASE + need(short), definition)
        elif bare_expansions and len(long_form.split()) >= 2:  # the letters, ranked last
            candidates[short] = (BARE_BASE + need(short), label)
    for name, (spelling, definition, at) in fitting.items():
        if name in used_entries or _covered(spelling, candidates):
            continue
        early = 1 - at / max(1, len(words))
        # A lower-case single word ("training", "token") is often meant in its everyday
        # sense or another field's: it ranks below names, acronyms and phrases.
        generic = " " not in spelling and spelling.islower()
        base = GENERIC_BASE if generic else GLOSSARY_BASE
        candidates[spelling] = (base + early + need(spelling), definition)
    ranked = sorted(
        ((score, term, d) for term, (score, d) in candidates.items() if _worth(term)),
        key=lambda x: (-x[0], x[1]),
    )
    return [(shown.get(term, term), definition) for _, term, definition in ranked[:limit]]


def _fits(
    spelling: str,
    name: str,
    definition: str,
    vocabulary: set[str],
    abbreviations: dict[str, str],
    seen_glossary: bool,
    stemmed: list[str],
    at: int,
    sense: tuple[int, int] = (SENSE_CLUES, CONTEXT),
) -> bool:
    """Whether a glossary entry's sense is the article's.

    An abbreviation the article spells out must be spelled out the same way in the entry.
    Otherwise the entry's definition must share words with the article beyond the term
    itself: one for a phrase; ``sense[0]`` for an acronym or a single word (they have many
    senses), one of them within ``sense[1]`` words of the term's first mention (``at`` in
    ``stemmed``).
    """
    spellings = aliases(seen_glossary)[name]
    long_form = abbreviations.get(spelling)
    if long_form is not None:
        return _spelled(long_form, spellings)
    if any(_spelled(f, spellings) for f in abbreviations.values()):
        return True  # the article spells the entry's abbreviation out: the same sense
    own = {w for k in spellings for w in k}
    clues = {w for w in content_words(definition) if w not in _VAGUE} - own
    if " " in spelling.strip():
        return bool(clues & vocabulary)
    # A single word has many senses: its first mention's neighbourhood must share a word with
    # the definition too ("grid" next to "columns" and "layout" is no electricity network).
    clues_needed, context = sense
    near = set(stemmed[max(0, at - context) : at + context])
    return len(clues & vocabulary) >= clues_needed and bool(clues & near)


def _spelled(phrase: str, spellings: frozenset[tuple[str, ...]]) -> bool:
    """Whether a glossary entry has this spelling, hyphens or not ("key-value cache")."""
    return key(phrase) in spellings or key(phrase.replace("-", " ")) in spellings


def _needs(term: str, counts: dict[str, int], text: str, title: str) -> float:
    mentions = counts.get(term.lower(), 0) or text.lower().count(term.lower())
    acronym = 0.5 if _ACRONYM.fullmatch(term) else 0.0
    in_title = 0.5 if term.lower() in title else 0.0
    return 0.4 * math.log1p(mentions) + acronym + in_title


def _mentions(words: list[str]) -> dict[str, int]:
    """How often each word appears (lower-cased), from the tokens the glossary read."""
    counts: dict[str, int] = {}
    for word in words:
        if word != BREAK:
            low = word.lower()
            counts[low] = counts.get(low, 0) + 1
    return counts


def _covered(term: str, chosen: dict[str, tuple[float, str]]) -> bool:
    low = term.lower()
    return any(low == c.lower() or low.rstrip("s") == c.lower().rstrip("s") for c in chosen)


def _worth(term: str) -> bool:
    low = term.lower()
    return low not in _WELL_KNOWN and low.rstrip("s") not in _WELL_KNOWN and len(term) >= 2

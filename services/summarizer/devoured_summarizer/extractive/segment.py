"""Sentence segmentation that survives abbreviations, decimals, quotes and list items.

Extracted article text has one paragraph, heading or ``- `` list item per line. Each line is
split on its own, so a heading never glues onto the next paragraph. A list item is a sentence
even without a closing stop (the digest's bullets rarely have one); a short line without one
is a heading and is dropped.
"""

import re
from dataclasses import dataclass

# Words that end in a full stop without ending the sentence; matched case-insensitively on
# the token before the stop.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al approx mr ms mrs dr prof sr jr st no inc ltd corp co dept est fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k "
    "u.n e.u a.m p.m ph.d gov gen sen rep rev lt col capt sgt ft mt vol ed eds op".split()
)
# A candidate boundary: terminal punctuation, optional closing quote or bracket, whitespace,
# then something that can start a sentence.
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LIST_MARKER = re.compile(r"^(?:[-*•–]\s+|\d{1,2}[.)]\s+)")
_TERMINAL = (".", "!", "?", '"', "'", "”", "’", ")", "…", ":")
MIN_WORDS = 5


@dataclass(frozen=True)
class Sentence:
    """One sentence with where it came from."""

    text: str
    index: int  # position among the article's sentences
    paragraph: int  # index of its line among the article's non-empty lines
    list_item: bool


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences in reading order."""
    sentences: list[Sentence] = []
    paragraph = -1
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        paragraph += 1
        list_item = bool(_LIST_MARKER.match(line))
        line = _LIST_MARKER.sub("", line).strip()
        for part in split_line(line):
            if _keep(part, list_item):
                sentences.append(Sentence(part, len(sentences), paragraph, list_item))
    return sentences


def split_line(line: str) -> list[str]:
    """Split one line at sentence boundaries that are not abbreviations or initials."""
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end(1)
        if _is_abbreviation(line[start:end]):
            continue
        parts.append(line[start:end].strip())
        start = match.end()
    tail = line[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def _is_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    last = chunk.rstrip(".").rsplit(maxsplit=1)[-1] if chunk.strip(". ") else ""
    token = last.lstrip("(\"'“‘").lower()
    if token in _ABBREVIATIONS:
        return True
    # Initials ("J. R. Smith", "U.S.") and single letters.
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", token))


def _keep(part: str, list_item: bool) -> bool:
    words = len(part.split())
    if words < MIN_WORDS:
        return False
    return list_item or part.endswith(_TERMINAL)


# Where one sentence holds two facts: a semicolon joins two clauses. A dash is looser: a pair
# of dashes encloses an aside ("The plant — a first for the region — opens in May"), which goes;
# after a single dash comes either a new clause ("... in May — The council expects ...") or an
# explanation that cannot stand alone ("... passed — all four of them"). A part must still be
# a full clause (``MIN_CLAUSE_WORDS``), so short asides stay in place.
_SEMICOLON = re.compile(r";\s+")
_DASH = re.compile(r"\s[—–]\s|—")
_DASH_ASIDE = re.compile(r"\s[—–]\s[^—–]{1,120}?\s[—–]\s|—[^—]{1,120}?—")
MIN_CLAUSE_WORDS = 6


def split_clauses(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences as Deep dive candidates: two-fact sentences split, dash asides dropped.

    A Deep dive bullet is one fact; splitting lets the bullet carry the fact without its
    neighbour. A sentence "A — b" gives "A" and the whole sentence (the part after the dash
    alone would be a fragment); "A — B" with B a clause of its own gives "A" and "B".
    Re-indexed in order.
    """
    out: list[Sentence] = []

    def emit(part: str, sentence: Sentence) -> None:
        text = part.strip()
        text = text[:1].upper() + text[1:]
        if not text.endswith(_TERMINAL):
            text += "."
        out.append(Sentence(text, len(out), sentence.paragraph, sentence.list_item))

    for sentence in sentences:
        text = _DASH_ASIDE.sub(" ", sentence.text)
        clauses = [c.strip() for c in _SEMICOLON.split(text) if c.strip()]
        if any(len(c.split()) < MIN_CLAUSE_WORDS for c in clauses):
            clauses = [text]
        for clause in clauses:
            parts = [p.strip() for p in _DASH.split(clause) if p.strip()]
            if len(parts) != 2 or len(parts[0].split()) < MIN_CLAUSE_WORDS:
                emit(clause, sentence)
                continue
            head, after = parts
            emit(head, sentence)
            if after[:1].isupper() and len(after.split()) >= MIN_CLAUSE_WORDS:
                emit(after, sentence)
            else:
                emit(clause, sentence)
    return out

"""Definitions the article gives itself.

- abbreviation pairs, the Schwartz-Hearst way: ``long form (SF)`` and ``SF (long form)``, where
  the long form is the shortest run of words ending before the bracket whose letters contain
  the short form's letters in order, the first letter matching a word start;
- copular definitions: ``X is a/an ...``, ``X refers to ...``, ``X, a/an ..., ...``
  (appositive) and ``X (a/an ...)``.
"""

import re

_PAREN = re.compile(r"\(([^()]{1,120})\)")
_SHORT_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9&/.+-]{0,9}$")
_TERM = r"([A-Z][\w.+/-]*(?:[\s-][A-Za-z0-9][\w.+/-]*){0,3})"
# Inside a sentence only a name counts: every word capitalised ("Triton", "Model Garden").
_NAME = r"([A-Z][\w.+/-]*(?:[\s-][A-Z0-9][\w.+/-]*){0,3})"
_COPULA = re.compile(
    r"^" + _TERM + r",?\s+(?:is|are|refers to|means|describes)\s+((?:an?|the)\s+[^.;:!?]{8,})"
)
MAX_DEFINITION_CHARS = 160
_APPOSITIVE = re.compile(_NAME + r",\s+((?:an?|the)\s+[^,.;:()]{8,120}?),")
_PAREN_GLOSS = re.compile(_NAME + r"\s+\(((?:an?|the)\s+[^()]{8,120})\)")
_GENERIC_HEADS = frozenset("company firm team people person report year week day way thing".split())
# Words that open adverbial phrases ("For example, a ...", "Currently, the ..."), never terms.
_NOT_TERM_START = frozenset(
    """for to by in on at as with from after before during since until when while if
    however currently previously regarding meanwhile also but and so yet still then now
    today here there this that these those it its they we you he she our their his her
    what which who why how one some many most each every all such another other first
    last next unlike like despite although though because instead according""".split()
)


def abbreviation_pairs(text: str) -> dict[str, str]:
    """Short form -> long form, for every ``long (SHORT)`` or ``SHORT (long)`` in the text."""
    pairs: dict[str, str] = {}
    for match in _PAREN.finditer(text):
        # The words just before the bracket, within its line and after any earlier bracket.
        before = re.split(r"[()\n]", text[max(0, match.start() - 200) : match.start()])[-1]
        inside = match.group(1).strip()
        words_before = before.split()
        if _is_short_form(inside) and words_before:
            long_form = best_long_form(
                inside, words_before[-min(len(words_before), 2 * len(inside) + 3) :]
            )
            if long_form:
                pairs.setdefault(inside, long_form)
        elif words_before and _is_short_form(words_before[-1]) and len(inside.split()) >= 2:
            short = words_before[-1]
            long_form = best_long_form(short, inside.split())
            if long_form and inside.lower().startswith(long_form.lower()):
                pairs.setdefault(short, long_form)
    return pairs


def _is_short_form(candidate: str) -> bool:
    return (
        bool(_SHORT_FORM.match(candidate))
        and sum(c.isupper() for c in candidate) >= 2
        and not candidate.isdigit()
    )


def best_long_form(short: str, words: list[str]) -> str | None:
    """The shortest run of trailing ``words`` that spells ``short`` (Schwartz-Hearst)."""
    letters = [c.lower() for c in short if c.isalnum()]
    for start in range(len(words) - 1, -1, -1):
        run = words[start:]
        if len(run) > len(letters) + 4:
            return None
        phrase = " ".join(run)
        if run[0][:1].lower() == letters[0] and _spells(letters, phrase.lower()):
            return phrase.strip(" ,;:\"'“”")
    return None


def _spells(letters: list[str], phrase: str) -> bool:
    remaining = iter(phrase)
    return all(ch in remaining for ch in letters)


def stated_definitions(sentences: list[str]) -> dict[str, str]:
    """Term -> definition from copular sentences, appositives and glosses in brackets."""
    found: dict[str, str] = {}
    for sentence in sentences:
        for pattern in (_COPULA, _APPOSITIVE, _PAREN_GLOSS):
            for term, definition in pattern.findall(sentence):
                term = re.sub(r"^(?:One|An?|The)\s+", "", term.strip())
                head = definition.split()[-1].lower() if definition.split() else ""
                if not plausible_term(term):
                    continue
                if head in _GENERIC_HEADS and len(definition.split()) < 4:
                    continue
                found.setdefault(term, _sentence_case(_shorten(definition.strip())))
    return found


def _shorten(definition: str) -> str:
    """At most ``MAX_DEFINITION_CHARS``: cut at the last clause that fits, else at a word."""
    if len(definition) <= MAX_DEFINITION_CHARS:
        return definition
    head = definition[: MAX_DEFINITION_CHARS + 1]
    clause = head.rfind(", ")
    if clause >= MAX_DEFINITION_CHARS // 3:
        return head[:clause]
    return head[: head.rfind(" ")].rstrip(" ,;") + "…"


def _sentence_case(text: str) -> str:
    text = re.sub(r"^(?:an?|the)\s+", "", text, flags=re.I).rstrip(" ,.")
    return text[:1].upper() + text[1:]


def plausible_term(term: str) -> bool:
    """A name or technical term, not a sentence opener such as "For example" or "Currently"."""
    words = term.split()
    if len(term) < 2 or words[0].lower() in _NOT_TERM_START or words[0].lower().endswith("ly"):
        return False
    lower_words = sum(1 for w in words[1:] if w[:1].islower())
    return lower_words <= 1 and not any(w.lower() in {"calls", "said", "says"} for w in words)

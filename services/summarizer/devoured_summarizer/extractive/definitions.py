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
# "X is the main cost" ranks X among others, it does not say what X is.
_RANKING = (
    r"(?:main|biggest|largest|best|first|second|third|last|most|only|latest|newest|top|key|"
    r"same|next|leading|\w+est)\b"
)
# A definition runs to the end of its clause; "1,000" and "3.5" are no clause ends.
_IN_NUMBER = r"(?<=\d)[.,](?=\d)"
_COPULA = re.compile(
    r"^"
    + _TERM
    # "X is a ...", "X is the <noun> of/that ..." (not "the main ..."), "X refers to ..."
    + r",?\s+(?:(?:is|are)\s+(?=an?\s|the\s+(?!"
    + _RANKING
    + r")\S+\s+(?:of|that|which|where|in which|used|for)\s)|(?:refers to|means|describes)\s+)"
    + r"((?:an?|the)\s+(?:[^.;:!?]|"
    + _IN_NUMBER
    + r"){8,})"
)
MAX_DEFINITION_CHARS = 160
_APPOSITIVE = re.compile(
    _NAME + r",\s+((?:an?|the)\s+(?:[^,.;:()]|" + _IN_NUMBER + r"){8,120}?),(?!\d)"
)
_PAREN_GLOSS = re.compile(_NAME + r"\s+\(((?:an?|the)\s+[^()]{8,120})\)")
# "X, which is a ...," and "X, which are ..."
_WHICH_IS = re.compile(
    _NAME
    + r",\s+which\s+(?:is|are)\s+((?:an?|the)\s+(?:[^,.;:()]|"
    + _IN_NUMBER
    + r"){8,120}?)[,.]"
)
# "a technique called X, which ..." / "a method known as X that ...": the kind plus the clause.
_CALLED = re.compile(
    r"\b(?:an?|the)\s+((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)\s+(?:called|known as|dubbed|named)\s+"
    r"[\"“]?([A-Za-z][\w.+/-]*(?:[\s-][A-Za-z0-9][\w.+/-]*){0,2}?)[\"”]?,?\s+"
    r"(that|which|where|in which|to)\s+((?:[^.;:!?]|" + _IN_NUMBER + r"){8,140})"
)
_GENERIC_HEADS = frozenset("company firm team people person report year week day way thing".split())
# Words that open adverbial phrases ("For example, a ...", "Currently, the ..."), never terms.
_NOT_TERM_START = frozenset(
    """for to by in on at as with from after before during since until when while if
    however currently previously regarding meanwhile also but and so yet still then now
    today here there this that these those it its they we you he she our their his her
    what which who why how one some many most each every all such another other first
    last next unlike like despite although though because instead according moreover
    furthermore additionally nevertheless nonetheless thus therefore hence indeed besides
    meanwhile otherwise""".split()
)


# "HNSW, short for hierarchical navigable small world," / "EEVDF (short for ...)" /
# "BYOVD, or bring your own vulnerable driver," (the long form must spell the letters)
_SHORT_FOR = re.compile(
    r"\b([A-Z][A-Za-z0-9]{1,9})(?:,?\s+\(?(?:short for|which stands for|standing for)|,\s+or)\s+"
    r"([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){1,7})"
)


def abbreviation_pairs(text: str) -> dict[str, str]:
    """Short form -> long form, for every ``long (SHORT)``, ``SHORT (long)``, ``SHORT,
    short for long`` or ``SHORT, or long`` in the text."""
    pairs: dict[str, str] = {}
    for short, words in _SHORT_FOR.findall(text):
        if _is_short_form(short):
            run = words.split()
            letters = [c.lower() for c in short if c.isalnum()]
            # The shortest run from the first word that spells the letters and ends on a word
            # starting with the last one ("... small world" for HNSW).
            long_form = next(
                (
                    " ".join(run[:n])
                    for n in range(1, len(run) + 1)
                    if run[0][:1].lower() == letters[0]
                    and run[n - 1][:1].lower() == letters[-1]
                    and _spells(letters, " ".join(run[:n]).lower())
                ),
                None,
            )
            if long_form:
                pairs.setdefault(short, long_form)
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
        for pattern in (_COPULA, _APPOSITIVE, _PAREN_GLOSS, _WHICH_IS):
            for term, definition in pattern.findall(sentence):
                term = re.sub(r"^(?:One|An?|The)\s+", "", term.strip())
                head = definition.split()[-1].lower() if definition.split() else ""
                if not plausible_term(term):
                    continue
                if head in _GENERIC_HEADS and len(definition.split()) < 4:
                    continue
                if names_a_person(definition) or _starts_with_name(definition):
                    continue  # "X, a former police officer," / "Japan, the United States, ..."
                short = _shorten(definition.strip())
                if short:
                    found.setdefault(term, _sentence_case(short))
        for kind, term, link, rest in _CALLED.findall(sentence):
            link = {"which": "that", "where": "in which"}.get(link, link)
            short = _shorten(f"{kind} {link} {rest.strip()}")
            if short and plausible_term(term[:1].upper() + term[1:]) and len(term) >= 3:
                found.setdefault(term, _sentence_case(short))
    return found


# A person's role: "X, a former police detective," tells who X is, not what a term means.
# Written from general knowledge of job titles.
_PERSON_ROLES = frozenset(
    """reporter officer director teacher detective president minister spokesman spokeswoman
    spokesperson chief executive founder co-founder cofounder analyst professor runner player
    singer actor actress author writer editor lawyer attorney judge senator governor mayor
    ambassador coach member student manager leader secretary chairman chairwoman chair
    researcher scientist economist champion superintendent investor partner head son daughter
    wife husband mother father brother sister friend resident prosecutor candidate
    journalist columnist commentator correspondent artist musician rapper star politician
    lawmaker congressman congresswoman representative deputy commissioner official""".split()
)


def names_a_person(definition: str) -> bool:
    """Whether the definition describes a person by their role ("former police detective")."""
    words = [w.strip(",.;:'’").lower() for w in definition.split()[:7]]
    return any(w in _PERSON_ROLES or w.rstrip("s") in _PERSON_ROLES for w in words)


def _starts_with_name(definition: str) -> bool:
    """ "the United States, ..." is a list of names, not a definition."""
    words = definition.split()
    return len(words) > 1 and words[0].lower() in {"a", "an", "the"} and words[1][:1].isupper()


def _shorten(definition: str) -> str | None:
    """At most ``MAX_DEFINITION_CHARS``, cut at the last clause that fits; None when only a
    cut inside a clause would do (a half definition is worse than none)."""
    definition = " ".join(definition.split())  # one line
    if len(definition) <= MAX_DEFINITION_CHARS:
        return definition
    head = definition[: MAX_DEFINITION_CHARS + 1]
    clause = head.rfind(", ")
    if clause >= MAX_DEFINITION_CHARS // 3:
        return re.sub(r"\s+(?:and|or|but|which|that|with)$", "", head[:clause])
    return None


def _sentence_case(text: str) -> str:
    text = re.sub(r"^(?:an?|the)\s+", "", text, flags=re.I).rstrip(" ,.")
    return text[:1].upper() + text[1:]


def plausible_term(term: str) -> bool:
    """A name or technical term, not a sentence opener such as "For example" or "Currently"."""
    words = term.split()
    if len(term) < 2 or words[0].lower() in _NOT_TERM_START or words[0].lower().endswith("ly"):
        return False
    lower_words = sum(1 for w in words[1:] if w[:1].islower())
    # "Path here is ..." or "Users there are ...": a pointer word is no part of a name.
    pointers = {"here", "there", "this", "that", "these", "those", "it", "now", "then"}
    return (
        lower_words <= 1
        and not any(w.lower() in {"calls", "said", "says"} for w in words)
        and not any(w.lower() in pointers for w in words[1:])
    )

"""The extractive summary: TL;DR, Deep dive and Decoder from the article's own sentences."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from devoured_summarizer.extractive.coverage import cover, cover_pairs
from devoured_summarizer.extractive.decoder import CONTEXT, SENSE_CLUES, find_terms
from devoured_summarizer.extractive.pairs import PAIR_MODEL, Pair, PairModel, pair_likelihoods
from devoured_summarizer.extractive.scoring import Scored, Weights, score_sentences
from devoured_summarizer.extractive.segment import split_clauses, split_sentences
from devoured_summarizer.extractive.shape import (
    BULLET_FIT,
    MAX_TERMS,
    TERM_FIT,
    bullet_count,
    headline_clause,
    is_byline,
    is_fragment,
    is_teaser,
    names_in,
    term_count,
)
from devoured_summarizer.extractive.standalone import (
    MAX_TLDR_WORDS,
    compress,
    compress_more,
    reads_alone,
    strip_connective,
    strip_setting,
    trim,
    trims_cleanly,
)
from devoured_summarizer.extractive.text import content_words
from devoured_summarizer.summary import Summary, Term

BACKEND = "extractive"
MIN_BULLETS, MAX_BULLETS = 5, 14  # without ``Tuning.sized``: the coverage objective decides
DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Tuning:
    """The choices ``bench.summary.tune`` measures with leave-one-out cross-validation.

    The defaults are what that cross-validation chose on the seed stories (see
    docs/summarizer.md); every field is a general length or weight, nothing story-specific.
    """

    # Deep dive length: the digest's Deep dives run to about 200-400 words, longer for longer
    # articles: the budget is min(deep_dive_words, budget_base + budget_share * article words)
    # when budget_share > 0, else deep_dive_words. These three and ``importance`` are read by
    # the concept coverage only (``pair_model=None``).
    deep_dive_words: int = 260
    budget_base: int = 120
    budget_share: float = 0.0
    importance: float = 1.0  # a sentence's own score against the coverage it adds
    clause_units: bool = True  # split "A; B" and "A — B" into two bullet candidates
    thorough_compression: bool = True  # also drop speech tags and trailing relative clauses
    # Bullets by the word pairs a digest is likely to reuse (``coverage.cover_pairs``) for a
    # Deep dive of about ``expected_words`` words; None: the concept coverage of ``cover``.
    pair_model: PairModel | None = PAIR_MODEL
    expected_words: int = 250
    tldr_pool: int = 6  # the TL;DR comes from the best few sentences
    tldr_title: float = 0.8  # weight of title terms in the TL;DR choice (not in the bullets')
    tldr_centrality: float = 0.0  # extra weight of closeness to the whole article
    tldr_too_long: float = 0.3  # penalty for a sentence that must be trimmed
    tldr_compression: bool = True  # the TL;DR without asides and speech tags, like the bullets
    tldr_setting: bool = True  # the TL;DR without a leading "This year," / "In a blog post,"
    tldr_teaser: float = 1.0  # penalty for a teaser or scene-setting lede
    # The TL;DR starts from a headline that states who did what, followed by the sentence
    # that adds most to it (the why or the detail), rather than by the opening's restatement.
    tldr_headline: bool = True
    tldr_restates: float = 1.0  # penalty for a supporting sentence that repeats the headline
    tldr_opener: float = 0.3  # penalty for the article's first sentence (copying the opening)
    sized: bool = True  # bullet and term counts grow with the article (``shape``)
    bullet_fit: tuple[float, float] = BULLET_FIT  # refitted per fold by bench.summary.tune
    term_fit: tuple[float, float] = TERM_FIT
    bullet_slack: int = (
        0  # bullets either side the coverage objective may choose (it takes the most)
    )
    seen_glossary: bool = True  # glossary entries written after seeing the seed (bench: off)
    # The Decoder's sense check for a single word or an acronym from the glossary: how many of
    # its definition's words the article must use, and within how many words of the term's
    # first mention one of them must be (``decoder._fits``).
    sense_clues: int = SENSE_CLUES
    sense_context: int = CONTEXT
    # Terms allowed beyond the fitted count (the fit is the digest's count; a plain article
    # still gets fewer: only defined, fitting terms are candidates).
    term_extra: int = 2


DEFAULT_TUNING = Tuning()


def summarize(
    text: str,
    title: str = "",
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    tuning: Tuning = DEFAULT_TUNING,
    use_glossary: bool = True,
) -> Summary:
    """Summarise ``text``; too little text gives a clear, short result instead of a guess.

    The article is segmented once; the sentences feed the TL;DR, the bullets and the Decoder.
    """
    sentences = split_sentences(text)
    if not sentences:
        fallback = " ".join((title or text).split()) or "(no text)"
        return Summary(tldr=trim(fallback), deep_dive=[], decoder=[], backend=BACKEND)
    plain = [s.text for s in sentences]
    words = len(text.split())
    terms = decoder_terms(text, title, plain, tuning, words=words, use_glossary=use_glossary)
    if tuning.clause_units:
        sentences = split_clauses(sentences)
    scored = score_sentences(sentences, title, weights)
    lede = choose_tldr(scored, tuning)
    names = names_in(plain)
    clause = headline_clause(title, names) if tuning.tldr_headline else None
    tldr = trim(tldr_text(lede.sentence.text, tuning))
    if clause:
        built = headline_support(scored, clause, tuning)
        if built:
            lede, tldr = built
    likelihoods = pair_likelihoods(text, tuning.pair_model) if tuning.pair_model else None
    defined = [t for t, _ in terms]
    candidates = [
        s
        for s in scored
        if s is not lede
        and not is_fragment(s.sentence.text, s.sentence.list_item, names)
        and not defines(s.sentence.text, defined)
    ]
    # Nothing the TL;DR says again (unless every sentence does: a repetitive text). A
    # sentence's content words are its TF-IDF vector's keys: no second tokenising.
    tldr_words = set(content_words(tldr))
    candidates = [s for s in candidates if not repeats(s.vector.keys(), tldr_words)] or candidates
    count = bullet_count(words, len(candidates), tuning.bullet_fit) if tuning.sized else None
    shown = {id(c): bullet_text(c.sentence.text, tuning) for c in candidates}  # once each
    bullets = choose_bullets(
        candidates, lede, tuning, word_budget(text, tuning), likelihoods, count=count, shown=shown
    )
    return Summary(
        tldr=tldr,
        deep_dive=[shown[id(b)] for b in in_order(bullets)],
        decoder=[Term(t, d) for t, d in terms],
        backend=BACKEND,
    )


def decoder_terms(
    text: str,
    title: str,
    sentences: list[str],
    tuning: Tuning = DEFAULT_TUNING,
    *,
    words: int | None = None,
    use_glossary: bool = True,
) -> list[tuple[str, str]]:
    """The Decoder's (term, definition) pairs for the article's ``sentences`` (``words``: the
    article's word count, when the caller has it)."""
    limit = MAX_TERMS
    if tuning.sized:
        words = len(text.split()) if words is None else words
        limit = min(MAX_TERMS, term_count(words, tuning.term_fit) + tuning.term_extra)
    return find_terms(
        text,
        title,
        limit,
        sentences=sentences,
        use_glossary=use_glossary,
        seen_glossary=tuning.seen_glossary,
        sense=(tuning.sense_clues, tuning.sense_context),
    )


def headline_tldr(clause: str, support: str) -> str:
    """ "Headline: the supporting sentence", within the TL;DR's word limit; the headline alone
    (as a sentence) when no clean part of the support fits."""
    room = MAX_TLDR_WORDS - len(clause.split())
    if room >= 8 and trims_cleanly(support, room):
        part = trim(support, room)
        # A headline with a colon of its own is followed by a dash: "A: B — sentence".
        joint = " — " if ":" in clause else ": "
        return f"{clause}{joint}{part[:1].lower() + part[1:] if _common_start(part) else part}"
    return clause + "."


def _common_start(text: str) -> bool:
    """Whether the first word is capitalised only because it starts the sentence."""
    first = text.split()[0] if text.split() else ""
    return first in {"The", "A", "An", "Its", "Their", "This", "That", "These", "Those"}


def headline_support(
    scored: list[Scored], clause: str, tuning: Tuning = DEFAULT_TUNING
) -> tuple[Scored, str] | None:
    """ "Headline: sentence" with the sentence that best follows the headline (important,
    readable, adding to it), or None when every candidate only restates the headline."""
    ranked = sorted(scored, key=lambda s: -s.score - tuning.tldr_title * s.title_share)
    options = []
    for s in ranked[: tuning.tldr_pool]:
        built = headline_tldr(clause, tldr_text(s.sentence.text, tuning))
        share = restated(built.removeprefix(clause), clause)
        # The part after the headline must add to it, else the headline says it twice.
        if built != clause + "." and share <= MAX_RESTATED:
            options.append((tldr_fitness(s, tuning) - tuning.tldr_restates * share, s, built))
    if not options:
        return None
    _, best, text = max(options, key=lambda o: o[0])
    return best, text


MAX_RESTATED = 0.3  # a support sentence repeating more of the headline's words restates it


def restated(sentence: str, headline: str) -> float:
    """Share of the sentence's content words that the headline already has."""
    own = set(content_words(sentence))
    return len(own & set(content_words(headline))) / max(1, len(own))


def defines(sentence: str, terms: list[str]) -> bool:
    """A sentence that defines a Decoder term ("X is a ...", "X, the ..., is ..."): it belongs
    to the Decoder, not the Deep dive."""
    head = re.split(r"\s(?:is|are|refers to|means|stands for)\s", sentence, maxsplit=1)
    if len(head) < 2 or len(sentence.split()) > 45:
        return False
    subject = head[0].lower()
    return any(re.search(rf"(?:^|\W){re.escape(t.lower())}(?:\W|$)", subject) for t in terms)


def repeats(words: Iterable[str], tldr_words: set[str]) -> bool:
    """Most of a sentence's content ``words`` are already in the TL;DR's."""
    own = set(words)
    return bool(own) and len(own & tldr_words) / len(own) > 0.7


_DATED = re.compile(
    r"\b(?:(?:19|20)\d{2}|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"then|later|afterwards|first|next|finally|step \d+)\b",
    re.I,
)


def in_order(bullets: list[Scored]) -> list[Scored]:
    """Most important first, unless most bullets are steps or dated events: then the
    article's own order, so a timeline reads forwards."""
    dated = sum(1 for b in bullets if _DATED.search(b.sentence.text))
    if len(bullets) >= 3 and dated * 2 >= len(bullets):
        return sorted(bullets, key=lambda b: b.sentence.index)
    return bullets


def word_budget(text: str, tuning: Tuning = DEFAULT_TUNING) -> int:
    """About how many words the Deep dive should have (ROUGE F1 punishes a length mismatch)."""
    if tuning.budget_share <= 0:
        return tuning.deep_dive_words
    scaled = tuning.budget_base + tuning.budget_share * len(text.split())
    return min(tuning.deep_dive_words, round(scaled))


def tldr_text(sentence: str, tuning: Tuning = DEFAULT_TUNING) -> str:
    """A sentence as the TL;DR would show it (before trimming to the word limit)."""
    text = strip_connective(sentence)
    if tuning.tldr_setting:
        text = strip_setting(text)
    return compress_more(text) if tuning.tldr_compression else text


def bullet_text(sentence: str, tuning: Tuning = DEFAULT_TUNING) -> str:
    """A sentence as a Deep dive bullet shows it."""
    text = compress_more(sentence) if tuning.thorough_compression else compress(sentence)
    return strip_connective(text)


def choose_tldr(scored: list[Scored], tuning: Tuning = DEFAULT_TUNING) -> Scored:
    """The best early sentence that stands alone and fits, or the best one otherwise."""
    ranked = sorted(scored, key=lambda s: -s.score - tuning.tldr_title * s.title_share)
    pool = ranked[: tuning.tldr_pool]
    return max(pool, key=lambda s: tldr_fitness(s, tuning))


def tldr_fitness(s: Scored, tuning: Tuning = DEFAULT_TUNING) -> float:
    """How well a sentence serves as the TL;DR, judged as shown ("This year, X ..." is X)."""
    shown = tldr_text(s.sentence.text, tuning)
    n = len(shown.split())
    # A long lede cut at a clause break reads as well as a short one.
    clean = trims_cleanly(shown)
    penalty = (
        0.5 * (not reads_alone(shown))
        + 0.5 * (not clean)
        + tuning.tldr_too_long * (n > MAX_TLDR_WORDS and not clean)
        + 0.3 * (n < 10)
        + 0.3 * s.sentence.list_item
        + tuning.tldr_teaser * is_teaser(shown)
        + 1.0 * (is_byline(shown) or shown.rstrip().endswith(":"))  # page furniture, a list intro
        + tuning.tldr_opener * (s.sentence.index == 0)
    )
    own = s.score + tuning.tldr_title * s.title_share + tuning.tldr_centrality * s.centrality
    return own - penalty


def choose_bullets(
    candidates: list[Scored],
    lede: Scored,
    tuning: Tuning = DEFAULT_TUNING,
    budget: int = 260,
    likelihoods: Mapping[Pair, float] | None = None,
    *,
    count: int | None = None,
    shown: Mapping[int, str] | None = None,
) -> list[Scored]:
    """Bullets by importance, without repeats, each readable alone: ``count`` of them, or
    5-14 by the coverage objective when ``count`` is None. ``shown``: each candidate's
    bullet text by ``id``, when the caller has it already."""
    texts = shown or {id(c): bullet_text(c.sentence.text, tuning) for c in candidates}
    readable = [
        c
        for c in candidates
        if reads_alone(texts[id(c)])
        and reads_alone(c.sentence.text)
        and 6 <= len(c.sentence.text.split()) <= 60
    ]
    pool = readable if count is not None or len(readable) >= MIN_BULLETS else candidates
    max_count = MAX_BULLETS if count is None else min(MAX_BULLETS, count + tuning.bullet_slack)
    min_count = MIN_BULLETS if count is None else max(1, count - tuning.bullet_slack)
    if likelihoods is not None:
        return cover_pairs(
            [(c, texts[id(c)]) for c in pool],  # judged as shown
            likelihoods,
            chosen=[lede],
            max_count=max_count,
            min_count=min_count,
            expected_words=tuning.expected_words,
        )
    return cover(
        pool,
        chosen=[lede],
        max_count=max_count,
        min_count=min_count,
        word_budget=budget,
        importance=tuning.importance,
    )

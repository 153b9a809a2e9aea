"""The extractive summary: TL;DR, Deep dive and Decoder from the article's own sentences."""

from collections.abc import Mapping
from dataclasses import dataclass

from devoured_summarizer.extractive.coverage import cover, cover_pairs
from devoured_summarizer.extractive.decoder import find_terms
from devoured_summarizer.extractive.pairs import PAIR_MODEL, Pair, PairModel, pair_likelihoods
from devoured_summarizer.extractive.scoring import Scored, Weights, score_sentences
from devoured_summarizer.extractive.segment import split_clauses, split_sentences
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
from devoured_summarizer.summary import Summary, Term

BACKEND = "extractive"
MIN_BULLETS, MAX_BULLETS = 5, 14
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


DEFAULT_TUNING = Tuning()


def summarize(
    text: str,
    title: str = "",
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    tuning: Tuning = DEFAULT_TUNING,
    use_glossary: bool = True,
) -> Summary:
    """Summarise ``text``; too little text gives a clear, short result instead of a guess."""
    sentences = split_sentences(text)
    if not sentences:
        fallback = " ".join((title or text).split()) or "(no text)"
        return Summary(tldr=trim(fallback), deep_dive=[], decoder=[], backend=BACKEND)
    if tuning.clause_units:
        sentences = split_clauses(sentences)
    scored = score_sentences(sentences, title, weights)
    lede = choose_tldr(scored, tuning)
    likelihoods = pair_likelihoods(text, tuning.pair_model) if tuning.pair_model else None
    bullets = choose_bullets(
        [s for s in scored if s is not lede], lede, tuning, word_budget(text, tuning), likelihoods
    )
    return Summary(
        tldr=trim(tldr_text(lede.sentence.text, tuning)),
        deep_dive=[bullet_text(b.sentence.text, tuning) for b in bullets],
        decoder=[Term(t, d) for t, d in find_terms(text, title, use_glossary=use_glossary)],
        backend=BACKEND,
    )


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
    return compress_more(sentence) if tuning.thorough_compression else compress(sentence)


def choose_tldr(scored: list[Scored], tuning: Tuning = DEFAULT_TUNING) -> Scored:
    """The best early sentence that stands alone and fits, or the best one otherwise."""
    ranked = sorted(scored, key=lambda s: -s.score - tuning.tldr_title * s.title_share)
    pool = ranked[: tuning.tldr_pool]

    def fitness(s: Scored) -> float:
        shown = tldr_text(s.sentence.text, tuning)  # judged as shown: "This year, X ..." is X
        n = len(shown.split())
        # A long lede cut at a clause break reads as well as a short one.
        clean = trims_cleanly(shown)
        penalty = (
            0.5 * (not reads_alone(shown))
            + 0.5 * (not clean)
            + tuning.tldr_too_long * (n > MAX_TLDR_WORDS and not clean)
            + 0.3 * (n < 10)
            + 0.3 * s.sentence.list_item
        )
        own = s.score + tuning.tldr_title * s.title_share + tuning.tldr_centrality * s.centrality
        return own - penalty

    return max(pool, key=fitness)


def choose_bullets(
    candidates: list[Scored],
    lede: Scored,
    tuning: Tuning = DEFAULT_TUNING,
    budget: int = 260,
    likelihoods: Mapping[Pair, float] | None = None,
) -> list[Scored]:
    """5-14 bullets by importance, without repeats, each readable alone where possible."""
    readable = [
        c
        for c in candidates
        if reads_alone(c.sentence.text) and 6 <= len(c.sentence.text.split()) <= 60
    ]
    pool = readable if len(readable) >= MIN_BULLETS else candidates
    if likelihoods is not None:
        return cover_pairs(
            [(c, bullet_text(c.sentence.text, tuning)) for c in pool],  # judged as shown
            likelihoods,
            chosen=[lede],
            max_count=MAX_BULLETS,
            min_count=MIN_BULLETS,
            expected_words=tuning.expected_words,
        )
    return cover(
        pool,
        chosen=[lede],
        max_count=MAX_BULLETS,
        min_count=MIN_BULLETS,
        word_budget=budget,
        importance=tuning.importance,
    )

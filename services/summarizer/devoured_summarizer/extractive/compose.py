"""The extractive summary: TL;DR, Deep dive and Decoder from the article's own sentences."""

from devoured_summarizer.extractive.coverage import cover
from devoured_summarizer.extractive.decoder import find_terms
from devoured_summarizer.extractive.scoring import Scored, Weights, score_sentences
from devoured_summarizer.extractive.segment import split_sentences
from devoured_summarizer.extractive.standalone import (
    MAX_TLDR_WORDS,
    compress,
    dangles,
    strip_connective,
    trim,
)
from devoured_summarizer.summary import Summary, Term

BACKEND = "extractive"
MIN_BULLETS, MAX_BULLETS = 5, 14
DEEP_DIVE_WORDS = 260  # the digest's Deep dives run to about 200-300 words
_TLDR_POOL = 6  # the TL;DR comes from the best few sentences
TLDR_TITLE = 0.8  # weight of title terms in the TL;DR choice (not in the bullets')
IMPORTANCE = 1.0  # weight of a sentence's own score against the coverage it adds
DEFAULT_WEIGHTS = Weights()


def summarize(
    text: str, title: str = "", *, weights: Weights = DEFAULT_WEIGHTS, use_glossary: bool = True
) -> Summary:
    """Summarise ``text``; too little text gives a clear, short result instead of a guess."""
    sentences = split_sentences(text)
    if not sentences:
        fallback = " ".join((title or text).split()) or "(no text)"
        return Summary(tldr=trim(fallback), deep_dive=[], decoder=[], backend=BACKEND)
    scored = score_sentences(sentences, title, weights)
    lede = choose_tldr(scored)
    bullets = choose_bullets([s for s in scored if s is not lede], lede)
    return Summary(
        tldr=trim(strip_connective(lede.sentence.text)),
        deep_dive=[compress(b.sentence.text) for b in bullets],
        decoder=[Term(t, d) for t, d in find_terms(text, title, use_glossary=use_glossary)],
        backend=BACKEND,
    )


def choose_tldr(scored: list[Scored]) -> Scored:
    """The best early sentence that stands alone and fits, or the best one otherwise."""
    ranked = sorted(scored, key=lambda s: -s.score - TLDR_TITLE * s.title_share)[:_TLDR_POOL]

    def fitness(s: Scored) -> float:
        n = len(s.sentence.text.split())
        penalty = 0.5 * dangles(s.sentence.text) + 0.3 * (n > MAX_TLDR_WORDS) + 0.3 * (n < 10)
        return s.score + TLDR_TITLE * s.title_share - penalty - 0.3 * s.sentence.list_item

    return max(ranked, key=fitness)


def choose_bullets(candidates: list[Scored], lede: Scored) -> list[Scored]:
    """5-14 bullets by importance, without repeats, each readable alone where possible."""
    readable = [
        c
        for c in candidates
        if not dangles(c.sentence.text) and 6 <= len(c.sentence.text.split()) <= 60
    ]
    pool = readable if len(readable) >= MIN_BULLETS else candidates
    return cover(
        pool,
        chosen=[lede],
        max_count=MAX_BULLETS,
        min_count=MIN_BULLETS,
        word_budget=DEEP_DIVE_WORDS,
        importance=IMPORTANCE,
    )

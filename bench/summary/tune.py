"""Leave-one-out cross-validation of the extractive backend's tuning choices.

The seed has only 11 stories with at least 300 words, so no choice is trusted on the stories
it was made on. For every story in turn, each tuning choice is made on the other stories and
the held-out story is then summarised with it; the mean over those held-out stories is the
honest estimate (``cross_validate``). Deep dive choices (length, importance, clause units,
compression) are made by Deep dive ROUGE-2, TL;DR choices (pool, title, centrality, length
penalty) by TL;DR ROUGE-2, each on its own grid around the defaults; a tie keeps the default.
The word-pair model of the Deep dive (``pair_model``) is refitted on each fold's training
stories (``bench.summary.fit_pairs``), so a held-out story is never scored with coefficients
fitted on it.

``python -m bench.summary.tune`` prints every single-knob change from the default on all
stories (what each idea does), the choice made on all stories, and the cross-validated
figures next to the all-stories ones.
"""

import dataclasses
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.summary.fit_pairs import fit_pair_model
from bench.summary.rouge import rouge_n
from bench.summary.sizes import fit_sizes
from bench.summary.stories import Story, load_stories, term_precision, term_recall
from devoured_summarizer.extractive.compose import (
    DEFAULT_TUNING,
    Tuning,
    decoder_terms,
    summarize,
)
from devoured_summarizer.extractive.segment import split_sentences

# Alternatives per knob; the first value of each is the default's, so the grids contain it.
DEEP_KNOBS: Mapping[str, Sequence[object]] = {
    "deep_dive_words": (DEFAULT_TUNING.deep_dive_words, 220, 300, 340),
    "budget_share": (DEFAULT_TUNING.budget_share, 0.2),
    "importance": (DEFAULT_TUNING.importance, 0.5, 1.5),
    "clause_units": (DEFAULT_TUNING.clause_units, not DEFAULT_TUNING.clause_units),
    "thorough_compression": (
        DEFAULT_TUNING.thorough_compression,
        not DEFAULT_TUNING.thorough_compression,
    ),
    # The default's model stands for "fitted on the training stories" (see ``fold_tuning``).
    "pair_model": (DEFAULT_TUNING.pair_model, None),
    "expected_words": (DEFAULT_TUNING.expected_words, 200, 300),
}
# Knobs only the concept coverage (``pair_model=None``) reads.
COVER_ONLY = ("deep_dive_words", "budget_share", "importance")
TLDR_KNOBS: Mapping[str, Sequence[object]] = {
    "tldr_pool": (DEFAULT_TUNING.tldr_pool, 3, 10),
    "tldr_title": (DEFAULT_TUNING.tldr_title, 0.0, 1.6),
    "tldr_centrality": (DEFAULT_TUNING.tldr_centrality, 1.0, 2.0),
    "tldr_too_long": (DEFAULT_TUNING.tldr_too_long, 1.0),
    "tldr_compression": (DEFAULT_TUNING.tldr_compression, not DEFAULT_TUNING.tldr_compression),
    "tldr_setting": (DEFAULT_TUNING.tldr_setting, not DEFAULT_TUNING.tldr_setting),
    # Chosen for the unseen articles' "TL;DR from the opening" rate, not by ROUGE; listed so
    # that ``main`` shows what it costs on the seed.
    "tldr_opener": (DEFAULT_TUNING.tldr_opener, 0.0),
    "tldr_headline": (DEFAULT_TUNING.tldr_headline, not DEFAULT_TUNING.tldr_headline),
}
# The Decoder's: the sense check of single words and acronyms from the glossary (definition
# words the article must use; window around the first mention) and terms beyond the fitted
# count. Chosen by the F1 of term recall and precision (recall alone would take every term).
DECODER_KNOBS: Mapping[str, Sequence[object]] = {
    "sense_clues": (DEFAULT_TUNING.sense_clues, 2, 1),
    # No unbounded window: on the unseen pages' tuning part it let "SPAC" into a survey of
    # programming languages and "bridge" into a story about student journalism.
    "sense_context": (DEFAULT_TUNING.sense_context, 50, 150),
    "term_extra": (DEFAULT_TUNING.term_extra, 0, 2, 4),
}
# The knobs whose non-default value won in every leave-one-out fold on its own and were
# adopted as defaults; ``bench.summary.run`` cross-validates exactly these choices.
ADOPTED_DEEP = {k: DEEP_KNOBS[k] for k in ("clause_units", "thorough_compression", "pair_model")}
ADOPTED_TLDR = {k: TLDR_KNOBS[k] for k in ("tldr_compression", "tldr_setting")}


@dataclass(frozen=True)
class Scores:
    tldr_r2: float
    deep_r2: float
    terms: float | None
    precision: float | None = None


def with_knob(tuning: Tuning, name: str, value: Any) -> Tuning:
    """``tuning`` with one field changed (the grids name fields by string)."""
    return dataclasses.replace(tuning, **{name: value})


def grid(base: Tuning, knobs: Mapping[str, Sequence[object]]) -> list[Tuning]:
    """Every combination of the knobs' values on top of ``base``; ``base``'s own comes first.

    Combinations that differ only in knobs the chosen bullet method ignores are one tuning.
    """
    tunings = [base]
    for name, values in knobs.items():
        tunings = [with_knob(t, name, v) for t in tunings for v in values]
    return list(dict.fromkeys(canonical(t) for t in tunings))


def canonical(tuning: Tuning) -> Tuning:
    """``tuning`` with the knobs its bullet method does not read at their defaults."""
    if tuning.pair_model is None:
        return dataclasses.replace(tuning, expected_words=DEFAULT_TUNING.expected_words)
    return dataclasses.replace(tuning, **{k: getattr(DEFAULT_TUNING, k) for k in COVER_ONLY})


def single_knob(name: str, value: Any) -> Tuning:
    """The default with one knob changed; a knob of the concept coverage on top of that method."""
    base = with_knob(DEFAULT_TUNING, "pair_model", None) if name in COVER_ONLY else DEFAULT_TUNING
    return with_knob(base, name, value)


def fold_tuning(tuning: Tuning, stories: Sequence[Story]) -> Tuning:
    """``tuning`` with its sizes and word-pair model (if it uses one) refitted on ``stories``."""
    if sum(1 for s in stories if s.deep_dive) >= 2 and sum(1 for s in stories if s.decoder) >= 2:
        bullets, terms = fit_sizes(stories)
        tuning = dataclasses.replace(tuning, bullet_fit=bullets, term_fit=terms)
    if tuning.pair_model is None:
        return tuning
    return with_knob(tuning, "pair_model", fit_pair_model(stories))


_SCORES: dict[tuple[int, Tuning], Scores] = {}


def score(story: Story, tuning: Tuning) -> Scores:
    """One story's scores under one tuning (memoised: the grids share most of their runs)."""
    key = (story.index, tuning)
    if key not in _SCORES:
        _SCORES[key] = _score(story, tuning)
    return _SCORES[key]


def _score(story: Story, tuning: Tuning) -> Scores:
    # The glossary entries written after seeing the seed stay out of every seed figure.
    summary = summarize(story.article, story.title, tuning=blind(tuning))
    terms = [t.term for t in summary.decoder]
    return Scores(
        rouge_n(summary.tldr, story.summary, 2).f1,
        rouge_n(" ".join(summary.deep_dive), " ".join(story.deep_dive), 2).f1,
        term_recall(terms, story.decoder) if story.decoder else None,
        term_precision(terms, story.decoder) if story.decoder else None,
    )


def blind(tuning: Tuning) -> Tuning:
    """``tuning`` without the glossary entries written after seeing the seed."""
    return dataclasses.replace(tuning, seen_glossary=False)


_TERMS: dict[tuple[int, Tuning], tuple[float, float]] = {}
_SENTENCES: dict[int, list[str]] = {}


def term_scores(story: Story, tuning: Tuning) -> tuple[float, float]:
    """(recall, precision) of the story's Decoder alone under ``tuning`` (memoised; the
    Decoder grid needs no Deep dive)."""
    key = (story.index, blind(tuning))
    if key not in _TERMS:
        if story.index not in _SENTENCES:
            _SENTENCES[story.index] = [s.text for s in split_sentences(story.article)]
        terms = [
            t for t, _ in decoder_terms(story.article, story.title, _SENTENCES[story.index], key[1])
        ]
        _TERMS[key] = (term_recall(terms, story.decoder), term_precision(terms, story.decoder))
    return _TERMS[key]


def term_f1(stories: Sequence[Story], tuning: Tuning) -> float:
    """Mean over the stories with a Decoder of the F1 of term recall and precision."""
    rows = [term_scores(s, tuning) for s in stories if s.decoder]
    return statistics.fmean(2 * r * p / (r + p) if r + p else 0.0 for r, p in rows)


def choose(
    stories: Sequence[Story],
    deep_knobs: Mapping[str, Sequence[object]] = DEEP_KNOBS,
    tldr_knobs: Mapping[str, Sequence[object]] = TLDR_KNOBS,
    decoder_knobs: Mapping[str, Sequence[object]] = DECODER_KNOBS,
) -> Tuning:
    """The Deep dive knobs that score best on ``stories``, then the TL;DR knobs likewise, then
    the Decoder's (by term F1)."""

    def best(candidates: list[Tuning], measure: str) -> Tuning:
        means = [
            statistics.fmean(getattr(score(s, t), measure) for s in stories) for t in candidates
        ]
        return candidates[max(range(len(candidates)), key=lambda i: (means[i], -i))]

    deep = best([fold_tuning(t, stories) for t in grid(DEFAULT_TUNING, deep_knobs)], "deep_r2")
    # The TL;DR does not read the word-pair model: its grid is shared by all folds.
    tldr = best(grid(DEFAULT_TUNING, tldr_knobs), "tldr_r2")
    for name in tldr_knobs:
        deep = with_knob(deep, name, getattr(tldr, name))
    options = grid(deep, decoder_knobs)  # on top of the fold's sizes (refitted above)
    means = [term_f1(stories, t) for t in options]
    return options[max(range(len(options)), key=lambda i: (means[i], -i))]


def mean_scores(rows: Sequence[Scores]) -> Scores:
    terms = [r.terms for r in rows if r.terms is not None]
    precision = [r.precision for r in rows if r.precision is not None]
    return Scores(
        statistics.fmean(r.tldr_r2 for r in rows),
        statistics.fmean(r.deep_r2 for r in rows),
        statistics.fmean(terms) if terms else None,
        statistics.fmean(precision) if precision else None,
    )


def cross_validate(
    stories: Sequence[Story],
    deep_knobs: Mapping[str, Sequence[object]] = DEEP_KNOBS,
    tldr_knobs: Mapping[str, Sequence[object]] = TLDR_KNOBS,
    decoder_knobs: Mapping[str, Sequence[object]] = DECODER_KNOBS,
) -> tuple[Scores, list[Tuning]]:
    """Leave-one-out: each story scored with the tuning chosen on all the others."""
    held_out, chosen = [], []
    for i, story in enumerate(stories):
        rest = [s for j, s in enumerate(stories) if j != i]
        tuning = choose(
            rest, deep_knobs, tldr_knobs, decoder_knobs
        )  # sizes and pair model refitted on rest
        chosen.append(tuning)
        held_out.append(score(story, tuning))
    return mean_scores(held_out), chosen


def knob_cross_validate(stories: Sequence[Story], name: str, values: Sequence[object]) -> Scores:
    """Leave-one-out over one knob's values alone (the others at their defaults)."""
    measure = "deep_r2" if name in DEEP_KNOBS else "tldr_r2"
    held_out = []
    for i, story in enumerate(stories):
        rest = [s for j, s in enumerate(stories) if j != i]
        candidates = [fold_tuning(single_knob(name, v), rest) for v in values]
        means = [statistics.fmean(getattr(score(s, t), measure) for s in rest) for t in candidates]
        held_out.append(
            score(story, candidates[max(range(len(means)), key=lambda k: (means[k], -k))])
        )
    return mean_scores(held_out)


def changes(tuning: Tuning) -> str:
    diff = [
        f"{f.name}={getattr(tuning, f.name)}"
        for f in dataclasses.fields(Tuning)
        if getattr(tuning, f.name) != getattr(DEFAULT_TUNING, f.name)
        and not (f.name == "pair_model" and tuning.pair_model is not None)  # refitted: no news
        and f.name not in ("bullet_fit", "term_fit")  # refitted per fold too
    ]
    return ", ".join(diff) or "the defaults"


def line(label: str, s: Scores) -> str:
    terms = f"{s.terms:.3f}" if s.terms is not None else "-"
    precision = f"{s.precision:.3f}" if s.precision is not None else "-"
    return (
        f"  {label:44s} TL;DR R2 {s.tldr_r2:.3f} | Deep dive R2 {s.deep_r2:.3f} | "
        f"terms recall {terms} precision {precision}"
    )


def main() -> None:
    stories = load_stories()
    print(f"{len(stories)} stories; single-knob changes from the default, all stories:")
    print(line("default", mean_scores([score(s, DEFAULT_TUNING) for s in stories])))
    for name, values in {**DEEP_KNOBS, **TLDR_KNOBS}.items():
        for value in values[1:]:
            tuning = single_knob(name, value)
            label = f"{name}={value}" + (" (pair_model=None)" if name in COVER_ONLY else "")
            print(line(label, mean_scores([score(s, tuning) for s in stories])))
    print("each knob chosen by leave-one-out on its own (cross-validated):")
    for name, values in {**DEEP_KNOBS, **TLDR_KNOBS}.items():
        print(line(f"{name} in {tuple(values)}", knob_cross_validate(stories, name, values)))
    adopted, _ = cross_validate(stories, ADOPTED_DEEP, ADOPTED_TLDR)
    print(line("adopted knobs, leave-one-out (honest)", adopted))
    final = choose(stories)
    print(f"whole grid, chosen on all stories: {changes(final)}")
    print(
        line(
            "whole grid, all stories (optimistic)", mean_scores([score(s, final) for s in stories])
        )
    )
    cv, folds = cross_validate(stories)
    print(line("whole grid, leave-one-out (honest)", cv))
    for story, tuning in zip(stories, folds, strict=True):
        print(f"  fold without story {story.index}: {changes(tuning)}")


if __name__ == "__main__":
    main()

"""Score our extractive backend, lead and TextRank on the seed's stories, side by side.

Stories with at least 300 words of article text are used: all of them, then split by
position (even = the first dev split, odd = the first held-out split, kept for comparison
with earlier figures). The whole seed is our dev set, so the honest figure for our tuned
choices is the leave-one-out cross-validated one (``bench.summary.tune``), printed too. The
seed is third-party text, read from /work/shared at run time.

- TL;DR: ROUGE-1/2/L F1 against the story's ``summary``;
- Deep dive: ROUGE-1/2/L F1 of the bullets joined against the joined ``deep_dive``; the peers
  get as many bullets as ours chose, so only the choice of sentences differs;
- Decoder term recall: share of the reference terms matched by one of ours (they share a
  content word after lower-casing and light stemming), and precision: share of ours that match
  a reference term; the peers get as many terms as ours. Ours runs without the glossary
  entries written after seeing the seed (``glossary_seen.txt``);
- sizes: share of stories whose bullet and term counts lie within the dev set's range;
- unseen real articles (``bench.summary.unseen``): rates counted without a reference;
- speed: median ms per 1,000-word article, against the 50 ms limit and TextRank.
"""

import dataclasses
import statistics
import time
from collections.abc import Callable

from bench.summary.baselines import lead, textrank
from bench.summary.rouge import rouge_l, rouge_n
from bench.summary.stories import (
    MIN_WORDS,
    SEED,
    Story,
    load_stories,
    term_precision,
    term_recall,
)
from bench.summary.tune import ADOPTED_DEEP, ADOPTED_TLDR, DECODER_KNOBS, cross_validate
from bench.summary.unseen import bench_unseen
from devoured_summarizer.extractive import summarize
from devoured_summarizer.extractive.compose import DEFAULT_TUNING, Tuning

BLIND = dataclasses.replace(DEFAULT_TUNING, seen_glossary=False)

__all__ = ["Story", "bench_summary", "load_stories", "term_recall"]
Method = Callable[[str, str, int, int], tuple[str, list[str], list[str]]]


def split(stories: list[Story]) -> tuple[list[Story], list[Story]]:
    return stories[0::2], stories[1::2]


def ours(text: str, title: str, bullets: int, terms: int) -> tuple[str, list[str], list[str]]:
    summary = summarize(text, title, tuning=BLIND)
    return summary.tldr, summary.deep_dive, [t.term for t in summary.decoder]


def in_range(stories: list[Story], tuning: Tuning = BLIND) -> tuple[float, float, str]:
    """Shares of stories whose bullet / term counts lie in the dev set's range, and the range."""
    bullet_counts = [len(s.deep_dive) for s in stories if s.deep_dive]
    term_counts = [len(s.decoder) for s in stories if s.decoder]
    lo_b, hi_b, lo_t, hi_t = (
        min(bullet_counts),
        max(bullet_counts),
        min(term_counts),
        max(term_counts),
    )
    summaries = [summarize(s.article, s.title, tuning=tuning) for s in stories]
    bullets = statistics.fmean(lo_b <= len(m.deep_dive) <= hi_b for m in summaries)
    terms = statistics.fmean(lo_t <= len(m.decoder) <= hi_t for m in summaries)
    return bullets, terms, f"bullets {lo_b}-{hi_b}, terms {lo_t}-{hi_t}"


def evaluate(stories: list[Story]) -> dict[str, dict[str, float]]:
    methods: dict[str, Method] = {
        "ours": ours,
        "lead": lambda t, _title, b, k: lead(t, b, k),
        "textrank": lambda t, _title, b, k: textrank(t, b, k),
    }
    totals: dict[str, dict[str, list[float]]] = {m: {} for m in methods}
    for story in stories:
        mine = summarize(story.article, story.title, tuning=BLIND)
        bullets, terms = len(mine.deep_dive), len(mine.decoder)
        for name, method in methods.items():
            tldr, deep, decoder = method(story.article, story.title, bullets, terms)
            row = totals[name]
            joined, reference = " ".join(deep), " ".join(story.deep_dive)
            for key, value in (
                ("tldr_r1", rouge_n(tldr, story.summary, 1).f1),
                ("tldr_r2", rouge_n(tldr, story.summary, 2).f1),
                ("tldr_rl", rouge_l(tldr, story.summary).f1),
                ("deep_r1", rouge_n(joined, reference, 1).f1),
                ("deep_r2", rouge_n(joined, reference, 2).f1),
                ("deep_rl", rouge_l(joined, reference).f1),
            ):
                row.setdefault(key, []).append(value)
            if story.decoder:
                row.setdefault("terms", []).append(term_recall(decoder, story.decoder))
                row.setdefault("precision", []).append(term_precision(decoder, story.decoder))
    return {m: {k: statistics.fmean(v) for k, v in row.items()} for m, row in totals.items()}


def speed(stories: list[Story], rounds: int = 5) -> tuple[float, float]:
    """Median ms per 1,000-word article for ours and for TextRank."""
    texts = []
    for story in stories:
        words = story.article.split(" ")
        while len(words) < 1000:
            words += story.article.split(" ")
        texts.append((story.title, " ".join(words[:1000])))
    timings: dict[str, list[float]] = {"ours": [], "textrank": []}
    for _ in range(rounds):
        for title, text in texts:
            started = time.perf_counter()
            summarize(text, title)
            timings["ours"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            textrank(text, 10, 8)
            timings["textrank"].append((time.perf_counter() - started) * 1000)
    return statistics.median(timings["ours"]), statistics.median(timings["textrank"])


def bench_summary() -> list[str]:
    if not SEED.exists():
        return [f"summary quality: skipped, no seed at {SEED}", *bench_unseen()]
    stories = load_stories()
    dev, held_out = split(stories)
    lines = []
    for label, part in (("all", stories), ("dev", dev), ("held-out", held_out)):
        scores = evaluate(part)
        lines.append(
            f"summary quality ({label}, {len(part)} stories >= {MIN_WORDS} words, own ROUGE F1):"
        )
        for name, row in scores.items():
            lines.append(
                f"  {name:9s} TL;DR R1 {row['tldr_r1']:.3f} R2 {row['tldr_r2']:.3f} "
                f"RL {row['tldr_rl']:.3f} | Deep dive R1 {row['deep_r1']:.3f} "
                f"R2 {row['deep_r2']:.3f} RL {row['deep_rl']:.3f} | "
                f"Decoder recall {row.get('terms', 0.0):.3f} "
                f"precision {row.get('precision', 0.0):.3f}"
            )
    # The honest figure for our tuned choices: each story scored with the choices made on the
    # other stories (lead and TextRank have nothing tuned, so their "all" rows are honest).
    cv, _ = cross_validate(stories, ADOPTED_DEEP, ADOPTED_TLDR, DECODER_KNOBS)
    lines.append(
        f"  ours, leave-one-out cross-validated ({len(stories)} folds): TL;DR R2 {cv.tldr_r2:.3f} "
        f"| Deep dive R2 {cv.deep_r2:.3f} | Decoder recall {cv.terms or 0.0:.3f} "
        f"precision {cv.precision or 0.0:.3f}"
    )
    bullets_ok, terms_ok, span = in_range(stories)
    lines.append(
        f"  sizes within the dev set's range ({span}): bullets {bullets_ok:.0%} of stories, "
        f"terms {terms_ok:.0%}"
    )
    mine, peer = speed(stories)
    lines.append(
        f"summary speed: extractive median {mine:.2f} ms per 1,000-word article, "
        f"ratio to the 50 ms limit {mine / 50:.3f}; TextRank {peer:.2f} ms, ratio {mine / peer:.2f}"
    )
    return lines + bench_unseen()


if __name__ == "__main__":
    print("\n".join(bench_summary()))

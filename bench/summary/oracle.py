"""Analysis tool: what the extractive oracle picks compared with what we pick.

The oracle greedily adds the article sentence that raises ROUGE-2 F1 of the joined bullets
against the reference Deep dive most (and picks the single best sentence for the TL;DR); it
is the ceiling for any sentence-choosing method. For every story this prints the oracle's
and our picks as (sentence index, words, has a figure, share of the article read) so the
difference in kind is visible: ``python -m bench.summary.oracle``. Nothing is tuned here.
The last line compares the mean oracle on whole sentences with the oracle on our clause units
(``split_clauses``): the ceiling of choosing among smaller pieces.
"""

import re
import statistics

from bench.summary.rouge import rouge_n, tokens
from bench.summary.stories import load_stories
from devoured_summarizer.extractive import summarize
from devoured_summarizer.extractive.segment import Sentence, split_clauses, split_sentences

_FIGURE = re.compile(r"\d")


def oracle(sentences: list[Sentence], reference: str, limit: int = 14) -> list[Sentence]:
    """Greedy ROUGE-2 oracle: add the sentence that helps most until none helps."""
    picked: list[Sentence] = []
    best = 0.0
    while len(picked) < limit:
        joined = " ".join(s.text for s in picked)
        gains = [
            (rouge_n(f"{joined} {s.text}", reference, 2).f1, s)
            for s in sentences
            if s not in picked
        ]
        if not gains:
            break
        score, sentence = max(gains, key=lambda g: g[0])
        if score <= best:
            break
        best = score
        picked.append(sentence)
    return picked


def source(sentences: list[Sentence], bullet: str) -> Sentence:
    """The article sentence a (compressed) bullet came from: the one sharing most words."""
    words = set(tokens(bullet))
    return max(sentences, key=lambda s: len(words & set(tokens(s.text))))


def describe(picks: list[Sentence], total: int) -> str:
    return (
        " ".join(
            f"{s.index}/{len(s.text.split())}{'#' if _FIGURE.search(s.text) else ''}" for s in picks
        )
        + f"  (mean position {statistics.fmean(s.index for s in picks) / total:.2f})"
    )


def main() -> None:
    ceilings: list[tuple[float, float, float]] = []
    for story in load_stories():
        sentences = split_sentences(story.article)
        reference = " ".join(story.deep_dive)
        best = oracle(sentences, reference)
        mine = summarize(story.article, story.title)
        # Our bullets are compressed clauses: each is traced to the sentence it came from.
        ours = [source(sentences, b) for b in mine.deep_dive]
        tldr = max(sentences, key=lambda s: rouge_n(s.text, story.summary, 2).f1)
        print(
            f"story {story.index}: {len(sentences)} sentences, reference "
            f"{len(story.deep_dive)} bullets / {len(tokens(reference))} words"
        )
        oracle_words = len(tokens(" ".join(s.text for s in best)))
        our_words = len(tokens(" ".join(mine.deep_dive)))
        print(f"  oracle ({oracle_words} words): {describe(best, len(sentences))}")
        print(f"  ours   ({our_words} words): {describe(ours or sentences[:1], len(sentences))}")
        joined = " ".join(s.text for s in best)
        clause_best = " ".join(s.text for s in oracle(split_clauses(sentences), reference))
        ceilings.append(
            (
                rouge_n(joined, reference, 2).f1,
                rouge_n(clause_best, reference, 2).f1,
                rouge_n(" ".join(mine.deep_dive), reference, 2).f1,
            )
        )
        print(
            f"  TL;DR oracle sentence {tldr.index} ({len(tldr.text.split())} words, R2 "
            f"{rouge_n(tldr.text, story.summary, 2).f1:.3f}); ours R2 "
            f"{rouge_n(mine.tldr, story.summary, 2).f1:.3f}"
        )

    on_sentences, on_clauses, by_us = (statistics.fmean(c[i] for c in ceilings) for i in range(3))
    print(
        f"Deep dive ROUGE-2 F1, mean: oracle on sentences {on_sentences:.3f}, "
        f"on clause units {on_clauses:.3f}; ours {by_us:.3f}"
    )


if __name__ == "__main__":
    main()

"""Analysis tool: what the extractive oracle picks compared with what we pick.

The oracle greedily adds the article sentence that raises ROUGE-2 F1 of the joined bullets
against the reference Deep dive most (and picks the single best sentence for the TL;DR); it
is the ceiling for any sentence-choosing method. For every story this prints the oracle's
and our picks as (sentence index, words, has a figure, share of the article read) so the
difference in kind is visible: ``python -m bench.summary.oracle``. Nothing is tuned here.
"""

import re
import statistics

from bench.summary.rouge import rouge_n, tokens
from bench.summary.run import load_stories
from devoured_summarizer.extractive import summarize
from devoured_summarizer.extractive.segment import Sentence, split_sentences

_FIGURE = re.compile(r"\d")


def oracle(sentences: list[Sentence], reference: str, limit: int = 14) -> list[Sentence]:
    """Greedy ROUGE-2 oracle: add the sentence that helps most until none helps."""
    picked: list[Sentence] = []
    best = 0.0
    while len(picked) < limit:
        joined = " ".join(s.text for s in picked)
        gains = [
            (rouge_n(f"{joined} {s.text}", reference, 2).f1, s) for s in sentences if s not in picked
        ]
        if not gains:
            break
        score, sentence = max(gains, key=lambda g: g[0])
        if score <= best:
            break
        best = score
        picked.append(sentence)
    return picked


def describe(picks: list[Sentence], total: int) -> str:
    return " ".join(
        f"{s.index}/{len(s.text.split())}{'#' if _FIGURE.search(s.text) else ''}" for s in picks
    ) + f"  (mean position {statistics.fmean(s.index for s in picks) / total:.2f})"


def main() -> None:
    for story in load_stories():
        sentences = split_sentences(story.article)
        reference = " ".join(story.deep_dive)
        best = oracle(sentences, reference)
        mine = summarize(story.article, story.title)
        by_text = {s.text: s for s in sentences}
        ours = [by_text[b] for b in mine.deep_dive if b in by_text]
        tldr = max(sentences, key=lambda s: rouge_n(s.text, story.summary, 2).f1)
        print(
            f"story {story.index}: {len(sentences)} sentences, reference "
            f"{len(story.deep_dive)} bullets / {len(tokens(reference))} words"
        )
        print(f"  oracle ({len(tokens(' '.join(s.text for s in best)))} words): {describe(best, len(sentences))}")
        print(f"  ours   ({len(tokens(' '.join(mine.deep_dive)))} words, {len(ours)} uncompressed): {describe(ours or sentences[:1], len(sentences))}")
        print(
            f"  TL;DR oracle sentence {tldr.index} ({len(tldr.text.split())} words, R2 "
            f"{rouge_n(tldr.text, story.summary, 2).f1:.3f}); ours R2 "
            f"{rouge_n(mine.tldr, story.summary, 2).f1:.3f}"
        )


if __name__ == "__main__":
    main()

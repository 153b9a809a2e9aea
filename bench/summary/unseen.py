"""The extractive backend on real articles it was never tuned on: rates without a reference.

The annotated article texts of ``/work/shared/extraction-dev`` (``articleBody``; the first line
is the title when the manifest says ``gold_starts_with_headline``, else there is none) stand
for what the fetcher brings. English pages (stopword ratio >= 0.3) of 150-20,000 words are
summarised with ``backends.summarize_text``. Every fifth page (by sorted id, ``index % 5 == 4``)
is the held-out part, reported apart; the rules were written looking at the other four fifths.
Third-party text, read at run time and never copied into the repository.

Rates (lower is better unless said):
- quoted definitions: Decoder definitions that quote the article ("As the article puts it",
  a definition in quotation marks, or one cut with "…");
- bare expansions: a definition that only spells out the term's letters ("KV: key-value");
- TL;DR from the opening: the TL;DR's word pairs lie >= 80% in the article's first sentence;
- bullets that open with a pronoun or connective ("It ...", "To deal with it, ...", "But ...");
- everyday terms: Decoder terms among the words most readers know (``decoder._WELL_KNOWN``;
  zero by construction, kept to catch a regression);
- bullet count vs article length: Pearson correlation (higher is better), and the mean counts.
"""

import csv
import json
import math
import os
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.summary.rouge import rouge_n
from devoured_summarizer.backends import summarize_text
from devoured_summarizer.extractive.decoder import _WELL_KNOWN
from devoured_summarizer.extractive.definitions import best_long_form
from devoured_summarizer.extractive.segment import split_sentences
from devoured_summarizer.extractive.standalone import dangles
from devoured_summarizer.summary import Summary

CORPUS = Path(os.environ.get("DEVOURED_EXTRACTION_DEV", "/work/shared/extraction-dev"))
MIN_WORDS, MAX_WORDS, MIN_STOPWORDS = 150, 20_000, 0.3
_CONNECTIVE_OPENER = re.compile(
    r"^(?:but|and|so|also|however|meanwhile|still|yet|then|moreover|additionally|furthermore|"
    r"instead|thus|therefore|besides|plus|finally)\b|^to (?:\w+ ){0,3}(?:it|this|that|them),",
    re.I,
)


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    text: str


def load_pages(corpus: Path = CORPUS) -> list[Page]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    with (corpus / "manifest.tsv").open(encoding="utf-8") as f:
        manifest = {row["id"]: row for row in csv.DictReader(f, delimiter="\t")}
    pages = []
    for page_id in sorted(truth):
        row = manifest.get(page_id, {})
        if float(row.get("english_stopword_ratio") or 0) < MIN_STOPWORDS:
            continue
        body = truth[page_id]["articleBody"]
        title = ""
        if row.get("gold_starts_with_headline") == "yes":
            title, _, body = body.partition("\n")
        if MIN_WORDS <= len(body.split()) <= MAX_WORDS:
            pages.append(Page(page_id, title.strip(), body))
    return pages


@dataclass(frozen=True)
class Rates:
    pages: int
    quoted: float
    bare: float
    tldr_opening: float
    bullet_openers: float
    everyday: float
    bullet_length_r: float
    bullets_mean: float
    terms_mean: float


def from_opening(tldr: str, text: str) -> bool:
    first = next(iter(split_sentences(text)), None)
    if first is None:
        return False
    return rouge_n(tldr, first.text, 2).precision >= 0.8


def is_quoted(definition: str) -> bool:
    return (
        definition.startswith("As the article puts it")
        or definition.startswith(('"', "“"))
        or definition.endswith("…")
    )


def is_bare(term: str, definition: str) -> bool:
    """Only the long form of the term's letters, nothing that says what it is."""
    words = definition.rstrip(".").split()
    return ":" not in definition and len(words) <= 6 and best_long_form(term, words) is not None


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy or 1)


def rates(pages: list[Page]) -> Rates:
    summaries: list[tuple[Page, Summary]] = [(p, summarize_text(p.text, p.title)) for p in pages]
    terms = [(t.term, t.definition) for _, s in summaries for t in s.decoder]
    bullets = [b for _, s in summaries for b in s.deep_dive]
    return Rates(
        pages=len(pages),
        quoted=sum(is_quoted(d) for _, d in terms) / max(1, len(terms)),
        bare=sum(is_bare(t, d) for t, d in terms) / max(1, len(terms)),
        tldr_opening=statistics.fmean(from_opening(s.tldr, p.text) for p, s in summaries),
        bullet_openers=sum(dangles(b) or bool(_CONNECTIVE_OPENER.match(b)) for b in bullets)
        / max(1, len(bullets)),
        everyday=sum(t.lower() in _WELL_KNOWN for t, _ in terms) / max(1, len(terms)),
        bullet_length_r=pearson(
            [len(p.text.split()) for p, _ in summaries],
            [len(s.deep_dive) for _, s in summaries],
        ),
        bullets_mean=statistics.fmean(len(s.deep_dive) for _, s in summaries),
        terms_mean=statistics.fmean(len(s.decoder) for _, s in summaries),
    )


def bench_unseen() -> list[str]:
    if not (CORPUS / "ground-truth.json").exists():
        return [f"summary on unseen articles: skipped, no corpus at {CORPUS}"]
    pages = load_pages()
    lines = ["summary on unseen real articles (extraction-dev, no reference; rates):"]
    for label, part in (
        ("tuning part", [p for i, p in enumerate(pages) if i % 5 != 4]),
        ("held-out fifth", pages[4::5]),
    ):
        r = rates(part)
        lines.append(
            f"  {label} ({r.pages} pages): quoted definitions {r.quoted:.1%} (bar < 5%), "
            f"bare expansions {r.bare:.1%}, TL;DR from the opening {r.tldr_opening:.1%} "
            f"(bar < 30%), bullets opening with a pronoun/connective {r.bullet_openers:.1%}, "
            f"everyday terms {r.everyday:.1%}, bullet count vs length r = "
            f"{r.bullet_length_r:.2f} (bar >= 0.3); mean {r.bullets_mean:.1f} bullets, "
            f"{r.terms_mean:.1f} terms"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(bench_unseen()))

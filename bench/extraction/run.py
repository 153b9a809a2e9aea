"""Run our extractor, trafilatura and readability-lxml on the corpus in one process."""

import lxml.html
import trafilatura
from readability import Document

from bench.extraction.corpus import Page, build_corpus
from bench.extraction.score import Extractor, Score, race, score
from devoured_core.errors import SkippedInput
from devoured_extractor.extract import extract

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr", "div")


def ours(html: str) -> str:
    try:
        return extract(html, None).text
    except SkippedInput:
        return ""


def trafilatura_default(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def trafilatura_precision(html: str) -> str:
    return trafilatura.extract(html, include_comments=False, favor_precision=True) or ""


def readability_lxml(html: str) -> str:
    summary = Document(html).summary(html_partial=True)
    tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    for el in tree.iter(*_BLOCKS):  # keep block boundaries, or adjacent words run together
        el.tail = "\n" + (el.tail or "")
    return str(tree.text_content())


EXTRACTORS: dict[str, Extractor] = {
    "devoured": ours,
    "trafilatura": trafilatura_default,
    "trafilatura(favor_precision)": trafilatura_precision,
    "readability-lxml": readability_lxml,
}


def evaluate(rounds: int = 3) -> tuple[dict[str, dict[str, Score]], dict[str, float], list[Page]]:
    pages = build_corpus()
    outputs, rates = race(EXTRACTORS, pages, rounds)
    groups = {
        "all": pages,
        "main": [p for p in pages if p.group == "main"],
        "heldout": [p for p in pages if p.group == "heldout"],
        "unseen": [p for p in pages if p.group == "unseen"],
    }
    scores = {
        name: {
            group: score([out[i] for i, p in enumerate(pages) if p in subset], subset)
            for group, subset in groups.items()
        }
        for name, out in outputs.items()
    }
    return scores, rates, pages


def report(rounds: int = 3) -> list[str]:
    scores, rates, pages = evaluate(rounds)
    held = sum(p.group == "heldout" for p in pages)
    unseen = sum(p.group == "unseen" for p in pages)
    lines = [
        f"extraction quality: {len(pages)} generated pages ({held} held-out div-soup, "
        f"{unseen} unseen legacy/sections); 4-word shingles; F1 of mean precision and recall"
    ]
    for name, by_group in scores.items():
        s = by_group["all"]
        lines.append(
            f"  {name:30} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} | "
            f"main {by_group['main'].f1:.3f} | held-out {by_group['heldout'].f1:.3f} | "
            f"unseen {by_group['unseen'].f1:.3f} | "
            f"{rates[name]:.1f} pages/s"
        )
    ours_rate = rates["devoured"]
    lines.append(
        f"  speed ratio devoured/trafilatura {ours_rate / rates['trafilatura']:.2f}, "
        f"devoured/readability-lxml {ours_rate / rates['readability-lxml']:.2f} "
        f"(trafilatura {trafilatura.__version__})"
    )
    return lines


if __name__ == "__main__":
    for line in report():
        print(line)

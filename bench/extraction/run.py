"""Run our extractor and its peers in one process: on the shared real pages, then on the
generated corpus (a structure regression test: headings, lists, tables, code).

The real-page part is the quality measure (``bench.extraction.real``): per source, for the dev
part and the held-aside part of ``../shared/extraction-dev`` separately, with pages/s from the
same run. rs-trafilatura joins when it is installed (the optional ``bench-rs`` group).
"""

from collections.abc import Sequence
from typing import Protocol

import lxml.html
import trafilatura
from readability import Document

from bench.extraction import fresh, languages, real
from bench.extraction.corpus import Page, build_corpus
from bench.extraction.score import Extractor, Score, race, score
from devoured_core.errors import SkippedInput
from devoured_extractor.extract import extract

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr", "div")


def ours(html: str, url: str | None = None) -> str:
    try:
        return extract(html, url).text
    except SkippedInput:
        return ""


def trafilatura_default(html: str, url: str | None = None) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def trafilatura_precision(html: str, url: str | None = None) -> str:
    return trafilatura.extract(html, include_comments=False, favor_precision=True) or ""


def readability_lxml(html: str, url: str | None = None) -> str:
    """readability-lxml's summary as text (lxml ``text_content`` with block breaks; html-text
    is not installed here, and only ``\\w+`` tokens are scored, so the two agree)."""
    try:
        summary = Document(html).summary(html_partial=True)
        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # a peer that fails scores as empty, as in the README
        return ""
    for el in tree.iter(*_BLOCKS):  # keep block boundaries, or adjacent words run together
        el.tail = "\n" + (el.tail or "")
    return str(tree.text_content())


def _rs_trafilatura() -> real.Extractor | None:
    try:
        import rs_trafilatura  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None

    def run(html: str, url: str | None = None) -> str:
        try:
            result = rs_trafilatura.extract(html)
        except Exception:
            return ""
        text = result.main_content
        return text if isinstance(text, str) else ""

    return run


EXTRACTORS: dict[str, Extractor] = {
    "devoured": ours,
    "trafilatura": trafilatura_default,
    "trafilatura(favor_precision)": trafilatura_precision,
    "readability-lxml": readability_lxml,
}
PEERS = ("trafilatura", "trafilatura(favor_precision)", "readability-lxml", "rs-trafilatura")


def real_extractors() -> dict[str, real.Extractor]:
    extractors: dict[str, real.Extractor] = {
        "devoured": ours,
        "trafilatura": trafilatura_default,
        "trafilatura(favor_precision)": trafilatura_precision,
        "readability-lxml": readability_lxml,
    }
    rs = _rs_trafilatura()
    if rs is not None:
        extractors["rs-trafilatura"] = rs
    return extractors


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


def _row(name: str, s: real.RealScore, extra: str = "") -> str:
    return (
        f"| {name} | {s.f1:.3f}{extra} | {s.precision:.3f} | {s.recall:.3f} | "
        f"{s.accuracy:.3f} | {s.empty} |"
    )


class _Aside(Protocol):
    @property
    def held_aside(self) -> bool: ...


def _parts(
    pages: Sequence[_Aside], label: str, *, held_aside: bool
) -> list[tuple[str, Sequence[int]]]:
    """The page indexes of the part that may be read (``label``), then of the held-aside one."""
    parts: list[tuple[str, Sequence[int]]] = [
        (label, [i for i, p in enumerate(pages) if not p.held_aside])
    ]
    if held_aside:
        parts.append(("held-aside part", [i for i, p in enumerate(pages) if p.held_aside]))
    return parts


def _speed_table(rates: dict[str, float]) -> list[str]:
    lines = ["| extractor | pages/s | ratio to trafilatura |", "|---|---|---|"]
    for name, rate in rates.items():
        lines.append(f"| {name} | {rate:.1f} | {rate / rates['trafilatura']:.2f} |")
    return lines


def real_report(rounds: int = 1, *, held_aside: bool = True) -> list[str]:
    """The real-page comparison as Markdown tables (dev part, held-aside part, per source)."""
    if not real.available():
        return [f"extraction on real pages: skipped ({real.DEV_SET} not found)"]
    pages = real.load_pages()
    extractors = real_extractors()
    outputs, rates = real.run(extractors, pages, rounds)
    per_page = {
        name: [real.page_scores(o, p.truth) for o, p in zip(out, pages, strict=True)]
        for name, out in outputs.items()
    }
    parts = _parts(pages, "dev part", held_aside=held_aside)
    lines = [
        f"extraction on real pages: {real.DEV_SET.name}, {len(pages)} pages; README scoring "
        f"(\\w+ 4-shingle bags, F1 of mean P and mean R); trafilatura {trafilatura.__version__}"
        + ("" if "rs-trafilatura" in extractors else "; rs-trafilatura not installed"),
        "",
        *_speed_table(rates),
    ]
    for label, indexes in parts:
        lines += [
            "",
            f"{label} ({len(indexes)} pages): F1 ± bootstrap sd",
            "",
            "| extractor | F1 | P | R | accuracy | empty |",
            "|---|---|---|---|---|---|",
        ]
        for name, scores in per_page.items():
            chosen = [scores[i] for i in indexes]
            sd = real.bootstrap_sd(chosen, rounds=200)
            lines.append(_row(name, real.aggregate(chosen), f" ± {sd:.3f}"))
        lines += [
            "",
            f"{label} per source: F1 / P / R",
            "",
            "| source | pages | " + " | ".join(per_page) + " |",
            "|---|---|" + "---|" * len(per_page),
        ]
        for source in real.SOURCES:
            subset = [i for i in indexes if pages[i].source == source]
            cells = []
            for scores in per_page.values():
                s = real.aggregate([scores[i] for i in subset])
                cells.append(f"{s.f1:.3f} / {s.precision:.3f} / {s.recall:.3f}")
            lines.append(f"| {source} | {len(subset)} | " + " | ".join(cells) + " |")
        best_peer = max(
            (n for n in per_page if n in PEERS),
            key=lambda n: real.aggregate([per_page[n][i] for i in indexes]).f1,
        )
        ours_f1 = real.aggregate([per_page["devoured"][i] for i in indexes]).f1
        peer_f1 = real.aggregate([per_page[best_peer][i] for i in indexes]).f1
        lines += [
            "",
            f"{label}: devoured - best peer ({best_peer}) = {ours_f1 - peer_f1:+.3f} F1; "
            f"speed devoured/trafilatura {rates['devoured'] / rates['trafilatura']:.2f}",
        ]
    return lines


def fresh_report(rounds: int = 1, *, held_aside: bool = True) -> list[str]:
    """The unseen check (``bench.extraction.fresh``): trafilatura's snippet-annotated pages."""
    module = fresh.module_dir()
    if module is None:
        return [f"extraction on unseen pages: skipped (no Go, or {fresh.MODULE} not fetched)"]
    pages = fresh.load_pages(module)
    extractors = {n: e for n, e in real_extractors().items() if n != "rs-trafilatura"}
    outputs, rates = real.run(extractors, pages, rounds)
    per_page = {
        name: [fresh.page_score(o, p) for o, p in zip(out, pages, strict=True)]
        for name, out in outputs.items()
    }
    parts = _parts(pages, "open part", held_aside=held_aside)
    lines = [
        f"extraction on unseen pages: trafilatura's evaluation set from {fresh.MODULE} "
        f"{fresh.VERSION}, {len(pages)} pages; snippet rule (each with/without snippet "
        "counts once); favours trafilatura, which was developed on it",
        "",
        *_speed_table(rates),
    ]
    for label, indexes in parts:
        lines += [
            "",
            f"{label} ({len(indexes)} pages): F1 ± bootstrap sd",
            "",
            "| extractor | F1 | P | R | snippets |",
            "|---|---|---|---|---|",
        ]
        for name, scores in per_page.items():
            chosen = [scores[i] for i in indexes]
            s = fresh.total(chosen)
            lines.append(
                f"| {name} | {s.f1:.3f} ± {fresh.bootstrap_sd(chosen):.3f} | "
                f"{s.precision:.3f} | {s.recall:.3f} | {s.tp + s.fn + s.fp + s.tn} |"
            )
    return lines


def language_report() -> list[str]:
    """Our language tags against langid.py's on the unseen check's pages and the dev set's."""
    parts: list[tuple[str, list[tuple[str, str | None]]]] = []
    module = fresh.module_dir()
    if module is not None:
        pages = fresh.load_pages(module)
        parts.append(("unseen, open", [(p.html, p.url) for p in pages if not p.held_aside]))
        parts.append(("unseen, held aside", [(p.html, p.url) for p in pages if p.held_aside]))
    if real.available():
        parts.append(("dev set (English)", [(p.html, p.url) for p in real.load_pages()]))
    if not parts:
        return ["language tags: skipped (no real pages)"]
    lines = [
        "language tags: ours against langid.py on our extracted text (agreement, not accuracy)",
        "",
        "| pages | tagged | agree with langid.py | untagged | top differences (ours/langid) |",
        "|---|---|---|---|---|",
    ]
    for label, chosen in parts:
        a = languages.agreement(chosen)
        top = ", ".join(f"{o}/{r} {n}" for (o, r), n in a.differences.most_common(4)) or "-"
        lines.append(f"| {label} | {a.pages} | {a.share:.3f} | {a.untagged} | {top} |")
    return lines


def structure_report(rounds: int = 3) -> list[str]:
    scores, rates, pages = evaluate(rounds)
    held = sum(p.group == "heldout" for p in pages)
    unseen = sum(p.group == "unseen" for p in pages)
    lines = [
        f"extraction structure regression: {len(pages)} generated pages ({held} held-out "
        f"div-soup, {unseen} unseen legacy/sections); 4-word shingles; F1 of mean P and R"
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


def report(rounds: int = 3) -> list[str]:
    """The real-page comparison (the quality measure), the unseen check, the structure check."""
    return [
        *real_report(),
        "",
        *fresh_report(),
        "",
        *language_report(),
        "",
        *structure_report(rounds),
    ]


if __name__ == "__main__":
    for line in report():
        print(line)

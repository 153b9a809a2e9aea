"""The main text of a pruned tree, in three tiers, cheapest first.

1. ``readable`` scores the paragraphs, keeps the article's container (and its strong
   siblings), tidies it and ``render`` writes it out (most pages).
2. When that renders too little (``MIN_CHARS``), trafilatura's fast path runs on the pruned
   tree we already have.
3. When that is still too little, trafilatura's full mode (which also tries readability and
   jusText and keeps the best) runs on the original markup, pruning undone.
"""

import trafilatura
from lxml.html import HtmlElement

from devoured_extractor import readable
from devoured_extractor.render import render

MIN_CHARS = 250


def main_text(pruned: HtmlElement, html: str, url: str | None) -> str:
    """The article text of ``pruned`` (furniture removed), or of ``html`` as a last resort."""
    body = pruned.find("body")
    root = body if body is not None else pruned
    blocks, scores = readable.choose(root)
    if blocks:
        for block in blocks:
            readable.tidy(block, scores)
        text = "\n".join(t for t in (render(b) for b in blocks) if t)
        if len(text) >= MIN_CHARS:
            return text
    text = _run(pruned, url, fast=True)
    if len(text) >= MIN_CHARS:
        return text
    fallback = _run(html, url, fast=False)
    return fallback if len(fallback) > len(text) else text


def _run(tree: HtmlElement | str, url: str | None, *, fast: bool) -> str:
    result = trafilatura.extract(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
    )
    return result or ""

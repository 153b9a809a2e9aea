"""The main text of a pruned tree, via trafilatura's fast path on the tree we already have.

trafilatura's default mode also runs readability and jusText on every page and keeps the best;
on a tree already stripped of furniture that comparison rarely changes the result and costs
about half the time, so we call it only when the fast path finds too little (``MIN_CHARS``).
"""

import trafilatura
from lxml.html import HtmlElement

MIN_CHARS = 250


def main_text(pruned: HtmlElement, html: str, url: str | None) -> str:
    """Text of ``pruned``; if too short, trafilatura's full mode on the unpruned ``html``."""
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

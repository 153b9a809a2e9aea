"""Main-text extraction (pure): HTML in, text and metadata out.

``extract(html, url)`` is the public entry point. The page is checked (``guards``), parsed once
with lxml (``parse``); metadata is read from that tree (``metadata``), furniture is pruned from
it (``boilerplate``), the main text is taken from what is left (``body``) and junk lines are
dropped. Every refusal is a ``SkippedInput`` whose message says why and whose code counts it.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from devoured_core.errors import SkipCode, SkippedInput
from devoured_core.similarity import simhash_hex
from devoured_core.text import xml_safe
from devoured_core.titles import clean_title
from devoured_extractor.body import main_text
from devoured_extractor.boilerplate import clean_lines, prune
from devoured_extractor.guards import check_markup
from devoured_extractor.metadata import read_metadata
from devoured_extractor.parse import parse_html
from devoured_extractor.text_stats import (
    WORDS_PER_MINUTE,
    content_hash,
    count_words,
    reading_minutes,
    text_language,
)

MIN_WORDS = 25
"""Below this the page has no article worth summarising (error pages, app shells)."""
TEASER_WORDS = 150
"""A paywalled page with fewer words than this is only a teaser."""

_PAYWALL = re.compile(
    r"""class=["'][^"']*\b(paywall|piano-offer|meter-wall|subscriber-only|premium-wall)"""
    r"|subscribers only|subscribe to (continue|keep) reading|to continue reading",
    re.IGNORECASE,
)
_SCRIPT_SHELL = re.compile(r"<script\b", re.IGNORECASE)

__all__ = [
    "MIN_WORDS",
    "WORDS_PER_MINUTE",
    "ExtractedContent",
    "content_hash",
    "extract",
    "extract_content",
    "reading_minutes",
]


@dataclass(frozen=True)
class ExtractedContent:
    title: str
    author: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    updated_at: datetime | None
    site_name: str | None
    language: str | None
    text: str
    canonical_url: str | None
    lead_image: str | None
    word_count: int
    reading_minutes: int
    content_hash: str
    simhash: str
    paywalled: bool


def extract(html: str, url: str | None = None) -> ExtractedContent:
    """Extract the main text of ``html``; raises ``SkippedInput`` when there is none worth it.

    Characters that XML 1.0 forbids are stripped from the markup before it is parsed (lxml
    refuses them in a tree, and no output could hold them), so no field can carry one.
    """
    markup = xml_safe(check_markup(html))
    tree = parse_html(markup)
    meta = read_metadata(tree, url)
    h1 = tree.find(".//h1")
    headlines = [meta.title or "", h1.text_content() if h1 is not None else ""]
    prune(tree)
    text = clean_lines(main_text(tree, markup, url))
    text = _drop_leading_headline(text, headlines)  # metadata, not body; a guess stays
    title = clean_title(
        meta.title or (text.splitlines()[0][:200] if text else ""),
        site_name=meta.site_name,
        url=url or meta.canonical_url,
    )
    words = count_words(text)
    if words < MIN_WORDS:
        message, code = _why_empty(markup, words)
        raise SkippedInput(message, code=code)
    return ExtractedContent(
        title=title,
        author=", ".join(meta.authors) or None,
        authors=meta.authors,
        published_at=meta.published_at,
        updated_at=meta.updated_at,
        site_name=meta.site_name,
        language=text_language(meta.language, text),
        text=text,
        canonical_url=meta.canonical_url,
        lead_image=meta.lead_image,
        word_count=words,
        reading_minutes=reading_minutes(text),
        content_hash=content_hash(text),
        simhash=simhash_hex(text),
        paywalled=words < TEASER_WORDS and bool(_PAYWALL.search(markup)),
    )


extract_content = extract
"""The name the first version used; kept for callers that still import it."""


def _why_empty(markup: str, words: int) -> tuple[str, SkipCode]:
    if _PAYWALL.search(markup):
        return (
            f"extract: no main text found ({words} words; paywalled, only a teaser)",
            SkipCode.PAYWALLED,
        )
    if len(_SCRIPT_SHELL.findall(markup)) and words < 5:
        return (
            f"extract: no main text found ({words} words; a JavaScript-only shell)",
            SkipCode.JAVASCRIPT_SHELL,
        )
    return f"extract: no main text found ({words} words)", SkipCode.NO_TEXT


def _drop_leading_headline(text: str, headlines: list[str]) -> str:
    """``text`` without a first line that repeats the headline (metadata title or <h1>)."""
    first, _, rest = text.partition("\n")
    first = " ".join(first.split()).casefold()
    known = {" ".join(h.split()).casefold() for h in headlines} - {""}
    return rest if rest and first in known else text

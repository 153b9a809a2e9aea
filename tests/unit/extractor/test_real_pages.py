"""Titles and languages on the shared real-page dev set (``../shared/extraction-dev``).

The pages are third-party content: read at test time, never copied here; the tests skip when
``../shared`` is missing. Quality (F1) on these pages is measured by ``bench.extraction``.
"""

import gzip
import json
import re
from functools import cache
from pathlib import Path

import pytest

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import ExtractedContent, extract
from devoured_extractor.guards import decode_bytes

DEV_SET = Path(__file__).resolve().parents[4] / "shared" / "extraction-dev"
pytestmark = pytest.mark.skipif(
    not (DEV_SET / "ground-truth.json").is_file(), reason="../shared/extraction-dev is not there"
)
_SEPARATORS = r"\s*(?:\||-|–|—|·|•|::|»|:)\s*"


@cache
def _pages() -> list[tuple[str, str | None, ExtractedContent | None, str]]:
    """(id, url, extracted content or None if skipped, raw <title>) of every third page."""
    truths = json.loads((DEV_SET / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for page_id in sorted(truths)[::3]:
        html = decode_bytes(gzip.decompress((DEV_SET / "html" / f"{page_id}.html.gz").read_bytes()))
        found = re.search(r"<title[^>]*>(.{0,300}?)</title>", html, re.IGNORECASE | re.DOTALL)
        raw = " ".join(found.group(1).split()) if found else ""
        try:
            content: ExtractedContent | None = extract(html, truths[page_id].get("url"))
        except SkippedInput:
            content = None
        out.append((page_id, truths[page_id].get("url"), content, raw))
    return out


def test_titles_never_end_or_start_with_a_known_site_name() -> None:
    checked = 0
    for page_id, _, content, _ in _pages():
        if content is None or not content.site_name:
            continue
        site = re.escape(content.site_name)
        checked += 1
        assert not re.search(f"{_SEPARATORS}{site}$", content.title, re.IGNORECASE), page_id
        assert not re.match(f"^{site}{_SEPARATORS}", content.title, re.IGNORECASE), page_id
    assert checked >= 20  # the check ran on pages that name their site


def test_titles_are_never_empty_and_keep_the_headline() -> None:
    extracted = [(i, c, raw) for i, _, c, raw in _pages() if c is not None]
    assert len(extracted) > 150
    for page_id, content, raw in extracted:
        assert content.title.strip(), page_id
        assert len(content.title) <= 300, page_id
        # a title cut from the page's own <title> keeps at least a headline's worth of it
        if raw and content.title in raw and len(raw.split()) >= 6:
            assert len(content.title.split()) >= 3, (page_id, raw, content.title)


def test_english_pages_are_tagged_english() -> None:
    languages = [c.language for _, _, c, _ in _pages() if c is not None]
    english = sum(1 for lang in languages if lang and lang.lower().startswith("en"))
    assert english >= 0.9 * len(languages)

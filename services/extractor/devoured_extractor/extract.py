"""Main-text extraction (pure): HTML in, text and metadata out. Wraps trafilatura for now."""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import trafilatura

from devoured_core.errors import SkippedInput

WORDS_PER_MINUTE = 230
MIN_WORDS = 40
_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class ExtractedContent:
    title: str
    author: str | None
    published_at: datetime | None
    language: str | None
    text: str
    canonical_url: str | None
    word_count: int
    reading_minutes: int
    content_hash: str


def extract_content(html: str, url: str | None = None) -> ExtractedContent:
    """Extract the main text of ``html``; raises ``SkippedInput`` when there is none worth it."""
    if not html.strip():
        raise SkippedInput("extract: empty document")
    document: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    text = _tidy(getattr(document, "text", None) or "")
    words = len(text.split())
    if document is None or words < MIN_WORDS:
        raise SkippedInput(f"extract: no main text found ({words} words)")
    title = (document.title or "").strip() or text.splitlines()[0][:200]
    text = _drop_leading_title(text, title)
    words = len(text.split())
    return ExtractedContent(
        title=title,
        author=(document.author or None),
        published_at=_date(document.date),
        language=document.language or _html_lang(html),
        text=text,
        canonical_url=document.url,
        word_count=words,
        reading_minutes=reading_minutes(words),
        content_hash=content_hash(text),
    )


def reading_minutes(words: int) -> int:
    """Whole minutes at ``WORDS_PER_MINUTE``, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def content_hash(text: str) -> str:
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _drop_leading_title(text: str, title: str) -> str:
    first, _, rest = text.partition("\n")
    return rest if first.strip() == title.strip() and rest else text


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _html_lang(html: str) -> str | None:
    match = _LANG.search(html[:5000])
    return match.group(1).lower() if match else None

"""Feed parsing (pure): RSS and Atom bytes in, feed entries out."""

import calendar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from devoured_core.errors import PermanentError
from devoured_core.messages import FeedEntry


class MalformedFeed(PermanentError):
    """The body is not a feed we can read."""


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of the RSS/Atom document ``body``; relative links resolve against ``base_url``.

    Entries without a usable link are dropped; duplicates (same link) are kept once.
    """
    if not body.strip():
        raise MalformedFeed("feeds: empty body")
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None) or "not a feed"
        raise MalformedFeed(f"feeds: malformed feed: {reason}")
    if not parsed.version and not parsed.entries:
        raise MalformedFeed("feeds: document is not RSS or Atom")
    entries: dict[str, FeedEntry] = {}
    for raw in parsed.entries:
        entry = _entry(raw, base_url)
        if entry is not None and entry.link not in entries:
            entries[entry.link] = entry
    return list(entries.values())


def _entry(raw: Any, base_url: str) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    if not link:
        return None
    link = urljoin(base_url, link)
    if not link.startswith(("http://", "https://")):
        return None
    return FeedEntry(
        title=(raw.get("title") or "").strip() or None,
        link=link,
        guid=raw.get("id"),
        published_at=_time(raw.get("published_parsed") or raw.get("updated_parsed")),
        summary=_text(raw.get("summary")),
        categories=[t["term"] for t in raw.get("tags") or [] if t.get("term")],
    )


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


def _text(value: str | None) -> str | None:
    if not value:
        return None
    from html import unescape
    from re import sub

    return sub(r"\s+", " ", unescape(sub(r"<[^>]+>", " ", value))).strip()[:2000] or None

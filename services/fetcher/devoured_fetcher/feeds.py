"""Feed parsing (pure): RSS 0.9x/1.0/2.0, Atom, JSON Feed and news sitemaps in, entries out.

Relative links resolve against the feed's final URL; entries without a usable link are
dropped and counted; duplicates (same link or same GUID) are kept once.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from feedparser.encodings import convert_to_utf8

from devoured_core.errors import PermanentError
from devoured_core.messages import FeedEntry
from devoured_fetcher.jsonfeed import entry_from, looks_like_json_feed, parse_json_feed
from devoured_fetcher.sitemaps import looks_like_sitemap, parse_sitemap
from devoured_fetcher.xmlsafe import refuse_entities

_SKIP_HOURS = re.compile(rb"<skipHours>(.*?)</skipHours>", re.IGNORECASE | re.DOTALL)
_HOUR = re.compile(rb"<hour>\s*(\d{1,2})\s*</hour>", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)


class MalformedFeed(PermanentError):
    """The body is not a feed we can read."""


@dataclass(frozen=True)
class ParsedFeed:
    kind: str
    entries: list[FeedEntry]
    dropped: int = 0
    ttl_minutes: int | None = None
    skip_hours: frozenset[int] = frozenset()


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of a feed document (see ``parse_document``)."""
    return parse_document(body, base_url).entries


def parse_document(body: bytes, base_url: str) -> ParsedFeed:
    """Parse any supported feed format; ``MalformedFeed`` with a reason otherwise."""
    if not body.strip():
        raise MalformedFeed("feeds: empty body")
    if looks_like_json_feed(body):
        return _collect("jsonfeed", parse_json_feed(body), base_url, entry_from)
    if _HTML_START.match(body[:512]):
        raise MalformedFeed("feeds: got an HTML page, not a feed")
    # Decoded once, as feedparser decodes (byte-order mark, XML declaration, sniffing), so that
    # the entity check below sees the very bytes feedparser parses, in any encoding.
    body = convert_to_utf8({}, body, {})
    if looks_like_sitemap(body):
        return _collect("sitemap", parse_sitemap(body), base_url, entry_from)
    refuse_entities(body, "feeds")
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None) or "not a feed"
        raise MalformedFeed(f"feeds: malformed feed: {reason}")
    if not parsed.version and not parsed.entries:
        raise MalformedFeed("feeds: document is not RSS, Atom, JSON Feed or a sitemap")
    raw = [_raw_entry(e) for e in parsed.entries]
    result = _collect(parsed.version or "rss", raw, base_url, entry_from)
    if parsed.bozo and not result.entries:  # broken XML that yielded nothing usable
        reason = getattr(parsed, "bozo_exception", None) or "not a feed"
        raise MalformedFeed(f"feeds: malformed feed: {reason}")
    return ParsedFeed(
        result.kind, result.entries, result.dropped, _ttl(parsed.feed.get("ttl")), _skip(body)
    )


def _collect(kind: str, raw: list[dict[str, Any]], base_url: str, make: Any) -> ParsedFeed:
    entries: list[FeedEntry] = []
    links: set[str] = set()
    guids: set[str] = set()
    dropped = 0
    for item in raw:
        link = _absolute(item.get("link"), base_url)
        if link is None:
            dropped += 1
            continue
        guid = item.get("guid")
        if link in links or (guid and guid in guids):
            continue
        links.add(link)
        if guid:
            guids.add(guid)
        entries.append(make(item, link))
    return ParsedFeed(kind, entries, dropped)


def _absolute(link: object, base_url: str) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base_url, link.strip())
        parts = urlsplit(absolute)
        _ = parts.port  # raises on a port that is no number or out of range
    except ValueError:  # "http://[::1", "http://h:99999/": no URL we could fetch or key
        return None
    return absolute if parts.scheme in ("http", "https") and parts.hostname else None


def _raw_entry(raw: Any) -> dict[str, Any]:
    return {
        "link": raw.get("link"),
        "guid": raw.get("id"),
        "title": (raw.get("title") or "").strip() or None,
        "published": _time(raw.get("published_parsed") or raw.get("updated_parsed")),
        "summary": _text(raw.get("summary")),
        "tags": [t["term"] for t in raw.get("tags") or [] if t.get("term")],
    }


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError):
        return None


def _text(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", value))).strip()[:2000] or None


def _ttl(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _skip(body: bytes) -> frozenset[int]:
    block = _SKIP_HOURS.search(body[:200_000])
    if not block:
        return frozenset()
    return frozenset(int(h) % 24 for h in _HOUR.findall(block.group(1)))

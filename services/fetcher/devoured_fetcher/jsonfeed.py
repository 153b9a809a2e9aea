"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) to feed entries (pure)."""

import json
from typing import Any

from devoured_core.errors import PermanentError
from devoured_core.messages import FeedEntry
from devoured_core.text import xml_safe
from devoured_core.times import parse_iso_datetime


def looks_like_json_feed(body: bytes) -> bool:
    return body.lstrip()[:1] == b"{" and b"jsonfeed.org/version" in body[:2048]


def parse_json_feed(body: bytes) -> list[dict[str, Any]]:
    """Raw entry dicts with ``link``/``guid``/``title``/``published``/``summary``/``tags``."""
    try:
        document = json.loads(body.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise PermanentError(f"jsonfeed: malformed JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise PermanentError("jsonfeed: no items list")
    out = []
    for item in document["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        out.append(
            {
                "link": link if isinstance(link, str) else None,
                "guid": str(item["id"]) if item.get("id") is not None else None,
                "title": _str(item.get("title")),
                "published": parse_iso_datetime(
                    item.get("date_published") or item.get("date_modified")
                ),
                "summary": _str(item.get("summary")) or _str(item.get("content_text")),
                "tags": [t for t in item.get("tags") or [] if isinstance(t, str)],
            }
        )
    return out


def entry_from(raw: dict[str, Any], link: str) -> FeedEntry:
    """The entry of any feed format; its text is XML-safe (``devoured_core.text``)."""
    return FeedEntry(
        title=xml_safe(raw["title"] or "") or None,
        link=link,
        guid=raw["guid"],
        published_at=raw["published"],
        summary=xml_safe((raw["summary"] or "")[:2000]) or None,
        categories=[xml_safe(tag) for tag in raw["tags"]],
    )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None

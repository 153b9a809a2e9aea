"""OPML import and export of feed sources (pure)."""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from devoured_core.text import xml_safe
from devoured_fetcher.xmlsafe import local, parse_xml


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    url: str
    category: str | None = None


def parse_opml(body: bytes) -> list[OpmlFeed]:
    """Every outline with an ``xmlUrl``; the enclosing outline's title becomes its category."""
    root = parse_xml(body, "opml")
    feeds: dict[str, OpmlFeed] = {}
    # Depth first in document order, with a stack of our own: a file nested thousands of
    # levels deep must not exhaust Python's recursion limit.
    stack: list[tuple[Iterator[ET.Element], str | None]] = [(iter(root), None)]
    while stack:
        children, category = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        if local(child.tag) != "outline":
            stack.append((iter(child), category))
            continue
        title = (child.get("title") or child.get("text") or "").strip()
        url = (child.get("xmlUrl") or "").strip()
        if url and url.startswith(("http://", "https://")):
            feeds.setdefault(url, OpmlFeed(title or url, url, category))
        stack.append((iter(child), category if url else (title or category)))
    return list(feeds.values())


def render_opml(feeds: list[OpmlFeed], title: str = "Devoured sources") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    by_category: dict[str | None, list[OpmlFeed]] = {}
    for feed in feeds:
        by_category.setdefault(feed.category, []).append(feed)
    for category, members in sorted(by_category.items(), key=lambda kv: kv[0] or ""):
        indent = "    "
        if category:
            lines.append(f"    <outline text={_attr(category)} title={_attr(category)}>")
            indent = "      "
        for feed in members:
            lines.append(
                f'{indent}<outline type="rss" text={_attr(feed.title)} '
                f"title={_attr(feed.title)} xmlUrl={_attr(feed.url)}/>"
            )
        if category:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:200] or "source"


def _text(value: str) -> str:
    return xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """A quoted attribute value holding only what XML 1.0 allows."""
    return quoteattr(xml_safe(value))

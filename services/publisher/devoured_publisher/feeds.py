"""RSS 2.0 and Atom feeds of editions (pure).

Every text and attribute value is made XML-safe (``devoured_core.text``) on its way in, so a
title with a control character cannot make the feed invalid XML.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from devoured_core.model import EditionRecord
from devoured_core.text import xml_safe

ATOM = "http://www.w3.org/2005/Atom"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element whose text and attributes hold only what XML 1.0 allows."""
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _published(edition: EditionRecord) -> datetime:
    return edition.built_at if edition.built_at.tzinfo else edition.built_at.replace(tzinfo=UTC)


def rss_feed(editions: Sequence[EditionRecord], *, title: str, base_url: str) -> str:
    rss = ET.Element("rss", version="2.0")
    channel = _add(rss, "channel")
    _add(channel, "title", title)
    _add(channel, "link", f"{base_url}/")
    _add(channel, "description", f"Every edition of {title}.")
    for edition in editions:
        item = _add(channel, "item")
        link = f"{base_url}/editions/{edition.edition_id}"
        _add(item, "title", edition.title)
        _add(item, "link", link)
        _add(item, "guid", link, isPermaLink="true")
        _add(item, "pubDate", format_datetime(_published(edition)))
        _add(item, "description", edition.overview)
    return ET.tostring(rss, encoding="unicode", xml_declaration=True)


def atom_feed(editions: Sequence[EditionRecord], *, title: str, base_url: str) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, f"{{{ATOM}}}title", title)
    _add(feed, f"{{{ATOM}}}id", f"{base_url}/")
    _add(feed, f"{{{ATOM}}}link", href=f"{base_url}/atom.xml", rel="self")
    newest = max((_published(e) for e in editions), default=datetime.fromtimestamp(0, UTC))
    _add(feed, f"{{{ATOM}}}updated", newest.isoformat())
    for edition in editions:
        entry = _add(feed, f"{{{ATOM}}}entry")
        link = f"{base_url}/editions/{edition.edition_id}"
        _add(entry, f"{{{ATOM}}}title", edition.title)
        _add(entry, f"{{{ATOM}}}id", link)
        _add(entry, f"{{{ATOM}}}link", href=link)
        _add(entry, f"{{{ATOM}}}updated", _published(edition).isoformat())
        _add(entry, f"{{{ATOM}}}summary", edition.overview)
        author = _add(entry, f"{{{ATOM}}}author")
        _add(author, f"{{{ATOM}}}name", title)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)

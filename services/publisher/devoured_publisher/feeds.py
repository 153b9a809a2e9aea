"""RSS 2.0 and Atom feeds of editions (pure)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from devoured_core.model import EditionRecord

ATOM = "http://www.w3.org/2005/Atom"


def _published(edition: EditionRecord) -> datetime:
    return edition.built_at if edition.built_at.tzinfo else edition.built_at.replace(tzinfo=UTC)


def rss_feed(editions: Sequence[EditionRecord], *, title: str, base_url: str) -> str:
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = f"{base_url}/"
    ET.SubElement(channel, "description").text = f"Every edition of {title}."
    for edition in editions:
        item = ET.SubElement(channel, "item")
        link = f"{base_url}/editions/{edition.edition_id}"
        ET.SubElement(item, "title").text = edition.title
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", isPermaLink="true").text = link
        ET.SubElement(item, "pubDate").text = format_datetime(_published(edition))
        ET.SubElement(item, "description").text = edition.overview
    return ET.tostring(rss, encoding="unicode", xml_declaration=True)


def atom_feed(editions: Sequence[EditionRecord], *, title: str, base_url: str) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base_url}/"
    ET.SubElement(feed, f"{{{ATOM}}}link", href=f"{base_url}/atom.xml", rel="self")
    newest = max((_published(e) for e in editions), default=datetime.fromtimestamp(0, UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = newest.isoformat()
    for edition in editions:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = f"{base_url}/editions/{edition.edition_id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = edition.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _published(edition).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = edition.overview
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = title
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)

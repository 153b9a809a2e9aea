"""Parsing small XML documents (sitemaps, OPML) without entity tricks (pure)."""

import xml.etree.ElementTree as ET

from devoured_core.errors import PermanentError


class UnsafeXml(PermanentError):
    """The document declares a DOCTYPE or entities, which we never expand."""


def parse_xml(body: bytes, what: str) -> ET.Element:
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        raise UnsafeXml(f"{what}: DOCTYPE/ENTITY declarations are refused")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise PermanentError(f"{what}: malformed XML: {exc}") from exc


def local(tag: str) -> str:
    """Tag name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]

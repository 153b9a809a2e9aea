"""Parsing XML written by strangers (sitemaps, OPML, feeds) without entity tricks (pure).

Sitemaps and OPML are parsed by ``defusedxml`` with DTDs, entities and external references
forbidden. The decision is taken by the XML parser itself, on the characters it decoded, so it
holds in every encoding the parser reads (UTF-8, UTF-16 with or without a byte-order mark).
Documents it cannot read (UTF-32) are refused as malformed. Feeds are read by feedparser,
which decodes them itself: ``refuse_entities`` looks at exactly the bytes it will parse.
"""

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from devoured_core.errors import PermanentError

_ENTITY_DECLARATION = re.compile(rb"<!\s*entity", re.IGNORECASE)


class UnsafeXml(PermanentError):
    """The document declares a DOCTYPE or entities, which we never expand."""


def parse_xml(body: bytes, what: str) -> ET.Element:
    """The root element of ``body``; ``UnsafeXml`` for any DTD, entity declaration or external
    reference, ``PermanentError`` for anything the parser cannot read."""
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"{what}: DOCTYPE/ENTITY declarations are refused ({exc})") from exc
    except ET.ParseError as exc:
        raise PermanentError(f"{what}: malformed XML: {exc}") from exc


def refuse_entities(utf8: bytes, what: str) -> None:
    """``UnsafeXml`` when ``utf8`` (a document already decoded to UTF-8) declares entities or
    refers to external ones.

    A plain DOCTYPE is let through (old RSS 0.91 feeds carry Netscape's; it is never loaded).
    The parser decides for a well-formed document; a malformed one (which feedparser may still
    read loosely) is refused if ``<!ENTITY`` appears anywhere in it.
    """
    try:
        fromstring(utf8, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"{what}: ENTITY declarations are refused ({exc})") from exc
    except ET.ParseError:
        if _ENTITY_DECLARATION.search(utf8):
            raise UnsafeXml(f"{what}: ENTITY declarations are refused") from None


def local(tag: str) -> str:
    """Tag name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]

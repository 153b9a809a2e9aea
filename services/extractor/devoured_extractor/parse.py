"""Parse markup once into an lxml tree, surviving pathological nesting."""

import re

import lxml.html
from lxml.html import HtmlElement

from devoured_core.errors import SkipCode, SkippedInput

_CONTAINERS = re.compile(r"</?(?:div|span|section|font|center)\b[^>]*>", re.IGNORECASE)


def parse_html(html: str) -> HtmlElement:
    """The document tree; ``SkippedInput`` if it cannot be parsed into one.

    libxml2 stops at 256 levels of nesting and silently drops the rest of the page. When that
    happens we drop the pure container tags (div, span, section), which carry no text, and
    parse again; a page still too deep after that is refused with the reason.
    """
    tree, too_deep = _parse(html)
    if too_deep:
        tree, too_deep = _parse(_CONTAINERS.sub("", html))
        if too_deep:
            raise SkippedInput("extract: nesting deeper than 256 levels", code=SkipCode.TOO_DEEP)
    if tree is None:
        # Counted as "other", as it always was: no code of its own yet (SkipCode is shared).
        raise SkippedInput("extract: markup could not be parsed", code=SkipCode.OTHER)
    return tree


def _parse(html: str) -> tuple[HtmlElement | None, bool]:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None, False
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return tree, too_deep

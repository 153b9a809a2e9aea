"""Input checks before any parsing: each refusal is a ``SkippedInput`` that says why.

Also turns raw bytes into text for callers that have bytes (the CLI): a byte-order mark wins,
then strict UTF-8 (a page that *declares* latin-1 but is valid UTF-8 is lying, and UTF-8 is
right far more often), then the declared charset, then cp1252, which never fails.
"""

import codecs
import re

from devoured_core.errors import SkipCode, SkippedInput

MAX_MARKUP_CHARS = 10_000_000
"""Markup left after dropping scripts and styles; beyond this a page is refused, not parsed."""

_SCRIPTS = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_MOJIBAKE = re.compile(
    "[ÃÂâ][\u0080-\u00bf\u20ac\u201a-\u201e\u2018-\u2022\u2026\u2030\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2039\u203a\u2122]"
)


def check_markup(html: str) -> str:
    """The markup worth parsing, or ``SkippedInput`` with the reason there is none."""
    if not html.strip().lstrip("\ufeff"):
        raise SkippedInput("extract: empty document", code=SkipCode.EMPTY)
    head = html[:4096]
    if "\x00" in head or len(_CONTROL.findall(head)) > len(head) // 20:
        raise SkippedInput("extract: not HTML (binary content)", code=SkipCode.NOT_HTML)
    if "<" not in head and "<" not in html[:65536]:
        raise SkippedInput("extract: not HTML (no markup)", code=SkipCode.NOT_HTML)
    html = _XML_DECL.sub("", html, count=1)
    if len(html) > MAX_MARKUP_CHARS // 2:
        html = _SCRIPTS.sub("", html)
    if len(html) > MAX_MARKUP_CHARS:
        raise SkippedInput(
            f"extract: page too large ({len(html):,} characters of markup)", code=SkipCode.TOO_LARGE
        )
    return repair_mojibake(html)


def repair_mojibake(text: str) -> str:
    """UTF-8 that was decoded as latin-1/cp1252 upstream (a lying charset), decoded again."""
    if "Ã" not in text and "â€" not in text and "Â" not in text:
        return text  # the cheap test first: str.__contains__ runs in C
    if len(_MOJIBAKE.findall(text[:200_000])) < 3:
        return text
    for wrong in ("cp1252", "latin-1"):
        try:
            return text.encode(wrong).decode("utf-8")
        except UnicodeError:
            continue
    return text


def decode_bytes(data: bytes, content_type: str | None = None) -> str:
    """Best decoding of a page's bytes (see the module docstring for the order)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data, content_type)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    for source in ((content_type or "").encode(), data[:4096]):
        match = _CHARSET.search(source)
        if match:
            return match.group(1).decode("ascii")
    return None

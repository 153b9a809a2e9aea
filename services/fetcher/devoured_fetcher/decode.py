"""Turning response bytes into text without ever failing (pure)."""

import codecs
import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CP1252_SLACK = 0.15
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def charset_of(content_type: str | None, body: bytes) -> str:
    """Charset from the Content-Type header, then a BOM, then a meta/XML declaration, then
    detection (valid UTF-8 first, else charset-normalizer's best guess), else UTF-8."""
    for declared in (_header_charset(content_type), _bom_charset(body), _declared_charset(body)):
        if declared and _known(declared):
            return declared
    return _detected_charset(body)


def _detected_charset(body: bytes) -> str:
    sample = body[:65536]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the sample's end
            return "utf-8"
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return "cp1252"  # the web's default for undeclared legacy pages (WHATWG)
    best = min(matches, key=lambda m: m.chaos)
    # Short Western texts fit several single-byte code pages almost equally well; prefer the
    # one the web actually uses when it is about as plausible as the best guess.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _CP1252_SLACK:
            return "cp1252"
    return best.encoding if _known(best.encoding) else "utf-8"


def decode_body(content_type: str | None, body: bytes) -> str:
    """``body`` as text; undecodable bytes become U+FFFD instead of raising."""
    charset = charset_of(content_type, body)
    text = body.decode(charset, errors="replace")
    return text.removeprefix("\ufeff")


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset=[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _bom_charset(body: bytes) -> str | None:
    return next((name for bom, name in _BOMS if body.startswith(bom)), None)


def _declared_charset(body: bytes) -> str | None:
    head = body[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _known(name: str) -> bool:
    """A real text encoding (``codecs`` also knows hex, base64, zlib... which are not)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return bool(getattr(info, "_is_text_encoding", True)) and info.name != "idna"

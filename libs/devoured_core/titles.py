"""Headlines without the site's name around them (pure).

Pages and feeds title an article "Apple ships the M5 | 9to5Mac", "Site: Headline" or
"Headline - Example News". A digest lists many sites, so the site's part is noise there; the
extractor stores the clean title and the publisher shows it. A segment is removed only when it
names the site (its ``og:site_name``, or the host name of its address) or, failing that, when it
is short and the headline part is long enough to stand alone, so a headline that merely
contains a dash or a colon ("Rust 2.0: what changes") keeps it.
"""

import re
from urllib.parse import urlsplit

__all__ = ["clean_title"]

# Separators that sites put between the headline and their name. A hyphen counts only with
# spaces around it, so "state-of-the-art" is never split.
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/)\s+|\s*(?:\||·|•|»)\s*")
_PREFIX_SEPARATOR = re.compile(r"^([^:|]{2,40}?)\s*[:|]\s+(.+)$")
_NOT_WORD = re.compile(r"[^\w]+")
MAX_SITE_WORDS = 4
"""A trailing segment longer than this is part of the headline, not a site name."""
MIN_HEADLINE_WORDS = 3


def clean_title(title: str, *, site_name: str | None = None, url: str | None = None) -> str:
    """``title`` without a leading or trailing segment that names the site.

    ``site_name`` (og:site_name, the feed's title) and ``url``'s host name identify the site.
    Whitespace is collapsed; capitalisation is kept.
    """
    text = " ".join(title.split())
    if not text:
        return text
    names = _site_keys(site_name, url)
    parts = _SEPARATOR.split(text)
    if len(parts) > 1:
        kept = _strip_site_segments(parts, names)
        if kept != parts:
            return _join_like(text, kept)
    prefix = _PREFIX_SEPARATOR.match(text)
    if prefix and _names_site(prefix.group(1), names):
        rest = prefix.group(2).strip()
        if len(rest.split()) >= MIN_HEADLINE_WORDS:
            return rest
    return text


def _strip_site_segments(parts: list[str], names: set[str]) -> list[str]:
    kept = list(parts)
    # A site name at the end ("Headline | Site") is far more common than at the start.
    while len(kept) > 1 and _is_site_segment(kept[-1], kept[:-1], names):
        kept.pop()
    while len(kept) > 1 and _is_site_segment(kept[0], kept[1:], names):
        kept.pop(0)
    return kept


def _is_site_segment(segment: str, rest: list[str], names: set[str]) -> bool:
    headline_words = sum(len(part.split()) for part in rest)
    if _names_site(segment, names, fuzzy=headline_words >= MIN_HEADLINE_WORDS):
        return True
    if names:
        return False  # the site is known and this segment is not it: keep the headline whole
    return len(segment.split()) <= MAX_SITE_WORDS and headline_words >= 2 * MIN_HEADLINE_WORDS


def _names_site(segment: str, names: set[str], *, fuzzy: bool = True) -> bool:
    """``segment`` is the site's name ("9to5Mac" on 9to5mac.com), or, when ``fuzzy`` (what is
    left is a headline of its own), a segment that contains or shortens it ("WSJ" for
    WSJ.com, "Videos and Downloads at Shacknews.com")."""
    key = _key(segment)
    if not key:
        return False
    if key in names:
        return True
    if not fuzzy:
        return False
    return any(
        (len(name) >= 4 and (name in key or key in name))
        or (len(name) >= 3 and key.startswith(name))  # "CBN News" on cbn.com
        for name in names
    )


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    keys: set[str] = set()
    if site_name:
        keys.add(_key(site_name))
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        labels = [label for label in host.split(".") if label]
        if len(labels) >= 2:
            keys.add(_key(labels[-2]))  # "9to5mac" for 9to5mac.com
            keys.add(_key("".join(labels[:-1])))
    return {key for key in keys if key}


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def _join_like(original: str, parts: list[str]) -> str:
    """The kept parts joined by the separator the original used between them."""
    if len(parts) == 1:
        return parts[0].strip()
    start = original.find(parts[0])
    end = original.rfind(parts[-1]) + len(parts[-1])
    return original[start:end].strip() if start >= 0 and end > start else " - ".join(parts)

"""Article metadata from the parsed tree: JSON-LD first, then meta tags, then the markup."""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from devoured_core.times import parse_iso_datetime

_ARTICLE_TYPES = (
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "webpage",
    "techarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "posting",
)
_KEY = re.compile(r"\W+")
MAX_HEADINGS = 8
MAX_TITLE_CHARS = 300
HEADLINE_SHARE = 0.4
"""A heading shorter than this share of the <title> (and under four words) is a section's."""
_LANG = re.compile(r"^[A-Za-z]{2,3}")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    authors: tuple[str, ...]
    published_at: datetime | None
    updated_at: datetime | None
    site_name: str | None
    language: str | None
    canonical_url: str | None
    lead_image: str | None


def read_metadata(tree: HtmlElement, url: str | None) -> Metadata:
    ld = _json_ld(tree)
    meta = _meta_tags(tree)
    title = _str(ld.get("headline")) or meta.get("og:title") or meta.get("twitter:title")
    title = title or _page_title(tree)
    return Metadata(
        title=" ".join(title.split()) if title else None,
        authors=_authors(ld, meta, tree),
        published_at=_first_date(
            ld.get("datePublished"),
            meta.get("article:published_time"),
            meta.get("datepublished"),
            meta.get("date"),
            meta.get("dc.date"),
            meta.get("pubdate"),
            _time_tag(tree),
        ),
        updated_at=_first_date(
            ld.get("dateModified"),
            meta.get("article:modified_time"),
            meta.get("og:updated_time"),
            meta.get("datemodified"),
        ),
        site_name=meta.get("og:site_name") or _str(_get(ld.get("publisher"), "name")),
        language=_language(tree, meta),
        canonical_url=_link(tree, "canonical", url) or _absolute(meta.get("og:url"), url),
        lead_image=_absolute(
            meta.get("og:image")
            or meta.get("twitter:image")
            or _str(_get(ld.get("image"), "url") or ld.get("image")),
            url,
        ),
    )


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object whose @type is an article (searching @graph too)."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(str(k).lower() in _ARTICLE_TYPES for k in kinds):
                return item
    return {}


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [x for d in data for x in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = el.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _authors(ld: dict[str, Any], meta: dict[str, str], tree: HtmlElement) -> tuple[str, ...]:
    raw = ld.get("author")
    people = raw if isinstance(raw, list) else [raw] if raw else []
    names = [n for n in (_str(_get(p, "name") if isinstance(p, dict) else p) for p in people) if n]
    if not names:
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            value = meta.get(key)
            if value and not value.startswith("http"):
                names = re.split(r"\s*(?:,|;|\band\b|&)\s*", value)
                break
    if not names:
        node = tree.find(".//*[@rel='author']")
        if node is None:
            node = tree.find(".//*[@itemprop='author']")
        names = [node.text_content()] if node is not None else []
    cleaned = (" ".join(re.sub(r"^\s*by\s+", "", n, flags=re.I).split()) for n in names)
    return tuple(dict.fromkeys(n for n in cleaned if 1 < len(n) < 80))


def _page_title(tree: HtmlElement) -> str | None:
    """The headline when no metadata names it: the first heading that the ``<title>`` repeats
    (old pages put the site's name in their ``<h1>`` and the headline in an ``<h2>``), else
    the ``<title>`` itself (its site suffix is cut by ``clean_title``), else the first ``<h1>``."""
    node = tree.find(".//title")
    page = " ".join((node.text_content() if node is not None else "").split())
    headings = [" ".join(h.text_content().split()) for h in tree.iter("h1", "h2", "h3")][
        :MAX_HEADINGS
    ]
    key = _KEY.sub("", page.casefold())
    for heading in headings:
        # the headline, not a section heading the title happens to contain ("Stock Screen")
        hkey = _KEY.sub("", heading.casefold())
        big = len(heading.split()) >= 4 or len(hkey) >= HEADLINE_SHARE * len(key)
        if hkey and big and hkey in key:
            return heading
    if len(page) > MAX_TITLE_CHARS:  # an unclosed <title> that swallowed the page
        page = page.split("<", 1)[0].strip()
    if 0 < len(page) <= MAX_TITLE_CHARS:
        return page
    return next((h for h in headings if h), None)


def _time_tag(tree: HtmlElement) -> str | None:
    node = tree.find(".//time[@datetime]")
    return node.get("datetime") if node is not None else None


def _first_date(*values: Any) -> datetime | None:
    for value in values:
        parsed = parse_date(_str(value))
        if parsed:
            return parsed
    return None


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 text as an aware UTC datetime; None if neither."""
    if not value:
        return None
    value = value.strip()
    parsed = parse_iso_datetime(value)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _language(tree: HtmlElement, meta: dict[str, str]) -> str | None:
    raw = tree.get("lang") or meta.get("og:locale") or meta.get("content-language")
    match = _LANG.match(raw or "")
    return match.group(0).lower() if match else None


def _link(tree: HtmlElement, rel: str, base: str | None) -> str | None:
    for el in tree.iterfind(".//link[@rel]"):
        if rel in el.get("rel", "").lower().split():
            return _absolute(el.get("href"), base)
    return None


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href or not href.strip():
        return None
    return urljoin(base, href.strip()) if base else href.strip()


def _get(value: Any, key: str) -> Any:
    if isinstance(value, list) and value:
        value = value[0]
    return value.get(key) if isinstance(value, dict) else None


def _str(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str):
        return None
    return value.strip() or None

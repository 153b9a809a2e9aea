"""What a response means for the fetcher (pure): ok, not modified, skipped or error, and why.

The handlers and ``devoured fetch URL`` share this, so the operator sees the service's verdict.
"""

import re
from dataclasses import dataclass
from typing import Literal

from devoured_fetcher.http import HttpResponse

Kind = Literal["feed", "article"]
Verdict = Literal["ok", "not_modified", "skipped", "error"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "text/plain",  # many real feeds are served as text/plain; the parser decides
        *HTML_TYPES,  # so "HTML served as a feed" gets the parser's clear reason
    }
)
_CANONICAL = re.compile(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']?([^"'\s>]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str | None = None
    code: str | None = None  # short reason code for metrics labels


def judge(response: HttpResponse, kind: Kind) -> Judgement:
    """Status and content type checks; parsing a feed is the caller's next step."""
    status = response.status
    if status == 304:
        return Judgement("not_modified")
    if status >= 400:
        code = "gone" if status == 410 else f"http_{status // 100}xx"
        return Judgement("error", f"{kind}: HTTP {status}", code)
    if not 200 <= status < 300:
        return Judgement("error", f"{kind}: unexpected HTTP {status}", "http_other")
    media = response.media_type
    allowed = HTML_TYPES if kind == "article" else FEED_TYPES
    if media and media not in allowed and not media.endswith(("+xml", "+json")):
        what = "HTML" if kind == "article" else "a feed"
        return Judgement("skipped", f"{kind}: content type {media!r} is not {what}", "content_type")
    if not response.body.strip():
        return Judgement("skipped", f"{kind}: empty body", "empty")
    return Judgement("ok")


def canonical_link(html: str) -> str | None:
    """The page's ``<link rel="canonical" href>``, if any (first 64 KiB only)."""
    tag = _CANONICAL.search(html[:65536])
    if tag is None:
        return None
    href = _HREF.search(tag.group(0))
    return href.group(1).strip() if href else None

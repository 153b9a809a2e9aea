"""Making article-derived text safe to show (pure): no markup survives, no unsafe links.

Everything a page we fetched said is untrusted. Text is reduced to plain text with nh3 (tags
and their script/style content removed) and later escaped by every renderer; links keep only
the http and https schemes.
"""

import html
from urllib.parse import urlsplit

import nh3


def plain_text(text: str) -> str:
    """``text`` with any HTML tags, comments and script/style content removed."""
    if "<" not in text and "&" not in text:
        return text
    cleaned = nh3.clean(
        text, tags=set(), clean_content_tags={"script", "style"}, strip_comments=True
    )
    return html.unescape(cleaned)


def safe_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL, else ``"#"``."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return "#"

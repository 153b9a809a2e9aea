"""News sitemaps (sitemap.xml with ``news:`` entries) to raw entries (pure)."""

from typing import Any

from devoured_core.times import parse_iso_datetime
from devoured_fetcher.xmlsafe import local, parse_xml


def looks_like_sitemap(body: bytes) -> bool:
    head = body[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes) -> list[dict[str, Any]]:
    root = parse_xml(body, "sitemap")
    out = []
    for url in root:
        if local(url.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in url.iter():
            name = local(child.tag)
            if child.text and child.text.strip() and name not in fields:
                fields[name] = child.text.strip()
        out.append(
            {
                "link": fields.get("loc"),
                "guid": fields.get("loc"),
                "title": fields.get("title"),
                "published": parse_iso_datetime(
                    fields.get("publication_date") or fields.get("lastmod")
                ),
                "summary": None,
                "tags": [k.strip() for k in fields.get("keywords", "").split(",") if k.strip()],
            }
        )
    return out

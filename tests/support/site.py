"""A local news site for tests: an RSS feed of N generated articles served on 127.0.0.1.

The article text is generated from word lists written for these tests, so every page has
distinct, realistic-looking main text wrapped in navigation, a cookie banner and comments.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from random import Random

from devoured_embedded.sample_server import serve_http

_COMPANIES = [
    "Arbor Labs",
    "Quillon",
    "Nimbus Forge",
    "Ostrava Systems",
    "Pelican Compute",
    "Tessellate",
    "Brightwater AI",
    "Kestrel Networks",
    "Lumen Grid",
    "Harrow Bio",
]
_THINGS = [
    "inference chip",
    "vector database",
    "battery cell",
    "compiler",
    "satellite modem",
    "payments API",
    "browser engine",
    "scheduler",
    "language model",
    "storage engine",
]
_VERBS = [
    "shipped",
    "announced",
    "open-sourced",
    "benchmarked",
    "delayed",
    "priced",
    "redesigned",
    "acquired",
    "tested",
    "retired",
]
_DETAILS = [
    "The team said latency fell by {n} percent after the change reached production.",
    "Engineers measured {n} thousand requests per second on a single node during the trial.",
    "Analysts expect the move to pressure rivals that charge {n} dollars per month for less.",
    "The release notes list {n} fixes, including a long-standing memory leak in the parser.",
    "Customers in {n} countries will get access first, with a wider rollout planned for spring.",
    "A spokesperson said the project employs {n} people across three offices.",
    "Independent testers reported that power draw dropped to {n} watts under sustained load.",
    "The company plans to publish a technical paper with {n} pages of measurements next month.",
]


# Markup an attacker could put in a page: escaped text that looks like tags, real tags with
# event handlers, and javascript: links. None of it may survive into any output as markup.
HOSTILE_MARKUP = (
    "<p>Researchers showed the payload &lt;script&gt;alert('xss')&lt;/script&gt; and "
    "&lt;img src=x onerror=alert(1)&gt; to the audience during the talk on Tuesday.</p>"
    '<p onclick="alert(2)">Attendees were told to <a href="javascript:alert(3)">click here</a> '
    'and then to check <img src=x onerror="alert(4)"> every log file they keep.</p>'
    "<script>alert('inline')</script>"
)
DANGEROUS = ("<script", "onerror=", "onclick=", 'href="javascript:', "(javascript:", "src=x")


@dataclass
class Site:
    articles: int
    hostile: frozenset[int] = frozenset()
    base_url: str = ""
    requests: list[str] = field(default_factory=list)

    def article_path(self, index: int) -> str:
        return f"/news/story-{index:04d}.html"

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{_title(i)}</title><link>{self.base_url}{self.article_path(i)}</link>"
            f"<guid>{self.base_url}{self.article_path(i)}</guid>"
            f"<pubDate>Sun, 29 Nov 2026 0{i % 10}:00:00 GMT</pubDate>"
            "<category>Programming</category></item>"
            for i in range(self.articles)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Test Wire</title><link>{self.base_url}/</link>"
            f"<description>Generated</description>{items}</channel></rss>"
        )

    def page(self, index: int) -> str:
        rng = Random(index)
        paragraphs = "".join(f"<p>{_paragraph(rng, index, p)}</p>" for p in range(5))
        if index in self.hostile:
            paragraphs += HOSTILE_MARKUP
        return (
            f'<!doctype html><html lang="en"><head><title>{_title(index)} | Test Wire</title>'
            f'<link rel="canonical" href="{self.base_url}{self.article_path(index)}">'
            '<meta name="author" content="Robin Example"></head><body>'
            '<nav><a href="/">Home</a> <a href="/tech">Tech</a> <a href="/about">About</a></nav>'
            '<div class="cookie-banner">We use cookies to improve your experience. '
            "<button>Accept all</button></div>"
            f"<article><h1>{_title(index)}</h1>{paragraphs}</article>"
            '<section class="comments"><h3>Comments</h3><p>First! Great read.</p></section>'
            "<footer>Copyright 2026 Test Wire. All rights reserved.</footer></body></html>"
        )


_SYLLABLES = [
    "zor",
    "vex",
    "lin",
    "tam",
    "quo",
    "rix",
    "bel",
    "dun",
    "kai",
    "mof",
    "pra",
    "sul",
    "tev",
    "wyn",
    "xal",
    "yor",
    "gim",
    "hep",
    "jur",
    "nok",
]


def _product(index: int) -> str:
    """A made-up product name unique to ``index`` (for up to 8,000 articles)."""
    a, b, c = index % 20, index // 20 % 20, index // 400 % 20
    return (_SYLLABLES[a] + _SYLLABLES[b] + _SYLLABLES[c]).capitalize()


def _title(index: int) -> str:
    rng = Random(10_000 + index)
    company, verb, thing = rng.choice(_COMPANIES), rng.choice(_VERBS), rng.choice(_THINGS)
    return f"{company} {verb} {_product(index)}, its {thing}"


def _paragraph(rng: Random, index: int, number: int) -> str:
    lead = (
        f"{rng.choice(_COMPANIES)} {rng.choice(_VERBS)} a new {rng.choice(_THINGS)} "
        f"in story number {index}, paragraph {number}."
    )
    details = " ".join(rng.choice(_DETAILS).format(n=rng.randint(2, 900)) for _ in range(3))
    return f"{lead} {details}"


@contextmanager
def serve_site(
    articles: int, *, delay_s: float = 0.0, hostile: frozenset[int] = frozenset()
) -> Iterator[Site]:
    """Serve a feed at ``/feed.xml`` with ``articles`` article pages, each answered after
    ``delay_s`` (a realistic server keeps messages in flight longer); stops on exit."""
    site = Site(articles, hostile)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            if self.path == "/feed.xml":
                self._send(200, site.feed(), "application/rss+xml")
            elif self.path.startswith("/news/story-"):
                time.sleep(delay_s)
                index = int(self.path.removeprefix("/news/story-").removesuffix(".html"))
                found = 0 <= index < site.articles
                self._send(200 if found else 404, site.page(index) if found else "no", "text/html")
            else:
                self._send(404, "not found", "text/plain")

        def _send(self, status: int, body: str, content_type: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("content-type", f"{content_type}; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve_http(Handler) as base:
        site.base_url = base
        yield site

"""Hostile markup and links written by strangers, through every output the publisher makes:
Markdown, HTML, email HTML, text, JSON, RSS/Atom, the website's pages, webhook payloads, and
the LLM prompt. Each output is parsed the way its reader would parse it, and nothing active
may come out: no element, attribute, link or ping that the payload asked for."""

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest

from devoured_core.messages import DecoderTerm
from devoured_core.model import EditionRecord
from devoured_publisher.delivery import webhook_payload
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.feeds import atom_feed, rss_feed
from devoured_publisher.pages import (
    render_archive,
    render_article_page,
    render_email_html,
    render_html,
    render_search,
)
from devoured_publisher.render import render_markdown, render_text
from devoured_summarizer.prompt import build_messages
from tests.unit.samples import story

MARKUP = {
    "script-tag": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg/onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "css-expression": '<div style="width:expression(alert(1))">x</div>',
    "style-tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "javascript-link": '<a href="javascript:alert(1)">x</a>',
    "data-link": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "entity-javascript": '<a href="&#106;avascript:alert(1)">x</a>',
    "broken-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "unclosed-attribute": '"><img src=x onerror=alert(1)//',
    "single-quote-breakout": "' onmouseover='alert(1)",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "comment-breakout": "--><script>alert(1)</script><!--",
    "cdata-end": "]]><script>alert(1)</script>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base-tag": '<base href="https://evil.example/">',
    "form": '<form action="https://evil.example"><input name=p></form>',
    "template-syntax": "{{ 7*7 }}{% raw %}${7*7}",
    "markdown-link": "[click](javascript:alert(1))",
    "markdown-image": "![x](https://evil.example/track.png)",
    "slack-controls": "<!channel> <@U123> <https://evil.example|bank.example>",
    "discord-pings": "@everyone @here",
}
URLS = {
    "javascript-url": "javascript:alert(1)",
    "mixed-case-javascript": "JaVaScRiPt:alert(1)",
    "space-javascript": " javascript:alert(1)",
    "data-url": "data:text/html,<script>alert(1)</script>",
    "vbscript": "vbscript:msgbox(1)",
    "quote-breakout-url": 'https://ok.example/"><script>alert(1)</script>',
    "protocol-relative": "//evil.example/x",
    "markdown-breakout-url": "https://ok.example/a)[x](javascript:alert(1)",
}
DAY = date(2026, 11, 29)
# http(s), or a path on the site itself (not "//host"), a fragment or a query.
SAFE_LINK = re.compile(r"^(?:https?://\S+|/(?!/)\S*|#.*|\?.*)$", re.I)
FORBIDDEN = {"script", "iframe", "svg", "object", "embed", "base", "img", "frame", "math"}


def hostile_edition(payload: str, url: str = "https://news.example.com/a") -> Edition:
    hostile = story(
        "a",
        title=f"Title {payload}",
        url=url,
        source_name=f"Source {payload}",
        tldr=f"TL;DR {payload}",
        deep_dive=[f"Bullet {payload}"],
        decoder=[DecoderTerm(term=f"Term {payload}", definition=f"Means {payload}")],
        text=f"Paragraph {payload}\n- item {payload}\n| cell {payload} |",
    )
    return assemble_edition([hostile], digest_name="D", day=DAY)


def record(payload: str) -> EditionRecord:
    return EditionRecord(
        edition_id="2026-11-29",
        edition_date=DAY,
        title=f"D {payload}",
        overview=f"Overview {payload}",
        item_count=1,
        markdown="",
        html="",
        content_hash="",
        built_at=datetime(2026, 11, 29, tzinfo=UTC),
    )


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert_html(page: str, *, styles: int) -> None:
    parser = Elements()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, _ in tags if t in FORBIDDEN]
    assert [t for t, _ in tags].count("style") == styles  # only the template's own
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            if name in attrs:
                assert SAFE_LINK.match(attrs[name]), (tag, name, attrs[name])
        style = attrs.get("style", "").lower()
        assert not [word for word in ("expression", "javascript", "url(") if word in style]
        if tag == "meta":
            assert set(attrs) <= {"charset", "name", "content"}, attrs  # no http-equiv
        if tag == "form":
            assert attrs["action"] == "/search"
        if tag == "link":
            assert attrs["rel"] == "alternate"


def html_pages(edition: Edition) -> dict[str, tuple[str, int]]:
    """Every HTML page of an edition, with the number of ``<style>`` blocks it should have."""
    story_ = edition.sections[0][1][0]
    return {
        "html": (render_html(edition), 1),
        "web-edition": (render_html(edition, web=True), 1),
        "web-article": (
            render_article_page(
                story_, edition_id="2026-11-29", edition_title=edition.title, digest_name="D"
            ),
            1,
        ),
        "web-search": (render_search(story_.title, [story_], digest_name="D"), 1),
        "email": (render_email_html(edition), 0),
    }


def assert_inert_markdown(markdown: str) -> None:
    assert not re.search(r"<[a-zA-Z!/?]", markdown), "raw HTML in Markdown"
    for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", markdown):
        assert SAFE_LINK.match(target) or target == "#", target
    assert "![" not in markdown.replace("\\[", "")


def assert_inert_webhooks(edition: Edition) -> None:
    slack = str(webhook_payload(edition, "slack", "https://d.example")["text"])
    # Only our own links: <http(s)://…|…>; no other angle bracket, so no ping or forged link.
    assert not re.sub(r"<https?://[^\s<>|]+\|[^<>]*>", "", slack).count("<")
    discord = webhook_payload(edition, "discord", "")
    assert discord["allowed_mentions"] == {"parse": []}
    for target in re.findall(r"(?<!\\)\]\(<([^>]*)>\)", str(discord["content"])):
        assert SAFE_LINK.match(target) or target == "#"
    plain = json.loads(json.dumps(webhook_payload(edition, "json", "")))
    assert plain["edition_id"] == "2026-11-29"


def assert_everything_inert(edition: Edition, payload: str) -> None:
    for name, (page, styles) in html_pages(edition).items():
        try:
            assert_inert_html(page, styles=styles)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error
    assert_inert_markdown(render_markdown(edition))
    text = render_text(edition)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    message = json.loads(edition.to_message().model_dump_json())
    urls = [i["url"] for s in message["sections"] for i in s["items"]]
    assert all(u == "#" or SAFE_LINK.match(u) for u in urls) or urls
    assert_inert_webhooks(edition)
    archive = render_archive([record(payload)], digest_name=f"D {payload}")
    assert_inert_html(archive, styles=1)
    for feed in (rss_feed, atom_feed):
        tree = ET.fromstring(feed([record(payload)], title=f"D {payload}", base_url="https://d"))
        assert not [e for e in tree.iter() if e.tag.rsplit("}", 1)[-1] in FORBIDDEN]


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_hostile_markup_is_inert_in_every_output(payload: str) -> None:
    assert_everything_inert(hostile_edition(payload), payload)


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_hostile_links_never_become_links(url: str) -> None:
    edition = hostile_edition("plain", url=url)
    assert_everything_inert(edition, "plain")
    parser = Elements()
    for page, _ in html_pages(edition).values():
        parser.feed(page)
    hrefs = [a["href"] for tag, a in parser.tags if tag == "a"]
    assert hrefs
    assert all(h.lower().startswith(("https://", "http://", "/", "#")) for h in hrefs)
    assert not [h for h in hrefs if h.startswith("//")]


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_hostile_markup_stays_quoted_in_the_llm_prompt(payload: str) -> None:
    _, user = build_messages(f"Paragraph {payload}\nLine two {payload}", f"Title {payload}")
    lines = user["content"].splitlines()
    assert all(line.startswith("> ") for line in lines[2:-1])
    assert json.loads(lines[0].removeprefix("Headline: ")) == f"Title {payload}"

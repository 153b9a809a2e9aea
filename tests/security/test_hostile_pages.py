"""Hostile pages through the real extractor (``extract``, as the worker runs it).

Every page ends in a clear refusal (``SkippedInput``) or an article whose every text field holds
only what XML 1.0 allows: never a crash.
"""

import re
import time

import pytest

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import ExtractedContent, extract
from tests.security.hostile import CONTROL_TITLES

SENTENCE = "The harbour authority tested a quieter electric ferry on the night crossing. "
BODY = f"<article><p>{SENTENCE * 6}</p><p>{SENTENCE * 5}</p></article>"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def page(title: str, body: str = BODY, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    )


def fields(content: ExtractedContent) -> list[str]:
    optional = (content.author, content.site_name, content.language, content.canonical_url)
    return [content.title, content.text, *content.authors, *(f for f in optional if f)]


def extracted_safely(html: str) -> ExtractedContent | None:
    """The article, checked XML-safe; None when the page was refused with its reason."""
    started = time.perf_counter()
    refusal: SkippedInput | None = None
    try:
        content = extract(html, "https://news.test/ferry")
    except SkippedInput as exc:
        refusal = exc
    assert time.perf_counter() - started < 10
    if refusal is not None:
        assert str(refusal).startswith("extract: ")
        return None
    bad = [f for f in fields(content) if _NOT_XML.search(f)]
    assert bad == []
    return content


@pytest.mark.parametrize("title", CONTROL_TITLES.values(), ids=CONTROL_TITLES.keys())
def test_titles_with_control_characters(title: str) -> None:
    content = extracted_safely(page(title))
    if title.startswith("Ferry\x00"):  # a NUL in the head: refused as binary, or stripped
        return
    assert content is not None
    assert content.title.startswith("Ferry")
    assert content.title.endswith("trial")


@pytest.mark.parametrize(
    "body",
    [
        f"<article><p>{SENTENCE * 6}</p><p>a<br>\x01b<br>\x1fc {SENTENCE * 5}</p></article>",
        f"<article><p>{SENTENCE * 11}\x00\x07\x1b</p></article>",
        f"<article><p>{SENTENCE * 11}</p><p>\ud83d half a surrogate pair</p></article>",
    ],
    ids=["after-br", "nul-bell-esc-in-text", "lone-surrogate-in-text"],
)
def test_bodies_with_control_characters(body: str) -> None:
    content = extracted_safely(page("Ferry trial", body))
    if "\x00" not in body:  # a NUL near the top may be refused as binary content
        assert content is not None


HOSTILE_TITLES = {
    "script-tag": "<script>alert(1)</script>Ferry trial",
    "escaped-script": "&lt;script&gt;alert(1)&lt;/script&gt; Ferry trial",
    "img-onerror": '<img src=x onerror="alert(1)">Ferry trial',
    "svg-onload": "<svg onload=alert(1)>Ferry trial",
    "closing-title-early": "Ferry</title><script>alert(1)</script>trial",
    "javascript-url": "javascript:alert(1)",
    "bidi-override": "Ferry \u202etrial\u202c",
    "zero-width": "Fe\u200brry\u200d tri\ufeffal",
    "very-long": "Ferry trial " * 20_000,
    "only-controls": "\x01\x02\x03",
    "empty": "",
    "cdata": "<![CDATA[Ferry]]> trial",
    "crlf-header-injection": "Ferry\r\nX-Injected: 1\r\n\r\ntrial",
}


@pytest.mark.parametrize("title", HOSTILE_TITLES.values(), ids=HOSTILE_TITLES.keys())
def test_hostile_titles(title: str) -> None:
    # A title is text (HTML reads <title> as text): the outputs escape it, so it stays as written.
    assert extracted_safely(page(title)) is not None


HOSTILE_MARKUP = {
    "unclosed-everything": f"<article><p>{SENTENCE * 11}<div><span><b><i><table><tr><td>",
    "stray-closers": f"</div></p></article><article><p>{SENTENCE * 11}</p></td></tr>",
    "comment-tricks": f"<!--><article><p>{SENTENCE * 11}</p></article><!-- --!><!-",
    "script-in-text": f"<article><p>{SENTENCE * 11}<script>alert(1)</script></p></article>",
    "event-handlers": f'<article onload="x()"><p onclick="y()">{SENTENCE * 11}</p></article>',
    "svg-and-math": f"<article><svg><script>a()</script></svg><math>x</math><p>{SENTENCE * 11}</p>",
    "css-expression": f'<article style="width:expression(alert(1))"><p>{SENTENCE * 11}</p>',
    "javascript-and-data-links": (
        f'<article><p><a href="javascript:alert(1)">x</a> <a href="data:text/html,x">y</a>'
        f"{SENTENCE * 11}</p></article>"
    ),
    "deep-nesting": "<div>" * 20_000 + f"<p>{SENTENCE * 11}</p>" + "</div>" * 20_000,
    "binary-garbage": "\x89PNG\r\n\x1a\n" + "\x00\x01\x02\x03" * 2_000,
    "no-markup": "just words " * 500,
    "xml-entity-bomb": (
        '<?xml version="1.0"?><!DOCTYPE h [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        f"<html><body><p>&b;&b;&b; {SENTENCE * 11}</p></body></html>"
    ),
}


@pytest.mark.parametrize("markup", HOSTILE_MARKUP.values(), ids=HOSTILE_MARKUP.keys())
def test_hostile_markup(markup: str) -> None:
    html = markup if markup.startswith(("<?xml", "\x89", "just")) else page("Ferry", markup)
    content = extracted_safely(html)
    if content is not None:
        assert "alert(1)" not in content.text
        assert "aaaaaaaaaa" not in content.text  # entities of a DTD are never expanded

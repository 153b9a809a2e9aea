"""Bad input: each page ends with a clear reason (SkippedInput) or a correct result."""

import re
import time

import pytest

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import extract
from devoured_extractor.guards import decode_bytes

SENTENCE = "The ferry operator tested a quieter electric engine on the night crossing. "
ARTICLE = f"<article><h1>Ferry trial</h1><p>{SENTENCE * 6}</p><p>{SENTENCE * 5}</p></article>"


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{body}</body></html>'


@pytest.mark.parametrize("html", ["", " \n\t ", "\ufeff"])
def test_empty_document(html: str) -> None:
    with pytest.raises(SkippedInput, match="empty document"):
        extract(html)


def test_non_html_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    with pytest.raises(SkippedInput, match="not HTML"):
        extract(decode_bytes(png))


def test_plain_text_is_not_html() -> None:
    with pytest.raises(SkippedInput, match="not HTML"):
        extract("just some words " * 100)


def test_twenty_megabyte_page_of_script_still_yields_its_article() -> None:
    blob = "<script>var x = '" + "a" * 20_000_000 + "';</script>"
    started = time.perf_counter()
    content = extract(page(blob + ARTICLE))
    assert time.perf_counter() - started < 15  # a generous bound; the hard limit is elsewhere
    assert "quieter electric engine" in content.text


def test_twenty_megabyte_page_of_markup_is_refused_with_the_size() -> None:
    html = page("<p>word word word</p>" * 1_000_000)
    assert len(html) > 20_000_000
    with pytest.raises(SkippedInput, match="too large"):
        extract(html)


def test_nesting_ten_thousand_levels_deep_keeps_the_text_around_it() -> None:
    deep = "<div>" * 10_000 + "<p>Deep inside.</p>" + "</div>" * 10_000
    content = extract(page(f"<article><p>{SENTENCE * 6}</p>{deep}<p>{SENTENCE * 5}</p></article>"))
    assert content.word_count >= 100


def test_nesting_of_non_container_tags_is_refused_with_the_reason() -> None:
    deep = "<b>" * 10_000 + "x" + "</b>" * 10_000
    with pytest.raises(SkippedInput, match="nesting deeper"):
        extract(page(f"<p>{SENTENCE * 6}</p>{deep}"))


def test_charset_that_lies_is_corrected() -> None:
    text = "Café owners in Zürich said the naïve plan would cost 5 € per cup. " * 8
    html = page(f"<article><p>{text}</p></article>", '<meta charset="iso-8859-1">')
    raw = html.encode("utf-8")  # declared latin-1, really UTF-8
    assert "Café owners in Zürich" in extract(decode_bytes(raw)).text
    mojibake = raw.decode("cp1252", errors="replace")  # what a naive decoder upstream made
    assert "Café owners in Zürich" in extract(mojibake).text


def test_broken_charset_name_falls_back() -> None:
    html = page(f"<article><p>{SENTENCE * 8} Señor.</p></article>", '<meta charset="x-bogus">')
    raw = html.encode("latin-1")
    assert "Señor" in extract(decode_bytes(raw)).text


def test_xml_declaration_with_encoding_is_accepted() -> None:
    html = "<?xml version='1.0' encoding='utf-8'?>" + page(ARTICLE)
    assert "electric engine" in extract(html).text


def test_javascript_only_shell() -> None:
    shell = page('<div id="root"></div><script src="/app.js"></script><script>boot()</script>')
    with pytest.raises(SkippedInput, match="JavaScript-only shell"):
        extract(shell)


def test_paywall_teaser_is_marked_paywalled() -> None:
    teaser = f"<article><p>{SENTENCE * 4}</p></article>"
    wall = '<div class="paywall"><p>Subscribe to continue reading.</p></div>'
    content = extract(page(teaser + wall))
    assert content.paywalled
    assert "Subscribe" not in content.text


def test_long_article_with_a_subscribe_box_is_not_paywalled() -> None:
    body = f"<article><p>{SENTENCE * 30}</p></article>"
    content = extract(page(body + '<div class="paywall">Subscribe to continue reading</div>'))
    assert not content.paywalled


def test_japanese_page() -> None:
    first = "市議会は火曜日、老朽化した水道管を交換する計画を承認した。" * 6
    second = "工事は来年の春に始まり、三つの段階に分けて進められる予定である。" * 6
    html = (
        "<html><head><title>水道管の交換計画 | 港新聞</title></head><body><article>"
        f"<h1>水道管の交換計画</h1><p>{first}</p><p>{second}</p></article></body></html>"
    )
    content = extract(html)
    assert content.language == "ja"
    assert content.title == "水道管の交換計画"
    assert "老朽化した水道管" in content.text
    assert content.word_count > 300


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def test_control_characters_in_title_and_text_are_stripped_not_fatal() -> None:
    """A ``<title>`` with \\x01 and a control character after a <br> used to crash lxml
    ("All strings must be XML compatible"); issue 13."""
    head = "<title>Ferry\x01 trial\x0b</title><meta name='author' content='Eve\x02 Doe'>"
    body = f"<article><p>{SENTENCE * 6}</p><p>line<br>after\x01 the\x1f break {SENTENCE}</p>"
    content = extract(page(body + "</article>", head=head), "https://news.test/ferry")
    assert content.title == "Ferry trial"
    assert content.author == "Eve Doe"
    assert "after the break" in content.text
    fields = [content.title, content.text, *content.authors, content.site_name or ""]
    assert not any(_NOT_XML.search(field) for field in fields)

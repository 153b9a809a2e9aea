"""Hostile XML through the fetcher's real parsers: feeds (``parse_document``), OPML
(``parse_opml``) and sitemaps (``parse_document``, as a polled sitemap is read).

Every entity trick is refused, in every encoding, with ``UnsafeXml`` or as malformed; never
expanded, never a crash, never a hang.
"""

import time

import pytest

from devoured_core.errors import PermanentError
from devoured_fetcher.feeds import ParsedFeed, parse_document
from devoured_fetcher.opml import OpmlFeed, parse_opml
from devoured_fetcher.xmlsafe import UnsafeXml
from tests.security.hostile import (
    DTDS,
    ENCODINGS,
    KINDS,
    Encoding,
    deep_document,
    huge_feed,
    xml_document,
)

BASE = "https://a.test/feed"


def read(kind: str, body: bytes) -> ParsedFeed | list[OpmlFeed]:
    return parse_opml(body) if kind == "opml" else parse_document(body, BASE)


@pytest.mark.parametrize("encoding", ENCODINGS, ids=lambda e: e.id)
@pytest.mark.parametrize("attack", sorted(DTDS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_entity_tricks_are_refused_in_every_encoding(
    kind: str, attack: str, encoding: Encoding
) -> None:
    body = encoding.encode(xml_document(kind, attack))
    started = time.perf_counter()
    with pytest.raises(PermanentError) as refused:
        read(kind, body)
    assert time.perf_counter() - started < 2
    # Refused as unsafe wherever the parser can read the document. Expat cannot read UTF-32
    # (an OPML file in UTF-32 is malformed; feeds and sitemaps are decoded first), and a
    # lower-case <!doctype is no XML: both are refused as malformed.
    unreadable = kind == "opml" and encoding.codec.startswith("utf-32")
    if unreadable or attack.startswith("lowercase"):
        assert isinstance(refused.value, UnsafeXml) or "malformed" in str(refused.value)
    else:
        assert isinstance(refused.value, UnsafeXml), refused.value


@pytest.mark.parametrize("encoding", ENCODINGS, ids=lambda e: e.id)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_same_documents_without_tricks_are_read(kind: str, encoding: Encoding) -> None:
    body = encoding.encode(xml_document(kind, None))
    if kind == "opml" and encoding.codec.startswith("utf-32"):
        with pytest.raises(PermanentError, match="malformed"):
            read(kind, body)
        return
    result = read(kind, body)
    entries = result if isinstance(result, list) else result.entries
    assert len(entries) == 1


@pytest.mark.parametrize("kind", ["rss", "opml", "sitemap"])
def test_deep_nesting_is_read_or_refused_without_a_crash(kind: str) -> None:
    started = time.perf_counter()
    try:
        result = read(kind, deep_document(kind, 50_000))
    except PermanentError:
        pass
    else:
        entries = result if isinstance(result, list) else result.entries
        assert len(entries) <= 1
    assert time.perf_counter() - started < 10


def test_huge_feed_is_read_in_bounded_time() -> None:
    body = huge_feed(5_000)  # about 1.2 MB
    started = time.perf_counter()
    parsed = parse_document(body, BASE)
    assert len(parsed.entries) == 5_000
    assert time.perf_counter() - started < 15


@pytest.mark.parametrize(
    "body",
    [
        b"<rss version='2.0'><channel><item><link>http://[::1</link></item>"
        b"<item><link>http://a.test:99999/x</link></item>"
        b"<item><link>javascript:alert(1)</link></item>"
        b"<item><link>file:///etc/passwd</link></item>"
        b"<item><link>data:text/html,hi</link></item>"
        b"<item><link>https://a.test/ok</link></item></channel></rss>",
    ],
    ids=["unfetchable-links"],
)
def test_entries_with_links_we_cannot_fetch_are_dropped(body: bytes) -> None:
    parsed = parse_document(body, BASE)
    assert [e.link for e in parsed.entries] == ["https://a.test/ok"]
    assert parsed.dropped == 5

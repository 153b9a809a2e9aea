"""Feed parsing on RSS 2.0, Atom and RSS 1.0 documents from tests/testdata/feeds/."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from devoured_core.errors import PermanentError
from devoured_fetcher.feeds import MalformedFeed, parse_feed
from devoured_fetcher.opml import parse_opml
from devoured_fetcher.xmlsafe import UnsafeXml

FEEDS = Path(__file__).parents[2] / "testdata" / "feeds"
BASE = "https://feeds.example.com/path/feed.xml"


def parse(name: str, base_url: str = BASE) -> list:  # type: ignore[type-arg]
    return parse_feed((FEEDS / name).read_bytes(), base_url)


def test_rss2_entries_with_metadata() -> None:
    entries = parse("rss2.xml")
    first = entries[0]
    assert first.title == "Shipping a columnar cache in three weeks"
    assert first.link == "https://blog.lantern.test/posts/columnar-cache?utm_source=rss"
    assert first.guid == "lantern-post-101"
    assert first.published_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert first.categories == ["databases", "performance"]


def test_rss2_summary_is_plain_text_with_collapsed_whitespace() -> None:
    assert parse("rss2.xml")[0].summary == "How we rebuilt the cache & cut p99 latency."


def test_rss2_dates_with_offsets_become_utc() -> None:
    second = parse("rss2.xml")[1]
    assert second.published_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_relative_links_resolve_against_the_base_url() -> None:
    links = [e.link for e in parse("rss2.xml", base_url="https://mirror.example.org/x/feed")]
    assert "https://mirror.example.org/posts/relative-link" in links


def test_entries_without_http_links_are_dropped_and_duplicates_kept_once() -> None:
    entries = parse("rss2.xml")
    assert [e.title for e in entries] == [
        "Shipping a columnar cache in three weeks",
        "Relative links are resolved",
    ]
    assert len({e.link for e in entries}) == len(entries)


def test_atom_entries() -> None:
    entries = parse("atom.xml")
    assert [e.link for e in entries] == [
        "https://orchard.test/notes/cold-atoms",
        "https://feeds.example.com/path/notes/updated-only",
    ]
    cold = entries[0]
    assert cold.title == "Cold atoms in a warm room"
    assert cold.guid == "tag:orchard.test,2026:cold-atoms"
    assert cold.published_at == datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
    assert cold.summary == "Laser cooling outside the lab, explained."
    assert cold.categories == ["physics"]


def test_atom_entry_without_published_falls_back_to_updated() -> None:
    updated_only = parse("atom.xml")[1]
    assert updated_only.published_at == datetime(2026, 11, 26, 16, 45, tzinfo=UTC)


def test_rss1_entries() -> None:
    entries = parse("rss1.xml")
    assert [e.title for e in entries] == ["Issue 41: granite and gravel", "Issue 42: slate"]
    assert entries[0].link == "https://quarry.test/weekly/41"
    assert entries[0].published_at == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert entries[0].categories == ["geology"]
    assert entries[1].summary is None


def test_malformed_xml_raises_malformed_feed() -> None:
    with pytest.raises(MalformedFeed):
        parse("malformed.xml")


def test_malformed_feed_is_permanent() -> None:
    assert issubclass(MalformedFeed, PermanentError)


def test_html_page_served_as_feed_is_rejected() -> None:
    with pytest.raises(MalformedFeed):
        parse("html_page.xml")


def test_well_formed_xhtml_is_not_a_feed() -> None:
    body = b"<html><body><p>Hello</p><a href='/a'>a link</a></body></html>"
    with pytest.raises(MalformedFeed, match="HTML page"):
        parse_feed(body, BASE)


@pytest.mark.parametrize("body", [b"   \n", b"hello", b'{"not": "xml"}'])
def test_non_xml_bodies_are_rejected(body: bytes) -> None:
    with pytest.raises(MalformedFeed):
        parse_feed(body, BASE)


def test_empty_body_is_rejected() -> None:
    with pytest.raises(MalformedFeed):
        parse_feed(b"", BASE)


def test_valid_feed_without_items_has_no_entries() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse_feed(body, BASE) == []


def test_utf16_opml_and_sitemap_cannot_declare_entities() -> None:
    """The old check looked for ASCII "<!DOCTYPE" only (issue 13); the corpus in
    tests/security/test_hostile_xml.py runs every encoding."""
    dtd = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    opml = (
        f'<?xml version="1.0" encoding="utf-16"?>{dtd}'
        '<opml><body><outline text="&b;"/></body></opml>'
    )
    with pytest.raises(UnsafeXml):
        parse_opml(opml.encode("utf-16"))
    sitemap = (
        f'<?xml version="1.0" encoding="utf-16"?>{dtd}<urlset><url><loc>&b;</loc></url></urlset>'
    )
    with pytest.raises(UnsafeXml):
        parse_feed(sitemap.encode("utf-16"), BASE)


def test_feeds_with_a_plain_doctype_or_entity_text_in_cdata_are_still_read() -> None:
    netscape = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        b"<title>T</title><item><title>Old</title><link>https://a.test/old</link></item>"
        b"</channel></rss>"
    )
    assert [e.link for e in parse_feed(netscape, BASE)] == ["https://a.test/old"]
    xxe_post = (
        b'<rss version="2.0"><channel><title>T</title><item><title>XXE explained</title>'
        b'<link>https://a.test/xxe</link><description><![CDATA[<!ENTITY x SYSTEM "file:///">]]>'
        b"</description></item></channel></rss>"
    )
    assert [e.link for e in parse_feed(xxe_post, BASE)] == ["https://a.test/xxe"]

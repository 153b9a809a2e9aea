"""Sanitising untrusted text, links, feeds and the email-safe page."""

from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from devoured_core.model import EditionRecord
from devoured_publisher.edition import assemble_edition
from devoured_publisher.feeds import atom_feed, rss_feed
from devoured_publisher.pages import render_email_html
from devoured_publisher.sanitize import plain_text, safe_url
from tests.unit.samples import story


def test_plain_text_drops_tags_script_content_and_comments() -> None:
    hostile = 'Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)"><!-- c -->!'
    assert plain_text(hostile) == "Hi there!"
    assert plain_text("Fish & chips < 5 pounds") == "Fish & chips < 5 pounds"
    assert plain_text("no markup at all") == "no markup at all"


def test_safe_url_keeps_only_absolute_http_links() -> None:
    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "/relative",
        "vbscript:x",
        "http://",
    ):
        assert safe_url(bad) == "#"


def test_email_html_uses_tables_and_inline_styles_only() -> None:
    edition = assemble_edition(
        [story("a", title="Alpha <script>")], digest_name="D", day=date(2026, 11, 29)
    )
    html = render_email_html(edition)
    assert "<table" in html
    assert "<style" not in html
    assert "<script" not in html
    assert "Alpha &lt;script&gt;" in html


def _record(day: int) -> EditionRecord:
    return EditionRecord(
        edition_id=f"2026-11-{day}",
        edition_date=date(2026, 11, day),
        title=f"D - November {day}, 2026",
        overview="O & <b>",
        item_count=1,
        markdown="",
        html="",
        content_hash="",
        built_at=datetime(2026, 11, day, tzinfo=UTC),
    )


def test_feeds_are_valid_xml_listing_editions() -> None:
    records = [_record(28), _record(29)]
    rss = ET.fromstring(rss_feed(records, title="D", base_url="https://d.example"))
    assert [i.findtext("link") for i in rss.iter("item")] == [
        "https://d.example/editions/2026-11-28",
        "https://d.example/editions/2026-11-29",
    ]
    assert rss.findtext("channel/item/description") == "O & <b>"
    atom = ET.fromstring(atom_feed(records, title="D", base_url="https://d.example"))
    ns = "{http://www.w3.org/2005/Atom}"
    assert atom.findtext(f"{ns}updated") == "2026-11-29T00:00:00+00:00"
    assert len(atom.findall(f"{ns}entry")) == 2


def test_webhook_payloads_for_slack_discord_and_json() -> None:
    from devoured_publisher.delivery import webhook_payload
    from devoured_publisher.signature import sign

    edition = assemble_edition([story("a", title="Alpha")], digest_name="D", day=date(2026, 11, 29))
    slack = webhook_payload(edition, "slack", "https://d.example")
    assert "<https://" in str(slack["text"])
    assert "https://d.example/editions/2026-11-29" in str(slack["text"])
    discord = webhook_payload(edition, "discord", "")
    assert len(str(discord["content"])) <= 2000
    assert webhook_payload(edition, "json", "")["edition_id"] == "2026-11-29"
    assert sign(b"body", "k", 1) != sign(b"body", "other", 1) != sign(b"Body", "k", 1)
    assert sign(b"body", "k", 1) != sign(b"body", "k", 2)

"""RSS and Atom stay valid XML whatever the editions' text holds (issue 13)."""

from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from devoured_core.model import EditionRecord
from devoured_publisher.feeds import atom_feed, rss_feed

ATOM = "{http://www.w3.org/2005/Atom}"


def _hostile_record() -> EditionRecord:
    return EditionRecord(
        edition_id="2026-11-29",
        edition_date=date(2026, 11, 29),
        title="D\x01 - November 29, 2026\x0b",
        overview="Ferry\x02 trial \ud800ends\ufffe & <b>",
        item_count=1,
        markdown="",
        html="",
        content_hash="",
        built_at=datetime(2026, 11, 29, tzinfo=UTC),
    )


def test_rss_with_control_characters_in_titles_is_valid_xml() -> None:
    rss = ET.fromstring(rss_feed([_hostile_record()], title="Dai\x1fly", base_url="https://d.test"))
    assert rss.findtext("channel/title") == "Daily"
    assert rss.findtext("channel/item/title") == "D - November 29, 2026"
    assert rss.findtext("channel/item/description") == "Ferry trial ends & <b>"


def test_atom_with_control_characters_in_titles_is_valid_xml() -> None:
    atom = ET.fromstring(atom_feed([_hostile_record()], title="Daily", base_url="https://d.test"))
    assert atom.findtext(f"{ATOM}entry/{ATOM}title") == "D - November 29, 2026"
    assert atom.findtext(f"{ATOM}entry/{ATOM}summary") == "Ferry trial ends & <b>"

"""Assembling an edition: title, section order, ranking and overview."""

from datetime import date, timedelta

from devoured_publisher.edition import assemble_edition, edition_title, overview
from devoured_publisher.sections import QUICK_LINKS
from tests.unit.samples import WHEN, story

DAY = date(2026, 11, 29)


def test_title_format() -> None:
    assert edition_title("Devoured Daily", DAY) == "Devoured Daily - November 29, 2026"
    assert edition_title("Morning Bits", date(2027, 3, 5)) == "Morning Bits - March 5, 2027"


def test_edition_identity_and_counts() -> None:
    edition = assemble_edition([story("a"), story("b")], digest_name="Devoured Daily", day=DAY)
    assert (edition.edition_id, edition.edition_date) == ("2026-11-29", DAY)
    assert edition.title == "Devoured Daily - November 29, 2026"
    assert edition.item_count == 2


def test_sections_follow_the_standard_order_whatever_the_arrival_order() -> None:
    stories = [
        story("q", section=QUICK_LINKS, deep_dive=[]),
        story("o", section=None),
        story("c", section="Crypto and Fintech"),
        story("local", section="Local"),
        story("s", section="Security"),
        story("a", section="AI"),
    ]
    edition = assemble_edition(stories, digest_name="D", day=DAY)
    assert [name for name, _ in edition.sections] == [
        "AI",
        "Security",
        "Crypto and Fintech",
        "Other News",
        "Local",
        QUICK_LINKS,
    ]


def test_stories_are_ranked_by_weight_then_recency() -> None:
    stories = [
        story("old-light", source_weight=1.0, published_at=WHEN - timedelta(hours=20)),
        story("new-light", source_weight=1.0, published_at=WHEN),
        story("old-heavy", source_weight=3.0, published_at=WHEN - timedelta(hours=20)),
    ]
    [(_, ranked)] = assemble_edition(stories, digest_name="D", day=DAY).sections
    assert [s.article_id for s in ranked] == ["old-heavy", "new-light", "old-light"]


def test_ties_are_broken_by_article_id() -> None:
    stories = [story("b"), story("c"), story("a")]
    [(_, ranked)] = assemble_edition(stories, digest_name="D", day=DAY).sections
    assert [s.article_id for s in ranked] == ["a", "b", "c"]


def test_overview_is_one_paragraph_from_the_top_stories_tldrs() -> None:
    top = story("top", section="Science", source_weight=5.0, tldr="Tides turned into power")
    stories = [
        story("ai", section="AI", tldr="The new model is half the size."),
        top,
        story("sec", section="Security", source_weight=0.5, tldr="Routers need a patch."),
        story("ql", section=QUICK_LINKS, title="A link only", deep_dive=[], tldr="Link only."),
    ]
    text = assemble_edition(stories, digest_name="D", day=DAY).overview
    assert text == (
        "Tides turned into power. Elsewhere, the new model is half the size. "
        "And Routers need a patch."
    )
    assert "\n" not in text
    assert "Also in this edition" not in text


def test_overview_names_at_most_three_stories_one_per_section() -> None:
    stories = [
        story(n, section=s, source_weight=w, tldr=f"Fact {n}.")
        for n, s, w in [("1", "AI", 4), ("2", "AI", 3), ("3", "Security", 2), ("4", "Science", 1)]
    ]
    text = assemble_edition(stories, digest_name="D", day=DAY).overview
    assert text == "Fact 1. Elsewhere, Fact 3. And Fact 4."


def test_overview_of_quick_links_only_uses_them() -> None:
    only = story("q", section=QUICK_LINKS, deep_dive=[], tldr="Just a link today!")
    assert assemble_edition([only], digest_name="D", day=DAY).overview == "Just a link today!"


def test_empty_edition() -> None:
    edition = assemble_edition([], digest_name="D", day=DAY)
    assert (edition.sections, edition.item_count) == ([], 0)
    assert overview([]) == "No stories today."


def test_to_message_carries_sections_and_items() -> None:
    edition = assemble_edition(
        [story("a", section="AI"), story("b", section=QUICK_LINKS)], digest_name="D", day=DAY
    )
    message = edition.to_message()
    assert message.edition_id == "2026-11-29"
    assert message.date == DAY
    assert message.item_count == 2
    assert [(s.name, [i.article_id for i in s.items]) for s in message.sections] == [
        ("AI", ["a"]),
        (QUICK_LINKS, ["b"]),
    ]
    item = message.sections[0].items[0]
    assert (item.url, item.tldr, item.reading_minutes) == (
        "https://news.example.com/a",
        "Something happened in story a.",
        4,
    )

"""Rendering an edition as Markdown, plain text (the seed's layout) and escaped HTML."""

import json
from datetime import date
from html.parser import HTMLParser

from devoured_core.messages import DecoderTerm
from devoured_core.model import Story
from devoured_publisher.edition import Edition, assemble_edition
from devoured_publisher.pages import render_html
from devoured_publisher.render import (
    headline,
    render_json,
    render_markdown,
    render_text,
)
from devoured_publisher.sections import QUICK_LINKS
from tests.unit.samples import story

DAY = date(2026, 11, 29)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def edition_of(*stories_: Story) -> Edition:
    return assemble_edition(list(stories_), digest_name="Devoured Daily", day=DAY)


def turbine_story() -> Story:
    return story(
        "t1",
        section="Science",
        title="Tidal turbines beat forecasts",
        url="https://news.example.com/tidal",
        reading_minutes=6,
        tldr="Tidal turbines in Harbour City produced more power than forecast.",
        deep_dive=["Output beat the forecast by 8%.", "Barnacles were the main problem."],
        decoder=[DecoderTerm(term="LCOE", definition="Lifetime cost per unit of energy.")],
        text="First paragraph.\nSecond paragraph.",
    )


def test_headline_appends_reading_time() -> None:
    assert headline(story("x", title="Big news", reading_minutes=7)) == "Big news (7 minute read)"


def test_text_layout_matches_the_seed_format() -> None:
    text = render_text(edition_of(turbine_story()))
    assert text.splitlines()[0] == "Devoured Daily - November 29, 2026"
    block = "\n".join(
        [
            "SCIENCE",
            "",
            "Tidal turbines beat forecasts (6 minute read)",
            "Tidal turbines in Harbour City produced more power than forecast.",
            "Deep dive",
            "- Output beat the forecast by 8%.",
            "- Barnacles were the main problem.",
            "Decoder",
            "- LCOE: Lifetime cost per unit of energy.",
            "Original article",
            "First paragraph.",
            "Second paragraph.",
        ]
    )
    assert block in text
    assert text.endswith("Second paragraph.\n")


def test_text_omits_empty_deep_dive_and_decoder() -> None:
    text = render_text(edition_of(story("s", decoder=[])))
    assert "Deep dive" in text
    assert "Decoder" not in text
    assert "Original article" in text


def test_quick_links_show_headline_and_tldr_only() -> None:
    quick = story("q", section=QUICK_LINKS, deep_dive=[], tldr="Only the gist.")
    edition = edition_of(quick)
    for rendered in (render_text(edition), render_markdown(edition)):
        assert "Only the gist." in rendered
        assert "Story q (4 minute read)" in rendered
        assert "Original article" not in rendered
        assert "Paragraph one of q" not in rendered


def test_markdown_layout() -> None:
    md = render_markdown(edition_of(turbine_story()))
    lines = md.splitlines()
    assert lines[0] == "# Devoured Daily - November 29, 2026"
    assert "## Science" in lines
    assert (
        "### [Tidal turbines beat forecasts (6 minute read)](https://news.example.com/tidal)"
        in lines
    )
    order = [lines.index(h) for h in ("#### Deep dive", "#### Decoder", "#### Original article")]
    assert order == sorted(order)
    assert "- Output beat the forecast by 8%." in lines
    assert "- **LCOE**: Lifetime cost per unit of energy." in lines
    assert lines[lines.index("#### Original article") + 2] == "First paragraph."


def test_markdown_sections_in_edition_order() -> None:
    md = render_markdown(
        edition_of(story("q", section=QUICK_LINKS, deep_dive=[]), story("a", section="AI"))
    )
    assert md.index("## AI") < md.index(f"## {QUICK_LINKS}")


def test_markdown_keeps_list_items_together() -> None:
    md = render_markdown(edition_of(story("l", text="Intro.\n- one\n- two\nOutro.")))
    assert "Intro.\n\n- one\n- two\n\nOutro." in md


def test_markdown_neutralises_markup_in_article_text() -> None:
    md = render_markdown(edition_of(story("h", title="[click](evil)", text=HOSTILE)))
    assert "<script" not in md
    assert "<img" not in md
    assert "[click](evil)" not in md


def test_markdown_neutralises_markup_in_list_items_and_table_rows() -> None:
    md = render_markdown(edition_of(story("h", text=f"- {HOSTILE}\n| {HOSTILE} |")))
    assert "<script" not in md
    assert "<img" not in md


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_html_escapes_everything_taken_from_articles() -> None:
    hostile = story(
        "x",
        title=f"Title {HOSTILE}",
        source_name=f"Source {HOSTILE}",
        tldr=f"TL;DR {HOSTILE}",
        deep_dive=[f"Bullet {HOSTILE}"],
        decoder=[DecoderTerm(term=f"Term {HOSTILE}", definition=f"Def {HOSTILE}")],
        text=f"Para {HOSTILE}\n- {HOSTILE}",
        url='https://news.example.com/a" onmouseover="alert(2)',
    )
    html = render_html(edition_of(hostile))
    parser = _Tags()
    parser.feed(html)
    assert "<script" not in html
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert not {"onerror", "onmouseover"} & set(parser.attributes)
    assert "&lt;script&gt;" in html


def test_html_contains_the_story_parts() -> None:
    html = render_html(edition_of(turbine_story()))
    assert "<title>Devoured Daily - November 29, 2026</title>" in html
    assert "Tidal turbines beat forecasts (6 minute read)" in html
    assert 'href="https://news.example.com/tidal"' in html
    for part in ("Deep dive", "Decoder", "Original article", "<p>Second paragraph.</p>"):
        assert part in html


def test_json_is_the_digest_message() -> None:
    payload = json.loads(render_json(edition_of(turbine_story())))
    assert payload["title"] == "Devoured Daily - November 29, 2026"
    assert payload["item_count"] == 1
    assert payload["sections"][0]["items"][0]["article_id"] == "t1"

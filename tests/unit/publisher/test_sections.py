"""Which section a story lands in."""

from pathlib import Path

import pytest

from devoured_publisher.sections import QUICK_LINKS, SECTION_ORDER, section_for


def section(
    *,
    source_section: str | None = None,
    tags: list[str] | None = None,
    title: str = "",
    text: str = "",
    has_deep_dive: bool = True,
) -> str:
    return section_for(
        source_section=source_section,
        tags=tags or [],
        title=title,
        text=text,
        has_deep_dive=has_deep_dive,
    )


def test_story_without_deep_dive_is_a_quick_link_whatever_its_source_says() -> None:
    assert section(source_section="AI", tags=["ai"], has_deep_dive=False) == QUICK_LINKS


def test_source_section_wins_over_tags_and_keywords() -> None:
    assert section(source_section="Security", tags=["ai"], title="A new LLM") == "Security"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("AI", "AI"),
        (" security ", "Security"),
        ("Startups", "Big Tech and Startups"),
        ("big tech", "Big Tech and Startups"),
        ("Fintech", "Crypto and Fintech"),
        ("design", "Programming, Design and Data"),
        ("Science", "Science"),
    ],
)
def test_tag_naming_a_section_picks_it(tag: str, expected: str) -> None:
    assert section(tags=["unrelated", tag], title="Nothing to see") == expected


def test_tags_beat_keywords() -> None:
    assert section(tags=["Security"], title="Python, Rust and JavaScript compilers") == "Security"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ransomware gang leaks data from a breach at a freight company", "Security"),
        ("Startup raises Series B funding at a record valuation", "Big Tech and Startups"),
        ("Quantum physics study sets a record", "Science"),
        ("Stablecoin issuer and bank team up on blockchain payments", "Crypto and Fintech"),
        ("A new LLM beats GPU inference benchmarks", "AI"),
        ("Rust compiler speeds up Python bindings", "Programming, Design and Data"),
    ],
)
def test_keywords_pick_the_section_with_most_hits(title: str, expected: str) -> None:
    assert section(title=title) == expected


def test_keywords_match_whole_words_only() -> None:
    assert section(title="The chair said she would maintain the rainforest trail") == "Other News"


def test_title_counts_more_than_body_text() -> None:
    text = "The security team wrote about it."
    assert section(title="Bitcoin", text=text) == "Crypto and Fintech"


def test_nothing_recognisable_is_other_news() -> None:
    assert section(title="Local bakery wins pie contest", text="Crust was flaky.") == "Other News"


def test_standard_order_ends_with_other_news_and_quick_links() -> None:
    assert SECTION_ORDER[0] == "AI"
    assert SECTION_ORDER[-2:] == ("Other News", QUICK_LINKS)
    assert len(set(SECTION_ORDER)) == len(SECTION_ORDER)


def test_sections_file_sets_names_keywords_and_order(tmp_path: Path) -> None:
    from devoured_publisher.sections import section_for, section_order
    from devoured_publisher.settings import load_sections

    path = tmp_path / "sections.yaml"
    path.write_text("sections:\n  Energy: [battery, grid]\n  Chips: [accelerator]\n")
    sections = load_sections(path)
    assert section_order(sections) == ("Energy", "Chips", "Other News", "Quick Links")
    chosen = section_for(
        source_section=None,
        tags=[],
        title="New accelerator",
        text="An accelerator for inference.",
        has_deep_dive=True,
        sections=sections,
    )
    assert chosen == "Chips"

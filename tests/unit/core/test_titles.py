"""Headlines without the site's name around them: our own examples (the dev-set pages are
checked in tests/unit/extractor/test_real_pages.py)."""

import pytest

from devoured_core.titles import clean_title


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        (
            "Harbour turbines pass their first winter | my6sense",
            "my6sense",
            None,
            "Harbour turbines pass their first winter",
        ),
        (
            "Apple ships a quieter fan - 9to5Mac",
            None,
            "https://9to5mac.com/2026/fan",
            "Apple ships a quieter fan",
        ),
        (
            "Tidewatch: Council approves the second turbine field",
            "Tidewatch",
            None,
            "Council approves the second turbine field",
        ),
        (
            "BBC News - Ferry timetable changes for the winter",
            "BBC News",
            None,
            "Ferry timetable changes for the winter",
        ),
        # the site's name goes; a blog's name inside it is not known to be one, so it stays
        (
            "Grid upgrade delayed again - Real Time Brussels - WSJ",
            "WSJ.com",
            None,
            "Grid upgrade delayed again - Real Time Brussels",
        ),
        (
            "Bush to Saudis: more oil please - World - CBN News",
            None,
            "http://www.cbn.com/x",
            "Bush to Saudis: more oil please - World",
        ),
        # no site known: a short trailing segment after a long enough headline
        (
            "Turbine blades, explained in five short pictures — The Harbour Times",
            None,
            None,
            "Turbine blades, explained in five short pictures",
        ),
    ],
)
def test_site_segments_are_removed(
    title: str, site: str | None, url: str | None, expected: str
) -> None:
    assert clean_title(title, site_name=site, url=url) == expected


@pytest.mark.parametrize(
    ("title", "site", "url"),
    [
        ("Rust 2.0: what changes for embedded developers", "The Harbour Times", None),
        ("State-of-the-art tidal turbines - a review of five designs", None, None),
        ("Japan - Relations with the United States", None, None),
        (
            "The School of Management at Harbour University - Programs",
            None,
            "https://harbour.edu/som",
        ),
        ("AC/DC at the harbour", None, None),
    ],
)
def test_headlines_that_merely_contain_a_separator_are_kept(
    title: str, site: str | None, url: str | None
) -> None:
    assert clean_title(title, site_name=site, url=url) == title


def test_a_segment_mentioning_the_site_goes_only_if_a_headline_is_left() -> None:
    long_suffix = "Harbour Games News, Videos and Downloads at harbourgames.com"
    assert (
        clean_title(
            f"Turbine simulator gets a level editor - {long_suffix}",
            url="https://harbourgames.com/news/1",
        )
        == "Turbine simulator gets a level editor"
    )
    # nothing but the site's name and a word or two: the title stays whole
    assert clean_title("Harbourgames - News", url="https://harbourgames.com") == "News"
    assert clean_title("Harbourgames", url="https://harbourgames.com") == "Harbourgames"


def test_whitespace_is_collapsed_and_empty_stays_empty() -> None:
    assert clean_title("  Tides\n and   turbines  ") == "Tides and turbines"
    assert clean_title("   ") == ""

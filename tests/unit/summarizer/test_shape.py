"""Sizes that follow the article, headlines that state who did what, teasers and fragments."""

from bench.summary.sizes import fit_line
from bench.summary.unseen import from_opening, is_bare, is_quoted, pearson
from devoured_summarizer.extractive.glossary import glossary
from devoured_summarizer.extractive.shape import (
    MAX_BULLETS,
    bullet_count,
    headline_clause,
    is_byline,
    is_fragment,
    is_teaser,
    term_count,
)


def test_bullet_and_term_counts_grow_with_the_article_within_their_limits() -> None:
    counts = [bullet_count(words, 1_000) for words in (150, 300, 1_000, 3_000, 50_000)]
    assert counts == sorted(counts)
    assert counts[0] < counts[-1] == MAX_BULLETS
    assert bullet_count(3_000, 4) <= 3  # a short list of facts caps the count
    terms = [term_count(words) for words in (150, 1_000, 5_000)]
    assert terms == sorted(terms)
    assert terms[0] < terms[-1] <= 12


def test_a_headline_that_states_who_did_what_is_a_clause() -> None:
    assert headline_clause("Acme raises $48 million to put code review in the merge queue")
    assert headline_clause("Britain Deploys 1,200 More Troops for Olympics", {"Britain"})
    assert headline_clause("Amazon to invest up to another $25 billion in Anthropic")
    assert headline_clause("Why the grid is not ready for heat pumps") is None  # a teaser
    assert headline_clause("Postharvest Cooling and Handling of Blueberries") is None  # a label
    assert headline_clause("Is tidal power the answer?") is None


def test_teasers_and_personal_ledes_are_recognised() -> None:
    assert is_teaser("Have you ever wondered where your power comes from?")
    assert is_teaser("The masonry layout has been one of the most requested features in CSS.")
    assert is_teaser("Much has changed since I first visited the city in 1997.")
    assert not is_teaser("Harbour City will build a tidal power plant in its outer channel.")


def test_list_and_table_fragments_are_no_bullets() -> None:
    names = {"Acme"}
    assert is_fragment("Publish contamination analyses for every benchmark.", True, names)
    assert is_fragment("2024 | 3.1 | 4.5 | 6.0 | 7.2", False, names)
    assert not is_fragment("Acme cut its prices by a third in May.", True, names)
    assert not is_fragment("The council approved four turbines.", True, names)
    assert not is_fragment("Publish dates moved to Friday, the board said.", False, names)


def test_the_seed_era_glossary_entries_can_be_left_out() -> None:
    blind, everything = glossary(seen=False), glossary()
    assert len(blind) < len(everything)
    assert set(blind) <= set(everything)


def test_unseen_rates_count_what_they_say() -> None:
    text = "Acme raised $48 million on Monday to expand its review tool.\nIt plans two offices."
    assert from_opening("Acme raised $48 million on Monday to expand its review tool.", text)
    assert not from_opening("Acme plans two offices after raising money.", text)
    assert is_bare("KV", "Key-value")
    assert not is_bare("KV", "Key-value: a store that maps each key to a value")
    assert is_quoted("As the article puts it: Acme raised $48 million")
    assert abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-9
    assert fit_line([(0, 1), (1, 3), (2, 5)]) == (1.0, 2.0)


def test_bylines_datelines_and_time_stamps_are_no_bullets_or_tldrs() -> None:
    assert is_byline("By Dana on Thursday, May 1, 2003 - 12:36 pm:")
    assert is_byline("RAMALLAH, West Bank, Dec. 5 (AP) -")
    assert not is_byline("By contrast, the new engine runs twice as fast on every benchmark.")
    assert not is_byline("The launch is set for 9:30 am.")
    assert is_fragment("By Jane Roe and the Newsroom Staff.", False, set())

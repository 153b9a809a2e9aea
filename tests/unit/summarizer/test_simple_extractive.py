"""The simple extractive summariser, on text written for these tests."""

import pytest

from devoured_summarizer.simple_extractive import (
    BACKEND,
    MAX_TLDR_WORDS,
    find_terms,
    split_sentences,
    summarize,
)

ARTICLE = """Harbour City will build a tidal power plant in its outer channel by 2028.
The council approved a budget of 40 million euros for four seabed turbines on Monday.
Engineers expect the turbines to supply about 4.5 percent of the city's electricity.
However, critics say the maintenance costs of the turbines were underestimated.
A levelised cost of energy (LCOE) estimate puts tidal power above offshore wind.
The plant will connect to the grid through the old harbour substation.
Barnacle growth on rotor blades is a known problem for tidal turbines everywhere.
A spring tide is a tide with the greatest difference between high and low water.
The first turbine should be lowered into the water in the summer of 2027."""


# --- split_sentences ----------------------------------------------------------------------


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "Tools such as linters, e.g. ruff and flake8, catch bugs early. "
        "The U.S. market for them grew quickly last year. "
        "Dr. Lee and Mr. Park agreed with that entirely."
    )
    assert split_sentences(text) == [
        "Tools such as linters, e.g. ruff and flake8, catch bugs early.",
        "The U.S. market for them grew quickly last year.",
        "Dr. Lee and Mr. Park agreed with that entirely.",
    ]


def test_decimals_do_not_end_sentences() -> None:
    text = "Growth slowed to 3.5 percent in the third quarter. Prices rose by 0.25 points too."
    assert split_sentences(text) == [
        "Growth slowed to 3.5 percent in the third quarter.",
        "Prices rose by 0.25 points too.",
    ]


def test_question_and_exclamation_marks_end_sentences() -> None:
    text = (
        "Can tidal power ever compete on price? The council clearly thinks it can! "
        "Critics are much less sure about that."
    )
    assert split_sentences(text) == [
        "Can tidal power ever compete on price?",
        "The council clearly thinks it can!",
        "Critics are much less sure about that.",
    ]


def test_sentences_shorter_than_five_words_are_dropped() -> None:
    assert split_sentences("It works. This one has enough words in it.") == [
        "This one has enough words in it."
    ]


def test_list_items_are_sentences_without_their_dash() -> None:
    text = "- The first turbine arrives in May.\n- The second turbine follows in June."
    assert split_sentences(text) == [
        "The first turbine arrives in May.",
        "The second turbine follows in June.",
    ]


def test_each_line_splits_separately() -> None:
    text = "The first paragraph ends without a stop\nThe second paragraph is complete."
    assert split_sentences(text) == ["The second paragraph is complete."]


def test_headings_and_fragments_are_not_sentences() -> None:
    text = "Background\nWhat happens next\nToo short.\nThis line is a proper sentence."
    assert split_sentences(text) == ["This line is a proper sentence."]


def test_no_text_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("\n\n   \n") == []


def test_closing_quote_stays_with_its_sentence() -> None:
    text = 'The mayor said "We will build it by 2028." Then she left the meeting early.'
    assert split_sentences(text)[0] == 'The mayor said "We will build it by 2028."'


# --- summarize ----------------------------------------------------------------------------


def test_tldr_is_one_early_sentence_of_the_article() -> None:
    summary = summarize(ARTICLE, "Harbour City approves tidal power plant")
    assert summary.tldr in split_sentences(ARTICLE)[:3]
    assert len(split_sentences(summary.tldr)) == 1
    assert summary.backend == BACKEND


def test_tldr_has_at_most_the_word_limit_and_ends_with_an_ellipsis_when_cut() -> None:
    long = "The council " + " ".join(f"considered item{i}" for i in range(40)) + " today."
    summary = summarize(long + "\nA second short sentence follows the long one here.")
    words = summary.tldr.split()
    assert len(words) == MAX_TLDR_WORDS
    assert summary.tldr.endswith("…")
    assert not summary.tldr.endswith(("…….", ",…"))


def test_tldr_of_exactly_the_limit_is_not_cut() -> None:
    sentence = " ".join(["Turbines"] + ["spin"] * (MAX_TLDR_WORDS - 2) + ["slowly."])
    summary = summarize(sentence)
    assert summary.tldr == sentence
    assert "…" not in summary.tldr


def test_cut_does_not_leave_trailing_punctuation_before_the_ellipsis() -> None:
    words = [f"w{i}" for i in range(MAX_TLDR_WORDS + 10)]
    words[MAX_TLDR_WORDS - 1] += ","
    summary = summarize("The " + " ".join(words) + ".")
    assert summary.tldr.endswith(f"w{MAX_TLDR_WORDS - 2}…")


@pytest.mark.parametrize("connective", ["However,", "But", "Meanwhile,", "And", "Also,"])
def test_tldr_does_not_start_with_a_connective(connective: str) -> None:
    text = (
        f"{connective} the turbines produced more power than any forecast had predicted.\n"
        "Nothing else in this short note is nearly as interesting to read.\n"
    )
    summary = summarize(text, "Turbines produced more power than predicted")
    assert summary.tldr.startswith("The turbines produced more power")


def test_deep_dive_does_not_repeat_the_tldr() -> None:
    summary = summarize(ARTICLE, "Harbour City approves tidal power plant")
    assert summary.deep_dive
    assert summary.tldr not in summary.deep_dive
    assert all(b in split_sentences(ARTICLE) for b in summary.deep_dive)


def test_deep_dive_respects_max_bullets() -> None:
    assert len(summarize(ARTICLE, max_bullets=3).deep_dive) == 3


def test_deep_dive_does_not_repeat_a_repeated_lede() -> None:
    text = (
        "However, the council approved the tidal energy budget on Monday evening.\n"
        "The budget funds four turbines in the outer channel for two years.\n"
        "The council approved the tidal energy budget on Monday evening.\n"
    )
    summary = summarize(text, "Council approves tidal energy budget")
    assert summary.tldr not in summary.deep_dive


def test_empty_text_gets_title_or_placeholder() -> None:
    assert summarize("", "A headline only").tldr == "A headline only"
    empty = summarize("")
    assert empty.tldr
    assert (empty.deep_dive, empty.decoder) == ([], [])


def test_text_without_full_sentences_becomes_its_own_tldr() -> None:
    assert summarize("Brief update").tldr == "Brief update"


# --- find_terms ---------------------------------------------------------------------------


def test_abbreviation_with_its_long_form_is_a_term() -> None:
    terms = dict(find_terms(ARTICLE))
    assert terms["LCOE"] == "levelised cost of energy"


def test_long_form_is_the_shortest_matching_run_of_words() -> None:
    text = "Teams now rely on retrieval augmented generation (RAG) for search."
    assert find_terms(text) == [("RAG", "retrieval augmented generation")]


def test_parenthesis_that_is_no_abbreviation_of_the_words_is_ignored() -> None:
    assert find_terms("The plant opens next year (CEO) as planned by everyone.") == []


def test_is_a_definition_is_a_term() -> None:
    text = "Kubernetes is an open-source system for running containers at scale."
    assert find_terms(text) == [
        ("Kubernetes", "An open-source system for running containers at scale")
    ]


def test_is_a_definition_needs_a_capitalised_subject_and_article() -> None:
    text = "this tool is a small helper for everyone to use daily.\nThe plan is ready for review."
    assert find_terms(text) == []


def test_first_definition_of_a_term_wins_and_limit_applies() -> None:
    text = (
        "The board met (TBM) rarely. Tidal stream generator (TSG) units spin. "
        "Tidal stream generator (TSG) is repeated here for emphasis."
    )
    assert dict(find_terms(text))["TSG"] == "Tidal stream generator"
    many = " ".join(f"Alpha beta gamma{i} (ABG{i}) appears." for i in range(12))
    assert len(find_terms(many, limit=5)) == 5


def test_summary_decoder_lists_the_article_terms() -> None:
    assert summarize(ARTICLE).decoder == find_terms(ARTICLE)
    assert "LCOE" in dict(summarize(ARTICLE).decoder)

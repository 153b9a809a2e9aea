"""The extractive backend's pure parts, on text written for these tests."""

import pytest

from devoured_summarizer.extractive import summarize
from devoured_summarizer.extractive.compose import DEFAULT_TUNING, Tuning, word_budget
from devoured_summarizer.extractive.segment import (
    Sentence,
    split_clauses,
    split_line,
    split_sentences,
)
from devoured_summarizer.extractive.standalone import (
    MAX_TLDR_WORDS,
    compress,
    compress_more,
    dangles,
    quotes_balanced,
    strip_connective,
    strip_setting,
    trim,
    trims_cleanly,
)

ARTICLE = """Harbour City will build a tidal power plant in its outer channel by 2028.
The council approved a budget of 40 million euros for four seabed turbines on Monday.
Engineers expect the turbines to supply about 4.5 percent of the city's electricity.
However, critics say the maintenance costs of the turbines were underestimated.
A levelised cost of energy (LCOE) estimate puts tidal power above offshore wind.
The plant will connect to the grid through the old harbour substation.
Barnacle growth on rotor blades is a known problem for tidal turbines everywhere.
It will also need a new cable under the channel to the substation.
A spring tide is a tide with the greatest difference between high and low water.
The first turbine should be lowered into the water in the summer of 2027.
The council approved a budget of 40 million euros for four seabed turbines on Monday."""

NO_HEADLINE = Tuning(tldr_headline=False)  # the choice among article sentences alone


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


# --- segmentation -------------------------------------------------------------------------


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    line = (
        "Tools such as linters, e.g. ruff and flake8, catch bugs early. "
        "The U.S. market grew fast, said Dr. Lee of Acme Inc. in a call. "
        "J. R. Smith agreed with that view entirely."
    )
    assert split_line(line) == [
        "Tools such as linters, e.g. ruff and flake8, catch bugs early.",
        "The U.S. market grew fast, said Dr. Lee of Acme Inc. in a call.",
        "J. R. Smith agreed with that view entirely.",
    ]


def test_decimals_and_versions_do_not_end_sentences() -> None:
    assert texts("Growth slowed to 3.5 percent this quarter. Version 2.0.1 fixed it again.") == [
        "Growth slowed to 3.5 percent this quarter.",
        "Version 2.0.1 fixed it again.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    assert texts('The mayor said "We will build it by 2028." Then she left the meeting early.') == [
        'The mayor said "We will build it by 2028."',
        "Then she left the meeting early.",
    ]


def test_list_items_are_sentences_even_without_a_stop() -> None:
    found = split_sentences(
        "Key numbers\n- Four turbines of two megawatts each\n* Ready by 2028 at the latest"
    )
    assert [(s.text, s.list_item) for s in found] == [
        ("Four turbines of two megawatts each", True),
        ("Ready by 2028 at the latest", True),
    ]


def test_headings_and_short_fragments_are_dropped_and_positions_kept() -> None:
    found = split_sentences("Background\nToo short here.\n\nThis line is a proper sentence.")
    assert [(s.text, s.index, s.paragraph) for s in found] == [
        ("This line is a proper sentence.", 0, 2)
    ]


def test_two_fact_sentences_split_into_clauses_and_asides_stay() -> None:
    found = split_clauses(
        split_sentences(
            "The council approved the budget on Monday; the turbines arrive in the spring.\n"
            "The plant — a first for the region — opens in May next year after the tests.\n"
            "Engineers tested the rotor blades in the harbour — all four of them passed easily.\n"
            "The rotors were built in the old shipyard — The yard reopened for the order in 2025."
        )
    )
    assert [(s.text, s.index, s.paragraph) for s in found] == [
        ("The council approved the budget on Monday.", 0, 0),
        ("The turbines arrive in the spring.", 1, 0),
        ("The plant opens in May next year after the tests.", 2, 1),
        ("Engineers tested the rotor blades in the harbour.", 3, 2),
        (
            "Engineers tested the rotor blades in the harbour — all four of them passed easily.",
            4,
            2,
        ),
        ("The rotors were built in the old shipyard.", 5, 3),
        ("The yard reopened for the order in 2025.", 6, 3),
    ]
    for odd in ("— — —.", "A line that ends in a dash —", "—"):  # no crash, nothing lost
        assert split_clauses([Sentence(odd, 0, 0, False)])


# --- standalone sentences -----------------------------------------------------------------


@pytest.mark.parametrize("connective", ["However,", "But", "In addition,", "For example,"])
def test_leading_connectives_are_removed(connective: str) -> None:
    assert strip_connective(f"{connective} the plant opens in May.") == "The plant opens in May."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It opens in May.", True),
        ("This means more power.", True),
        ("Its cost rose.", True),
        ("The plant opens in May.", False),
        ("Italy builds one too.", False),
    ],
)
def test_dangling_openers_are_spotted(sentence: str, expected: bool) -> None:
    assert dangles(sentence) is expected


def test_trim_cuts_at_a_clause_break_when_one_fits() -> None:
    sentence = " ".join(["word"] * 25) + ", which " + " ".join(["more"] * 20) + "."
    assert trim(sentence) == " ".join(["word"] * 25) + "."


def test_trim_cuts_at_the_word_limit_without_a_clause_break() -> None:
    words = [f"w{i}" for i in range(50)]
    cut = trim(" ".join(words) + ".")
    assert cut == " ".join(words[:MAX_TLDR_WORDS]) + "…"
    assert trim("Short enough.") == "Short enough."


def test_trim_prefers_a_plain_comma_to_cutting_a_word() -> None:
    sentence = " ".join(["word"] * 25) + ", " + " ".join(["more"] * 20) + "."
    assert trim(sentence) == " ".join(["word"] * 25) + "."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "According to the council, the plant will supply four thousand homes.",
            "The plant will supply four thousand homes.",
        ),
        (
            "The plant will supply four thousand homes, Mayor Jane Smith said.",
            "The plant will supply four thousand homes.",
        ),
        (
            "The plant will supply four thousand homes, according to city filings, by 2028.",
            "The plant will supply four thousand homes by 2028.",
        ),
        (
            "The plant will supply four thousand homes, which pleased the local residents.",
            "The plant will supply four thousand homes.",
        ),
        ("Mayor Smith said that the plant opens.", "Mayor Smith said that the plant opens."),
    ],
)
def test_compress_more_drops_speech_tags_and_trailing_relative_clauses(
    sentence: str, expected: str
) -> None:
    assert compress_more(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "This year, the council approved four seabed turbines for the channel.",
            "The council approved four seabed turbines for the channel.",
        ),
        (
            "In the last 30 days, 93% of the city's homes used power from the channel.",
            "93% of the city's homes used power from the channel.",
        ),
        (
            "Earlier this month, the council signed the turbine contract with Tidewell.",
            "The council signed the turbine contract with Tidewell.",
        ),
        (
            "In a blog post on Monday, the council said the plant opens in 2028.",
            "The council said the plant opens in 2028.",
        ),
        # Not a time or a source: the phrase carries the point, and stays.
        (
            "In coastal cities, tidal power is steadier than wind.",
            "In coastal cities, tidal power is steadier than wind.",
        ),
        (
            "Since it may be slow, the team added a cache.",
            "Since it may be slow, the team added a cache.",
        ),
        # Fewer than 6 words would remain.
        ("On Monday, the plant opened.", "On Monday, the plant opened."),
    ],
)
def test_strip_setting_drops_only_a_leading_time_or_source_phrase(
    sentence: str, expected: str
) -> None:
    assert strip_setting(sentence) == expected


def test_compress_more_keeps_a_speech_tag_that_names_the_subject() -> None:
    sentence = "Tidewell said it will lower the first turbine into the channel in June."
    assert compress_more(sentence) == sentence  # not "It will lower ..."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A tag with a time phrase goes up to its "that", never leaving "On Monday that ...".
        (
            "Tidewell said on Monday that demand for tidal power has doubled since the spring.",
            "Demand for tidal power has doubled since the spring.",
        ),
        # Without "that" nothing is dropped: "In the filing the plant ..." is no sentence.
        (
            "Tidewell said in the filing the plant will supply four thousand homes.",
            "Tidewell said in the filing the plant will supply four thousand homes.",
        ),
        # A long name goes whole, not "..., Tidewell." behind the quote; the quote's comma
        # becomes its full stop.
        (
            '"The channel can power the whole city by 2030," Tidewell CEO Jane Roe said.',
            '"The channel can power the whole city by 2030."',
        ),
        (
            '"The turbines are quieter than we feared," he said.',
            '"The turbines are quieter than we feared."',
        ),
    ],
)
def test_compress_more_drops_a_speech_tag_whole_and_leaves_a_sentence(
    sentence: str, expected: str
) -> None:
    assert compress_more(sentence) == expected


def test_compress_drops_fillers_asides_and_attribution() -> None:
    sentence = "It's worth noting that the plant (built by a local firm) runs at night, Jones said."
    assert compress(sentence) == "The plant runs at night."
    assert compress("A levelised cost (LCOE) rose.") == "A levelised cost (LCOE) rose."


# --- the summary --------------------------------------------------------------------------


def test_tldr_is_one_standalone_article_sentence_of_at_most_35_words() -> None:
    summary = summarize(ARTICLE, "Harbour City approves tidal power plant", tuning=NO_HEADLINE)
    assert summary.tldr in texts(ARTICLE)
    assert len(summary.tldr.split()) <= MAX_TLDR_WORDS
    assert not dangles(summary.tldr)
    assert summary.backend == "extractive"


def test_a_headline_that_says_who_did_what_leads_the_tldr_with_a_sentence_that_adds() -> None:
    title = "Harbour City approves tidal power plant"
    summary = summarize(ARTICLE, title)
    head, _, rest = summary.tldr.partition(": ")
    assert head == title
    assert rest[:-1] in " ".join(texts(ARTICLE)).replace("The council", "the council")
    assert "tidal power plant" not in rest  # the opening's restatement of the headline lost
    assert len(summary.tldr.split()) <= MAX_TLDR_WORDS
    assert rest not in summary.deep_dive
    assert rest[:1].upper() + rest[1:] not in summary.deep_dive
    # A question or a label is no clause: the TL;DR is then a sentence of the article.
    for teaser in ("Is tidal power the answer?", "Tidal power"):
        assert summarize(ARTICLE, teaser).tldr in texts(ARTICLE)


def test_the_opening_sentence_must_be_clearly_best_to_be_the_tldr() -> None:
    # The digest rewrites its TL;DRs; a copied opening is the exception (tldr_opener).
    article = "\n".join(texts(ARTICLE))
    first = texts(ARTICLE)[0]
    assert summarize(article, "", tuning=Tuning(tldr_headline=False, tldr_opener=0.0)).tldr == (
        first
    )
    assert summarize(article, "", tuning=Tuning(tldr_headline=False, tldr_opener=2.0)).tldr != (
        first
    )


def test_a_teaser_or_scene_setting_lede_is_not_the_tldr() -> None:
    article = "Have you ever wondered where your power comes from?\n" + ARTICLE
    assert not summarize(article, "", tuning=NO_HEADLINE).tldr.startswith("Have you")


def test_tldr_is_chosen_and_shown_without_a_leading_time_phrase() -> None:
    # "This year," used to read as a dangling "This": the sentence lost the TL;DR to a weaker one.
    article = ARTICLE.replace("Harbour City will build", "This year, Harbour City decided to build")
    summary = summarize(article, "Harbour City approves tidal power plant", tuning=NO_HEADLINE)
    assert (
        summary.tldr
        == "Harbour City decided to build a tidal power plant in its outer channel by 2028."
    )
    without = summarize(
        article,
        "Harbour City approves tidal power plant",
        tuning=Tuning(tldr_setting=False, tldr_headline=False),
    )
    assert not without.tldr.startswith("Harbour City")


def test_deep_dive_has_5_to_14_distinct_bullets_without_the_tldr_or_repeats() -> None:
    summary = summarize(ARTICLE, "Harbour City approves tidal power plant")
    assert 5 <= len(summary.deep_dive) <= 14
    assert summary.tldr not in summary.deep_dive
    assert len(set(summary.deep_dive)) == len(summary.deep_dive)
    assert sum("40 million euros" in b for b in [summary.tldr, *summary.deep_dive]) == 1
    assert not any(b.startswith(("However", "It ")) for b in summary.deep_dive)


def test_word_budget_is_fixed_or_grows_with_the_article_up_to_the_cap() -> None:
    assert word_budget("word " * 5000) == DEFAULT_TUNING.deep_dive_words
    scaled = Tuning(deep_dive_words=300, budget_base=100, budget_share=0.2)
    assert word_budget("word " * 500, scaled) == 200
    assert word_budget("word " * 5000, scaled) == 300


def test_tuning_changes_the_summary_but_keeps_its_shape() -> None:
    plain = Tuning(clause_units=False, thorough_compression=False, tldr_compression=False)
    short = Tuning(deep_dive_words=40, pair_model=None, sized=False)  # the concept budget
    title = "Harbour City approves tidal power plant"
    default = summarize(ARTICLE, title, tuning=Tuning(sized=False))
    shorter = summarize(ARTICLE, title, tuning=short)
    assert 5 <= len(shorter.deep_dive) < len(default.deep_dive)
    whole = {compress(t) for t in texts(ARTICLE)}  # no clause split: whole sentences only
    assert set(summarize(ARTICLE, title, tuning=plain).deep_dive) <= whole


def test_summary_is_deterministic() -> None:
    assert summarize(ARTICLE, "Tidal") == summarize(ARTICLE, "Tidal")


def test_decoder_has_the_article_abbreviation_and_definition() -> None:
    decoder = dict(summarize(ARTICLE, "Tidal", tuning=Tuning(sized=False)).decoder)
    assert decoder["LCOE"] == "Levelised cost of energy"
    assert decoder["spring tide"].startswith("Tide with the greatest difference")


def test_no_sentences_gives_the_title_or_text_as_tldr() -> None:
    assert summarize("", "A headline only").tldr == "A headline only"
    assert summarize("Brief update").tldr == "Brief update"
    assert summarize("").tldr == "(no text)"
    assert summarize("x" * 100_000).tldr == "x" * 400 + "…"


def test_a_source_goes_with_what_describes_it() -> None:
    sentence = (
        "Most developers now use coding assistants but distrust their output, according to "
        "an annual survey of developers, published on Sunday."
    )
    assert compress_more(sentence) == (
        "Most developers now use coding assistants but distrust their output."
    )


def test_a_source_between_commas_goes_with_both_commas() -> None:
    sentence = (
        "The new format cuts the memory of the weights by three-quarters with, according to "
        "recent studies, modest losses in accuracy on most tasks."
    )
    assert compress_more(sentence) == (
        "The new format cuts the memory of the weights by three-quarters with modest losses in "
        "accuracy on most tasks."
    )


def test_trim_prefers_a_whole_clause_to_a_cut_at_a_bare_comma() -> None:
    sentence = (
        "The harbour authority on Friday published final rules for tidal turbines, ending a "
        "long consultation and making the small port one of the first in the region to set "
        "detailed, binding noise and safety limits for turbines placed within its outer waters."
    )
    assert len(sentence.split()) > MAX_TLDR_WORDS
    assert trim(sentence) == (
        "The harbour authority on Friday published final rules for tidal turbines."
    )  # not "... to set detailed." at the comma before the adjective "binding"
    assert trims_cleanly(sentence)


def test_a_colon_is_a_clause_break_and_a_sentence_without_one_does_not_trim_cleanly() -> None:
    colon = (
        "The browser shipped its new version to the stable channel on Friday with a change its "
        "engineers spent three years on: its rendering engine now recalculates styles in "
        "parallel across several processor cores instead of one thread."
    )
    assert trim(colon) == (
        "The browser shipped its new version to the stable channel on Friday with a change its "
        "engineers spent three years on."
    )
    ragged = " ".join(["word"] * 20) + ", " + " ".join(["more"] * 30) + "."
    assert not trims_cleanly(ragged)


def test_half_a_quotation_or_a_nor_opener_does_not_read_alone() -> None:
    assert not quotes_balanced('"The turbines were the easy part.')
    assert not quotes_balanced("“The turbines were the easy part.")
    assert quotes_balanced('She called it "the easy part" of the whole project.')
    assert dangles("Nor does the plan say who pays for the substation.")
    article = "\n".join(
        [
            "Harbour City approved a tidal power plant with four turbines on Monday.",
            '"The turbines were the easy part of the whole plan.',
            'The substation and the cables will take two more years to build," she said.',
            "The council set aside 40 million euros for the turbines and the substation.",
            "Engineers expect the plant to supply 4.5 percent of the city's electricity.",
            "Critics say the maintenance costs of the turbines were underestimated.",
            "The first turbine should be lowered into the water in the summer of 2027.",
            "Nor does the plan say who pays for the new substation in the harbour.",
            "A second phase with eight more turbines is planned for the early 2030s.",
        ]
    )
    summary = summarize(article, "Tidal plant approved")
    for text in [summary.tldr, *summary.deep_dive]:
        assert quotes_balanced(text), text
        assert not text.startswith("Nor "), text


def test_a_long_lede_cut_at_a_clause_beats_a_short_line_that_needs_context() -> None:
    article = "\n".join(
        [
            "Tidal turbines may produce considerably less power over a year than the figures of "
            "their makers suggest, according to a study released this week by engineers at an "
            "independent marine energy institute and two universities in northern Europe.",
            "The team measured the output of 14 turbines in three harbours over 18 months.",
            "On average, output fell by 6.2 percentage points on the measured sets.",
            "The makers' figures came from test tanks with steady currents and clean blades.",
            "Barnacles and weed on the blades explained about half of the gap, the study says.",
            "The turbines were the following:",
            "- Four seabed units in the northern harbour, the oldest of the group.",
            "The authors ask makers to publish a year of field data with every new design.",
        ]
    )
    title = "Tidal turbines fall short of their makers' figures"
    plain = Tuning(tldr_headline=False, tldr_opener=0.0)  # the clause cut alone
    summary = summarize(article, title, tuning=plain)
    assert summary.tldr == (
        "Tidal turbines may produce considerably less power over a year than the figures of "
        "their makers suggest."
    )
    assert not any(b.endswith(":") for b in summary.deep_dive)

"""The leave-one-out machinery of bench/summary/tune.py, on stories written for this test."""

from bench.summary.stories import Story
from bench.summary.tune import cross_validate, grid, knob_cross_validate, score
from devoured_summarizer.extractive.compose import Tuning

_FACTS = [
    "The {x} council approved a budget of {n} million euros for the new tram line on Monday.",
    "Engineers expect the {x} tram line to carry {n} thousand passengers every working day.",
    "Critics say the {x} project underestimates the cost of moving water pipes under the road.",
    "The first {x} trams should run in the summer of 2029 after two years of building work.",
    "A depot for the {x} trams will be built next to the old freight station in the north.",
    "The {x} line connects the university, the hospital and the main station in one route.",
    "Ticket prices on the {x} line will match the bus fares that passengers pay today.",
]


def story(index: int, place: str) -> Story:
    sentences = [f.format(x=place, n=10 + index) for f in _FACTS]
    return Story(
        index=index,
        title=f"{place} approves a tram line",
        article="\n".join(sentences * 6),
        summary=sentences[0],
        deep_dive=sentences[1:5],
        decoder=["depot"],
    )


def test_grid_keeps_the_base_first_and_covers_every_combination() -> None:
    knobs = {"deep_dive_words": (260, 300), "clause_units": (True, False)}
    base = Tuning(pair_model=None)  # the concept coverage, which reads the word budget
    tunings = grid(base, knobs)
    assert tunings[0] == base
    assert {(t.deep_dive_words, t.clause_units) for t in tunings} == {
        (260, True),
        (260, False),
        (300, True),
        (300, False),
    }


def test_each_held_out_story_is_scored_with_a_choice_from_the_grid() -> None:
    stories = [story(i, p) for i, p in enumerate(("Northport", "Eastfield", "Southby"))]
    deep = {"deep_dive_words": (260, 60)}
    tldr = {"tldr_pool": (6, 1)}
    cv, chosen = cross_validate(stories, deep, tldr)
    assert len(chosen) == len(stories)
    assert all(t.deep_dive_words in (260, 60) and t.tldr_pool in (6, 1) for t in chosen)
    # The held-out mean is the mean of the held-out stories under their fold's choice.
    expected = sum(score(s, t).deep_r2 for s, t in zip(stories, chosen, strict=True)) / 3
    assert abs(cv.deep_r2 - expected) < 1e-12
    assert 0.0 < cv.deep_r2 <= 1.0
    assert cv.terms is not None  # every story has reference terms


def test_a_single_knob_is_cross_validated_against_its_default() -> None:
    stories = [story(i, p) for i, p in enumerate(("Westham", "Lakeside"))]
    only_default = knob_cross_validate(stories, "deep_dive_words", (260,))
    mean = sum(score(s, Tuning()).deep_r2 for s in stories) / 2
    assert abs(only_default.deep_r2 - mean) < 1e-12

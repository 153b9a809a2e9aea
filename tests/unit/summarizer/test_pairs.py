"""Deep dive bullets by likely digest word pairs: the model, the selection and its fitting."""

import dataclasses

from bench.summary.fit_pairs import fit_pair_model
from bench.summary.stories import Story
from bench.summary.tune import canonical, fold_tuning, grid
from devoured_summarizer.extractive import summarize
from devoured_summarizer.extractive.compose import DEFAULT_TUNING
from devoured_summarizer.extractive.coverage import cover_pairs
from devoured_summarizer.extractive.pairs import (
    PAIR_MODEL,
    pair_features,
    pair_likelihoods,
    pair_tokens,
    pairs_of,
)
from devoured_summarizer.extractive.scoring import Scored, score_sentences
from devoured_summarizer.extractive.segment import split_sentences

ARTICLE = """Harbour City will build a tidal power plant in its outer channel by 2028.
The council approved a budget of 40 million euros for four seabed turbines on Monday.
Engineers expect the tidal power plant to supply about 4.5 percent of the city's electricity.
However, critics say the maintenance costs of the turbines were underestimated.
The plant will connect to the grid through the old harbour substation.
Barnacle growth on rotor blades is a known problem for tidal turbines everywhere.
The first turbine should be lowered into the water in the summer of 2027.
Residents of Harbour City will vote on the tidal power plant in a referendum."""


def test_pairs_are_taken_as_rouge_takes_them() -> None:
    assert pair_tokens("The LCOE's 4.5% rise") == ["the", "lcoe", "s", "4", "5", "rise"]
    assert pairs_of("tidal power, tidal power") == {
        ("tidal", "power"),
        ("power", "tidal"),
    }


def test_repeated_named_and_figure_pairs_are_likelier_than_stopword_pairs() -> None:
    features = pair_features(ARTICLE)
    # log count, repeated, no stopword, both stopwords, figure, one name, two names
    assert features[("tidal", "power")][:3] == (features[("tidal", "power")][0], 1.0, 1.0)
    assert features[("harbour", "city")][6] == 1.0  # "Harbour City" inside a sentence
    assert features[("40", "million")][4] == 1.0
    assert features[("of", "the")][3] == 1.0
    odds = pair_likelihoods(ARTICLE)
    # A pair seen once: two content words beat two stopwords.
    assert odds[("tidal", "power")] > odds[("rotor", "blades")] > odds[("in", "its")]
    assert odds[("40", "million")] > odds[("rotor", "blades")]
    assert all(0.0 < p < 1.0 for p in odds.values())


def _scored(text: str) -> list[Scored]:
    return score_sentences(split_sentences(text), "")


def test_cover_pairs_prefers_likely_pairs_per_word_and_respects_the_counts() -> None:
    scored = _scored(ARTICLE)
    likelihoods = pair_likelihoods(ARTICLE)
    lede, rest = scored[0], scored[1:]
    picked = cover_pairs(
        [(s, s.sentence.text) for s in rest],
        likelihoods,
        chosen=[lede],
        max_count=2,
        min_count=1,
        expected_words=40,
    )
    assert len(picked) == 2
    assert lede not in picked
    texts = {p.sentence.text for p in picked}
    # The sentences with the repeated "tidal power plant" / "Harbour City" pairs win.
    assert any("tidal power plant" in t for t in texts)
    assert not any(t.startswith("Barnacle") for t in texts)


def test_cover_pairs_stops_when_another_bullet_costs_more_than_it_brings() -> None:
    scored = _scored(ARTICLE)
    nothing_likely = dict.fromkeys(pairs_of(ARTICLE), 0.0)
    picked = cover_pairs(
        [(s, s.sentence.text) for s in scored],
        nothing_likely,
        chosen=[],
        max_count=14,
        min_count=3,
        expected_words=200,
    )
    assert len(picked) == 3  # the minimum, no more


def test_cover_pairs_skips_near_duplicates_of_the_lede() -> None:
    text = ARTICLE + "\nHarbour City will build a tidal power plant in its outer channel by 2028!"
    scored = _scored(text)
    lede, rest = scored[0], scored[1:]
    picked = cover_pairs(
        [(s, s.sentence.text) for s in rest],
        pair_likelihoods(text),
        chosen=[lede],
        max_count=14,
        min_count=5,
        expected_words=200,
    )
    assert all(not p.sentence.text.endswith("2028!") for p in picked)


def test_the_summary_uses_the_pair_model_by_default_and_the_old_coverage_without() -> None:
    assert DEFAULT_TUNING.pair_model == PAIR_MODEL
    with_pairs = summarize(ARTICLE, "Tidal plant").deep_dive
    without = summarize(
        ARTICLE, "Tidal plant", tuning=dataclasses.replace(DEFAULT_TUNING, pair_model=None)
    ).deep_dive
    assert 5 <= len(with_pairs) <= 14
    assert 5 <= len(without) <= 14
    assert len(set(with_pairs)) == len(with_pairs)


def _story(index: int, place: str) -> Story:
    article = "\n".join(
        [
            f"The {place} council approved the tram line budget of {index + 10} million euros.",
            f"The tram line will link the {place} station to the university campus.",
            f"Critics of the plan say that it is far too expensive for the city of {place} today.",
            f"Work on the tram line starts in {place} next spring, the council said.",
        ]
    )
    return Story(
        index=index,
        title=f"{place} tram",
        article=article,
        summary="The council approved a tram line.",
        deep_dive=["The tram line budget is approved.", "The tram line links the station."],
        decoder=[],
    )


def test_fitting_learns_that_repeated_pairs_come_back() -> None:
    stories = [_story(i, p) for i, p in enumerate(("Northport", "Eastfield", "Southby"))]
    model = fit_pair_model(stories)
    assert len(model) == len(PAIR_MODEL)
    assert model[1] > 0  # log count: "tram line" is repeated and in every reference
    assert fit_pair_model(list(reversed(stories))) == model  # memoised by the stories


def test_each_fold_refits_the_pair_model_on_its_own_stories() -> None:
    stories = [_story(i, p) for i, p in enumerate(("Northport", "Eastfield", "Southby"))]
    refitted = fold_tuning(DEFAULT_TUNING, stories[:2])
    assert refitted.pair_model == fit_pair_model(stories[:2]) != PAIR_MODEL
    off = dataclasses.replace(DEFAULT_TUNING, pair_model=None)
    assert fold_tuning(off, stories[:2]) == off


def test_knobs_the_bullet_method_ignores_do_not_multiply_the_grid() -> None:
    knobs = {"deep_dive_words": (260, 300), "pair_model": (PAIR_MODEL, None)}
    tunings = grid(DEFAULT_TUNING, knobs)
    # With the pair model the word budget is not read: 1 + 2 tunings, not 4.
    assert len(tunings) == 3
    assert all(canonical(t) == t for t in tunings)

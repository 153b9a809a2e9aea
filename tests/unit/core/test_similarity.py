"""SimHash near-duplicate signatures."""

from devoured_core.similarity import (
    NEAR_DUPLICATE_BITS,
    hamming_distance,
    is_near_duplicate,
    simhash,
    simhash_hex,
)

STORY = " ".join(
    f"The harbour council voted on day {i} to keep the tidal turbines running through winter."
    for i in range(30)
)


def test_same_text_same_signature_and_hex_round_trips() -> None:
    assert simhash(STORY) == simhash(STORY)
    assert int(simhash_hex(STORY), 16) == simhash(STORY)
    assert len(simhash_hex(STORY)) == 16


def test_small_edit_is_a_near_duplicate() -> None:
    edited = STORY.replace("day 7", "day seven").replace("winter", "the winter", 1)
    assert hamming_distance(simhash(STORY), simhash(edited)) <= NEAR_DUPLICATE_BITS
    assert is_near_duplicate(simhash_hex(STORY), simhash_hex(edited))


def test_different_story_is_far_away() -> None:
    other = " ".join(
        f"Bees found their hive in fog on trial {i} using polarised light." for i in range(30)
    )
    assert hamming_distance(simhash(STORY), simhash(other)) > 12
    assert not is_near_duplicate(simhash(STORY), simhash(other))


def test_case_and_spacing_do_not_matter_and_empty_text_is_zero() -> None:
    assert simhash(STORY.upper().replace(" ", "  ")) == simhash(STORY)
    assert simhash("") == 0
    assert hamming_distance("ffffffffffffffff", 0) == 64

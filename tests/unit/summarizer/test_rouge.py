"""Our ROUGE implementation (bench/summary/rouge.py), on hand-computed cases."""

import pytest

from bench.summary.rouge import rouge_l, rouge_n
from bench.summary.stories import term_recall


def test_rouge_1_and_2_on_a_hand_computed_pair() -> None:
    # candidate bigrams: the cat | cat sat | sat on | on the | the mat (5)
    # reference bigrams: the cat | cat was | was on | on the | the mat (5); 3 shared
    candidate, reference = "The cat sat on the mat.", "the cat was on the mat"
    two = rouge_n(candidate, reference, 2)
    assert (two.precision, two.recall) == (0.6, 0.6)
    assert two.f1 == pytest.approx(0.6)
    one = rouge_n(candidate, reference, 1)
    assert one.f1 == pytest.approx(5 / 6)


def test_clipped_counts_and_empty_texts() -> None:
    assert rouge_n("the the the", "the cat", 1).precision == pytest.approx(1 / 3)
    assert rouge_n("", "the cat", 1).f1 == 0.0
    assert rouge_n("a b", "c d", 2).f1 == 0.0


def test_rouge_l_uses_the_longest_common_subsequence() -> None:
    score = rouge_l("police killed the gunman", "police kill the gunman")
    assert (score.precision, score.recall) == (0.75, 0.75)
    assert rouge_l("a b c d", "d c b a").f1 == pytest.approx(0.25)


def test_term_recall_counts_word_overlap_after_light_stemming() -> None:
    assert term_recall(["subagent", "YAML"], ["Subagents", "YAML frontmatter", "Context"]) == (
        pytest.approx(2 / 3)
    )
    assert term_recall([], ["Anything"]) == 0.0

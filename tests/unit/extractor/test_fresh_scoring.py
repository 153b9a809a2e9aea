"""The unseen check's snippet rule (bench.extraction.fresh), on a page we made up."""

from bench.extraction import fresh

PAGE = fresh.SnippetPage(
    url="https://example.test/a",
    html="<p>ignored</p>",
    with_=("the kettle  boiled", "twice over"),
    without=("Back to top", "Share this"),
    held_aside=False,
)


def test_each_snippet_counts_once_whitespace_normalised() -> None:
    score = fresh.page_score("At dawn the kettle\nboiled. Back to top", PAGE)
    assert (score.tp, score.fn, score.fp, score.tn) == (1, 1, 1, 1)
    assert score.precision == 0.5
    assert score.recall == 0.5


def test_empty_text_finds_nothing_and_leaks_nothing() -> None:
    score = fresh.page_score("", PAGE)
    assert (score.tp, score.fn, score.fp, score.tn) == (0, 2, 0, 2)
    assert score.f1 == 0.0


def test_totals_pool_snippets_across_pages() -> None:
    pooled = fresh.total(
        [fresh.page_score("the kettle boiled twice over", PAGE), fresh.page_score("", PAGE)]
    )
    assert (pooled.tp, pooled.fn, pooled.fp, pooled.tn) == (2, 2, 0, 4)
    assert pooled.precision == 1.0
    assert pooled.recall == 0.5

"""Main-text extraction on pages from tests/testdata/pages/ (golden files beside them)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from devoured_core.errors import SkippedInput
from devoured_extractor.extract import (
    MIN_WORDS,
    WORDS_PER_MINUTE,
    content_hash,
    extract_content,
    reading_minutes,
)

PAGES = Path(__file__).parents[2] / "testdata" / "pages"
URL = "https://ledger.test/energy/tidal-pilot-ends"
BOILERPLATE = [
    "cookies",
    "Manage preferences",
    "Energy desk",
    "Subscribe for unlimited access",
    "Share on Facebook",
    "Copy link to this story",
    "Related stories",
    "Solar roofs on every school",
    "New ferry timetable",
    "Comments (3)",
    "Told you so",
    "seagull_fan",
    "genuinely promising",
    "All rights reserved",
    "Privacy policy",
]


@pytest.fixture(scope="module")
def news_html() -> str:
    return (PAGES / "news_article.html").read_text(encoding="utf-8")


def test_news_page_main_text_matches_golden_file(news_html: str) -> None:
    expected = (PAGES / "news_article.expected.txt").read_text(encoding="utf-8").strip()
    assert extract_content(news_html, URL).text == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Harbour City council voted on Thursday to end its tidal turbine pilot",
        "barnacle growth on the rotor blades was far heavier",
        "Councillor Dana Whitlock, who chaired the energy committee",
        "A full report on the pilot, including the maintenance logs",
    ],
)
def test_news_page_keeps_main_text(news_html: str, sentence: str) -> None:
    assert sentence in extract_content(news_html, URL).text


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_news_page_drops_boilerplate(news_html: str, phrase: str) -> None:
    assert phrase not in extract_content(news_html, URL).text


def test_news_page_paragraphs_are_one_per_line(news_html: str) -> None:
    lines = extract_content(news_html, URL).text.splitlines()
    assert len(lines) == 9
    assert all(line == " ".join(line.split()) for line in lines)


def test_news_page_metadata(news_html: str) -> None:
    content = extract_content(news_html, URL)
    assert content.title == "Harbour City ends its tidal power pilot early"
    assert content.author == "Mira Okonkwo"
    assert content.published_at is not None
    assert content.published_at.date() == datetime(2026, 11, 27, tzinfo=UTC).date()
    assert content.published_at.tzinfo is not None
    assert content.language == "en"
    assert content.canonical_url is not None
    assert content.canonical_url.startswith(URL)


def test_headline_is_not_repeated_as_first_line(news_html: str) -> None:
    content = extract_content(news_html, URL)
    assert not content.text.startswith(content.title)


def test_counts_and_hash_describe_the_text(news_html: str) -> None:
    content = extract_content(news_html, URL)
    assert content.word_count == len(content.text.split())
    assert 380 <= content.word_count <= 420
    assert content.reading_minutes == 2
    assert content.content_hash == content_hash(content.text)


def test_language_falls_back_to_html_lang_attribute() -> None:
    paragraph = "<p>" + " ".join(f"Wort{i} und noch ein Satz hier." for i in range(20)) + "</p>"
    html = f'<html lang="DE-at"><body><article>{paragraph}{paragraph}</article></body></html>'
    content = extract_content(html)
    assert content.language in ("de", "deu")


@pytest.mark.parametrize("html", ["", "   \n\t  "])
def test_empty_document_is_skipped(html: str) -> None:
    with pytest.raises(SkippedInput, match="empty"):
        extract_content(html)


def test_javascript_only_shell_is_skipped() -> None:
    html = (PAGES / "js_shell.html").read_text(encoding="utf-8")
    with pytest.raises(SkippedInput, match="no main text"):
        extract_content(html, "https://app.test/story/42")


def test_page_shorter_than_the_minimum_is_skipped() -> None:
    words = " ".join(["word"] * (MIN_WORDS - 5))
    with pytest.raises(SkippedInput):
        extract_content(f"<html><body><article><p>{words}.</p></article></body></html>")


@pytest.mark.parametrize(
    ("words", "minutes"),
    [
        (0, 1),
        (1, 1),
        (WORDS_PER_MINUTE, 1),
        (WORDS_PER_MINUTE + 1, 2),
        (WORDS_PER_MINUTE * 2, 2),
        (WORDS_PER_MINUTE * 10 - 1, 10),
    ],
)
def test_reading_minutes_rounds_up_to_whole_minutes(words: int, minutes: int) -> None:
    assert reading_minutes(" ".join(["word"] * words)) == minutes


def test_japanese_reading_time_counts_characters() -> None:
    text = "日本語の文章です。" * 100  # 900 characters at 500 a minute
    assert reading_minutes(text) == 2


def test_content_hash_ignores_case_and_whitespace_only() -> None:
    assert content_hash("Tidal  power\nis Back") == content_hash("tidal power is back")
    assert content_hash("tidal power is back") != content_hash("tidal power is gone")

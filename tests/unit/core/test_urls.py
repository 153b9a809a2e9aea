"""URL canonicalisation: one spelling per article, and the article id derived from it."""

import re

import pytest

from devoured_core.urls import article_id_for, canonicalize_url, host_of, trusted_canonical


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_form_of_scheme_host_port_and_fragment(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_path_case_is_preserved() -> None:
    assert canonicalize_url("https://example.com/Post/ABC") != canonicalize_url(
        "https://example.com/post/abc"
    )


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=feed",
        "utm_medium=email&utm_campaign=weekly",
        "UTM_Content=x",
        "fbclid=IwAR0abc",
        "gclid=Cj0KCQ",
        "msclkid=42",
    ],
)
def test_tracking_parameters_are_stripped(tracking: str) -> None:
    assert canonicalize_url(f"https://example.com/a?id=7&{tracking}") == (
        "https://example.com/a?id=7"
    )


def test_only_tracking_parameters_leaves_no_query() -> None:
    assert canonicalize_url("https://example.com/a?utm_source=x&gclid=y") == (
        "https://example.com/a"
    )


def test_parameters_that_merely_resemble_tracking_are_kept() -> None:
    assert canonicalize_url("https://example.com/a?utmost=1&ref=home") == (
        "https://example.com/a?ref=home&utmost=1"
    )


def test_query_is_sorted_and_blank_values_kept() -> None:
    assert canonicalize_url("https://example.com/s?q=rust&page=2&empty=") == (
        "https://example.com/s?empty=&page=2&q=rust"
    )


def test_order_of_parameters_does_not_change_the_canonical_form() -> None:
    assert canonicalize_url("https://example.com/s?b=2&a=1") == canonicalize_url(
        "https://example.com/s?a=1&b=2"
    )


def test_canonicalisation_is_idempotent() -> None:
    once = canonicalize_url("HTTP://Example.com:80/a/b?z=1&utm_source=x&a=%2F#top")
    assert canonicalize_url(once) == once


def test_article_id_is_stable_hex_and_ignores_spelling_differences() -> None:
    first = article_id_for("https://example.com/story?id=1&utm_source=rss#comments")
    second = article_id_for("HTTPS://EXAMPLE.com:443/story?id=1")
    assert first == second
    assert re.fullmatch(r"[0-9a-f]{20}", first)


@pytest.mark.parametrize(
    "other",
    [
        "https://example.com/story?id=2",
        "https://example.com/story-2?id=1",
        "https://example.org/story?id=1",
        "http://example.com:8080/story?id=1",
    ],
)
def test_article_id_differs_for_different_articles(other: str) -> None:
    assert article_id_for("https://example.com/story?id=1") != article_id_for(other)


def test_host_of_is_lower_case_without_port() -> None:
    assert host_of("https://News.Example.COM:8443/a") == "news.example.com"
    assert host_of("not a url") == ""


def test_ipv6_host_keeps_its_brackets() -> None:
    canonical = canonicalize_url("http://[::1]:8080/a")
    assert canonical == "http://[::1]:8080/a"
    assert canonicalize_url(canonical) == canonical


@pytest.mark.parametrize(
    ("claimed", "trusted"),
    [
        ("https://news.test/a", "https://news.test/a"),
        ("https://www.news.test/a", "https://www.news.test/a"),
        ("http://news.test:8080/a", "http://news.test:8080/a"),
        ("https://other.test/a", "https://news.test/p"),
        ("https://news.test.evil.test/a", "https://news.test/p"),
        ("https://news.test@evil.test/a", "https://news.test/p"),
        ("https://nеws.test/a", "https://news.test/p"),  # Cyrillic е: a homograph
        ("/relative", "https://news.test/p"),
        ("javascript:alert(1)", "https://news.test/p"),
        (None, "https://news.test/p"),
    ],
)
def test_a_canonical_url_is_trusted_only_on_the_pages_own_site(
    claimed: str | None, trusted: str
) -> None:
    assert trusted_canonical(claimed, "https://news.test/p") == trusted

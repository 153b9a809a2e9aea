"""Message contracts: frozen, strict, keyed for ordering, and lossless over JSON."""

import json
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from devoured_core.messages import (
    ALL_MESSAGES,
    PIPELINE_MESSAGES,
    ArticleExtracted,
    FetchRequested,
    Message,
    PageFetched,
)
from devoured_core.urls import article_id_for
from tests.unit import samples

BUILDERS: dict[str, Callable[[], Message]] = {
    "FetchRequested": samples.fetch_requested,
    "UrlSubmitted": samples.url_submitted,
    "PageFetched": samples.page_fetched,
    "ArticleExtracted": samples.article_extracted,
    "ArticleSummarized": samples.article_summarized,
    "DigestPublished": samples.digest_published,
    "DeadLetter": samples.dead_letter,
}


def test_every_message_type_has_a_sample() -> None:
    assert set(BUILDERS) == {m.__name__ for m in ALL_MESSAGES}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_json_round_trip_is_lossless(name: str) -> None:
    message = BUILDERS[name]()
    restored = type(message).model_validate_json(message.model_dump_json())
    assert restored == message
    assert restored.message_id == message.message_id
    assert restored.occurred_at == message.occurred_at


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_messages_are_frozen(name: str) -> None:
    message = BUILDERS[name]()
    with pytest.raises(ValidationError):
        message.message_id = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_unknown_fields_are_rejected(name: str) -> None:
    payload = json.loads(BUILDERS[name]().model_dump_json())
    payload["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        type(BUILDERS[name]()).model_validate(payload)


def test_unknown_fields_in_nested_models_are_rejected() -> None:
    payload = json.loads(samples.fetch_requested().model_dump_json())
    payload["source"]["colour"] = "blue"
    with pytest.raises(ValidationError, match="colour"):
        FetchRequested.model_validate(payload)


def test_each_message_gets_a_fresh_id_and_utc_time() -> None:
    first, second = samples.fetch_requested(), samples.fetch_requested()
    assert first.message_id != second.message_id
    assert first.occurred_at.utcoffset() is not None
    assert first.occurred_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_schema_version_defaults_to_one() -> None:
    for build in BUILDERS.values():
        assert build().schema_version == 1


def test_fetch_requested_is_keyed_by_lower_case_host() -> None:
    message = samples.fetch_requested(url="https://News.Example.COM:8443/a?b=1")
    assert message.key() == b"news.example.com"


def test_two_articles_of_one_host_share_a_key() -> None:
    first = samples.fetch_requested(url="https://example.com/one")
    second = samples.fetch_requested(url="https://example.com/two", kind="feed")
    assert first.key() == second.key()


@pytest.mark.parametrize("message_type", [PageFetched, ArticleExtracted])
def test_article_messages_are_keyed_by_article_id(message_type: type[Message]) -> None:
    article_id = article_id_for("https://example.com/keyed")
    builder = samples.page_fetched if message_type is PageFetched else samples.article_extracted
    assert builder(article_id=article_id).key() == article_id.encode()


def test_summaries_are_keyed_by_article_id() -> None:
    message = samples.article_summarized(article_id="feedface")
    assert message.key() == b"feedface"


def test_digest_is_keyed_by_edition_and_dead_letter_by_original_key() -> None:
    assert samples.digest_published(edition_id="2026-11-30").key() == b"2026-11-30"
    assert samples.dead_letter(message_key="k1").key() == b"k1"
    assert samples.dead_letter(message_key=None).key() == b""


def test_fetch_kind_and_attempt_are_validated() -> None:
    with pytest.raises(ValidationError):
        samples.fetch_requested(kind="video")
    with pytest.raises(ValidationError):
        samples.fetch_requested(attempt=-1)


def test_reading_minutes_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        samples.article_extracted(reading_minutes=0)


def test_pipeline_messages_have_distinct_topics() -> None:
    names = [m.TOPIC for m in PIPELINE_MESSAGES]
    assert len(set(names)) == len(names)

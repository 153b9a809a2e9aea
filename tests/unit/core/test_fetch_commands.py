"""Fetch requests are two typed commands on the wire format of one message."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from devoured_core.messages import (
    FeedEntry,
    FetchArticle,
    FetchRequested,
    Message,
    PageFetched,
    PollFeed,
    SourceInfo,
)
from devoured_core.urls import article_id_for

WHEN = datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
SOURCE = SourceInfo(source_id="lantern", name="Lantern Works", section="Data", weight=2.0)

# The JSON that producers wrote before the commands had types, byte for byte.
FEED_JSON = (
    '{"schema_version":1,"message_id":"m-feed","occurred_at":"2026-11-29T07:30:00Z",'
    '"url":"https://lantern.test/feed.xml","kind":"feed",'
    '"source":{"source_id":"lantern","name":"Lantern Works","section":"Data","weight":2.0},'
    '"attempt":0,"entry":null}'
)
ARTICLE_JSON = (
    '{"schema_version":1,"message_id":"m-article","occurred_at":"2026-11-29T07:30:00Z",'
    '"url":"https://lantern.test/posts/one","kind":"article",'
    '"source":{"source_id":"lantern","name":"Lantern Works","section":"Data","weight":2.0},'
    '"attempt":0,"entry":{"title":"One","link":"https://lantern.test/posts/one","guid":"g1",'
    '"published_at":"2026-11-29T07:30:00Z","summary":null,"categories":["data"]}}'
)
ENTRY = FeedEntry(
    title="One",
    link="https://lantern.test/posts/one",
    guid="g1",
    published_at=WHEN,
    categories=["data"],
)


def test_a_feed_poll_is_written_as_before() -> None:
    poll = PollFeed(
        message_id="m-feed", occurred_at=WHEN, url="https://lantern.test/feed.xml", source=SOURCE
    )
    assert poll.kind == "feed"
    assert poll.model_dump_json() == FEED_JSON


def test_an_article_fetch_is_written_as_before() -> None:
    fetch = FetchArticle(
        message_id="m-article",
        occurred_at=WHEN,
        url="https://lantern.test/posts/one",
        source=SOURCE,
        entry=ENTRY,
    )
    assert fetch.kind == "article"
    assert fetch.model_dump_json() == ARTICLE_JSON


@pytest.mark.parametrize(("raw", "typed"), [(FEED_JSON, PollFeed), (ARTICLE_JSON, FetchArticle)])
def test_a_record_validates_to_the_command_its_kind_names(
    raw: str, typed: type[FetchRequested]
) -> None:
    message = FetchRequested.model_validate_json(raw)  # what the transport does
    assert type(message) is typed
    assert message.key() == b"lantern.test"
    assert message.model_dump_json() == raw  # and it round-trips byte for byte
    assert type(FetchRequested.model_validate(message.model_dump())) is typed


def test_the_old_constructor_builds_the_typed_command() -> None:
    fetch = FetchRequested(url="https://lantern.test/a", kind="article", source=SOURCE)
    poll = FetchRequested(url="https://lantern.test/feed.xml", kind="feed", source=SOURCE)
    assert (type(fetch), type(poll)) == (FetchArticle, PollFeed)
    assert type(fetch.model_copy(update={"attempt": 1})) is FetchArticle


def test_a_record_of_unknown_kind_is_still_invalid() -> None:
    raw = ARTICLE_JSON.replace('"kind":"article"', '"kind":"podcast"')
    with pytest.raises(ValidationError) as caught:
        FetchRequested.model_validate_json(raw)
    assert [e["loc"] for e in caught.value.errors()] == [("kind",)]


def test_a_typed_command_refuses_the_other_kind() -> None:
    with pytest.raises(ValidationError):
        PollFeed.model_validate_json(ARTICLE_JSON)


def test_an_old_feed_poll_with_an_entry_still_validates_without_it() -> None:
    raw = FEED_JSON.replace('"entry":null', '"entry":{"link":"https://lantern.test/x"}')
    poll = FetchRequested.model_validate_json(raw)
    assert isinstance(poll, PollFeed)
    assert poll.entry is None


def test_an_article_fetch_logs_the_article_id_of_its_url() -> None:
    url = "https://lantern.test/posts/one"
    raw = {"kind": "article", "url": url}
    assert FetchRequested.log_ids(raw) == {"url": url, "article_id": article_id_for(url)}
    assert FetchRequested.log_ids({"kind": "feed", "url": url}) == {"url": url}
    assert FetchRequested.log_ids({"kind": "article", "url": 7}) == {}


def test_log_ids_never_raise_for_a_url_that_cannot_be_parsed() -> None:
    found = FetchRequested.log_ids({"kind": "article", "url": "http://[::1"})
    assert found["url"] == "http://[::1"


def test_other_messages_log_their_article_id_and_url() -> None:
    raw = {"article_id": "a1", "url": "https://x.test/", "body": "<html>", "kind": "article"}
    assert PageFetched.log_ids(raw) == {"article_id": "a1", "url": "https://x.test/"}
    assert Message.log_ids({"article_id": 3}) == {}

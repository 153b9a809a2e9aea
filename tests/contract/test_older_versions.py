"""Consumers keep reading older records: every ``schema_version`` from 1 to the current one, and
records written before an optional field existed (docs/topics.md, "Schema evolution").

Each record goes through a ``RecordProcessor`` for each input each installed service declares,
as the transport hands it a record from Kafka or the in-memory bus: it must reach the handler,
not the dead-letter topic.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    FetchRequested,
    Message,
    PageFetched,
    UrlSubmitted,
)
from devoured_infra import registry
from devoured_infra.bus import Stage
from devoured_infra.pump import Record, RecordProcessor
from tests.fakes import RecordingPublisher
from tests.unit import samples


def _poll_feed() -> Message:
    return samples.fetch_requested(kind="feed", entry=None)


SAMPLES: dict[type[Message], list[Callable[[], Message]]] = {
    UrlSubmitted: [samples.url_submitted],
    FetchRequested: [samples.fetch_requested, _poll_feed],
    PageFetched: [samples.page_fetched],
    ArticleExtracted: [samples.article_extracted],
    ArticleSummarized: [samples.article_summarized],
}
CONSUMERS = [(d.name, i.message) for d in registry.installed() for i in d.inputs]


class Received:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> Sequence[Message]:
        self.messages.append(message)
        return []


async def _process(service: str, kind: type[Message], value: dict[str, Any]) -> Received:
    """Hand ``value`` to ``service``'s stage for ``kind`` as a record; what its handler got."""
    received, publisher = Received(), RecordingPublisher()
    processor = RecordProcessor(Stage(service, kind, received), publisher)
    await processor.process(Record(kind.TOPIC, 0, 0, b"k", json.dumps(value).encode()))
    letters = [m for _, m in publisher.published]
    assert len(received.messages) + len(letters) == 1
    return received


def _records(kind: type[Message], version: int) -> list[dict[str, Any]]:
    """The JSON of each sample of ``kind``, written as ``schema_version`` ``version``."""
    values = [json.loads(build().model_dump_json()) for build in SAMPLES[kind]]
    return [value | {"schema_version": version} for value in values]


def _without_optional(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """``value`` without any field its JSON Schema does not require, at every depth."""
    while "$ref" in schema:
        schema = root["$defs"][str(schema["$ref"]).rsplit("/", 1)[-1]]
    for member in schema.get("anyOf", []):
        if isinstance(value, dict) and ("properties" in member or "$ref" in member):
            return _without_optional(value, member, root)
    if isinstance(value, list) and "items" in schema:
        return [_without_optional(v, schema["items"], root) for v in value]
    if isinstance(value, dict) and "properties" in schema:
        required = set(schema.get("required", []))
        return {
            k: _without_optional(v, schema["properties"][k], root)
            for k, v in value.items()
            if k in required
        }
    return value


def test_every_consumed_message_has_a_sample() -> None:
    assert CONSUMERS, "no service installed"
    assert {kind for _, kind in CONSUMERS} <= set(SAMPLES)


@pytest.mark.parametrize(("service", "kind"), CONSUMERS, ids=lambda v: getattr(v, "__name__", v))
async def test_each_older_version_is_accepted(service: str, kind: type[Message]) -> None:
    for version in range(1, kind.SCHEMA_VERSION + 1):
        for value in _records(kind, version):
            received = await _process(service, kind, value)
            [message] = received.messages
            assert message.schema_version == version
            assert json.loads(message.model_dump_json()) == value


@pytest.mark.parametrize(("service", "kind"), CONSUMERS, ids=lambda v: getattr(v, "__name__", v))
async def test_a_version_newer_than_the_consumer_is_not_guessed_at(
    service: str, kind: type[Message]
) -> None:
    [value, *_] = _records(kind, kind.SCHEMA_VERSION + 1)
    assert (await _process(service, kind, value)).messages == []


@pytest.mark.parametrize(("service", "kind"), CONSUMERS, ids=lambda v: getattr(v, "__name__", v))
async def test_a_record_without_the_optional_fields_is_accepted(
    service: str, kind: type[Message]
) -> None:
    schema = kind.model_json_schema()
    for value in _records(kind, 1):
        bare = _without_optional(value, schema, schema)
        assert "schema_version" not in bare
        assert "message_id" not in bare
        received = await _process(service, kind, bare)
        [message] = received.messages
        assert message.schema_version == 1
        # What the record said survives; what it left out took the defaults.
        assert _without_optional(json.loads(message.model_dump_json()), schema, schema) == bare

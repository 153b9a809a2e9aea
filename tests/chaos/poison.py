"""Poison: records no stage can process, injected on every consumed topic while articles flow.

Five kinds on each topic: random bytes, invalid JSON, a valid message of another topic (the
wrong schema), a valid message of this topic from a future ``schema_version``, and a record near
the topic's maximum size. Each must reach the topic's dead-letter topic exactly once, and hold
up nothing else. The messages that name a URL name one the site answers with 404, and anything
that reached an edition from them would be counted as extra.
"""

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

from aiokafka import AIOKafkaProducer

from devoured_core.messages import (
    ArticleExtracted,
    ArticleSummarized,
    FetchRequested,
    Message,
    PageFetched,
    SourceInfo,
    UrlSubmitted,
)
from devoured_core.topics import (
    ARTICLE_EXTRACTED,
    ARTICLE_SUMMARIZED,
    FETCH_REQUESTED,
    PAGE_FETCHED,
    URL_SUBMITTED,
)
from devoured_core.urls import article_id_for
from devoured_infra.registry import consumed_topics
from devoured_infra.settings import Settings
from tests.chaos.stream import ArticleStream

POISON_KINDS = (
    "random-bytes",
    "invalid-json",
    "wrong-schema",
    "future-schema-version",
    "near-max-size",
)
FUTURE_SCHEMA_VERSION = 99
# Room for the batch and record headers of our own produce request, and for the dead letter's
# envelope around the payload: the record itself is within 16 KiB of the topic's limit.
NEAR_MAX_MARGIN_BYTES = 16 * 1024

_SOURCE = SourceInfo(source_id="chaos-poison", name="Chaos Poison")
_WORDS = " ".join(
    f"Poison sentence number {n} says nothing anyone should publish." for n in range(12)
)


@dataclass(frozen=True)
class Poison:
    """One injected record: where it landed."""

    topic: str  # logical topic
    kind: str
    partition: int
    offset: int
    size: int


def valid_message(topic: str, url: str) -> Message:
    """A message of ``topic``'s own type about ``url``."""
    article_id = article_id_for(url)
    now = datetime.now(UTC)
    if topic == URL_SUBMITTED:
        return UrlSubmitted(url=url, submitted_by="chaos")
    if topic == FETCH_REQUESTED:
        return FetchRequested(url=url, kind="article", source=_SOURCE)
    if topic == PAGE_FETCHED:
        body = (
            f'<html><head><title>Poison</title><link rel="canonical" href="{url}"></head>'
            f"<body><article><h1>Poison</h1><p>{_WORDS}</p></article></body></html>"
        )
        return PageFetched(
            article_id=article_id,
            url=url,
            final_url=url,
            status=200,
            fetched_at=now,
            body=body,
            source=_SOURCE,
        )
    if topic == ARTICLE_EXTRACTED:
        return ArticleExtracted(
            article_id=article_id,
            canonical_url=url,
            title="Poison",
            text=_WORDS,
            word_count=len(_WORDS.split()),
            reading_minutes=1,
            content_hash="0" * 64,
            source=_SOURCE,
        )
    if topic == ARTICLE_SUMMARIZED:
        return ArticleSummarized(
            article_id=article_id,
            canonical_url=url,
            title="Poison",
            reading_minutes=1,
            text=_WORDS,
            source=_SOURCE,
            tldr="Poison says nothing.",
            backend="chaos",
        )
    raise ValueError(f"no message type for {topic}")


def poison_value(topic: str, kind: str, *, url: str, max_bytes: int, rng: Random) -> bytes:
    if kind == "random-bytes":
        return rng.randbytes(512)
    if kind == "invalid-json":
        return b'{"schema_version": 1, "url": "http://'
    if kind == "wrong-schema":
        others = [t for t in consumed_topics() if t != topic]
        return valid_message(rng.choice(others), url).model_dump_json().encode()
    if kind == "future-schema-version":
        document = json.loads(valid_message(topic, url).model_dump_json())
        document["schema_version"] = FUTURE_SCHEMA_VERSION
        return json.dumps(document).encode()
    if kind == "near-max-size":
        head = b'{"schema_version": 1, "padding": "'
        size = max_bytes - NEAR_MAX_MARGIN_BYTES - len(head) - 2
        padding = base64.b64encode(rng.randbytes(size * 3 // 4 + 3))[:size]
        return head + padding + b'"}'
    raise ValueError(f"unknown poison kind {kind!r}")


async def inject_poison(settings: Settings, stream: ArticleStream, rng: Random) -> list[Poison]:
    """Every kind of poison on every consumed topic; returns where each record landed."""
    max_bytes = settings.kafka_max_message_bytes
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=max_bytes,
    )
    await producer.start()
    injected = []
    try:
        for topic in consumed_topics():
            for kind in POISON_KINDS:
                url = stream.missing_url(f"{topic.removeprefix('devoured.')}-{kind}")
                value = poison_value(topic, kind, url=url, max_bytes=max_bytes, rng=rng)
                sent = await producer.send_and_wait(
                    settings.physical_topic(topic), value, key=f"poison-{kind}".encode()
                )
                injected.append(Poison(topic, kind, sent.partition, sent.offset, len(value)))
    finally:
        await producer.stop()
    return injected

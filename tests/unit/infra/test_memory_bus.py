"""InMemoryBus: published messages flow through the attached stages until none is left."""

from collections.abc import Sequence

from devoured_core.messages import (
    ArticleExtracted,
    DeadLetter,
    FetchRequested,
    Message,
    PageFetched,
)
from devoured_infra.bus import Stage
from devoured_infra.memory_bus import InMemoryBus
from devoured_infra.pump import Record
from tests.unit import samples


def chain() -> tuple[list[Stage], list[str]]:
    """Three stages: fetch -> page -> extracted -> (nothing); records who handled what."""
    seen: list[str] = []

    async def fetch(msg: FetchRequested) -> Sequence[Message]:
        seen.append(f"fetcher:{msg.url}")
        return [samples.page_fetched(url=msg.url)]

    async def extract(msg: PageFetched) -> Sequence[Message]:
        seen.append(f"extractor:{msg.url}")
        return [samples.article_extracted(title=f"about {msg.url}")]

    async def summarize(msg: ArticleExtracted) -> Sequence[Message]:
        seen.append(f"summarizer:{msg.title}")
        return []

    stages = [
        Stage("fetcher", FetchRequested, fetch),
        Stage("extractor", PageFetched, extract),
        Stage("summarizer", ArticleExtracted, summarize),
    ]
    return stages, seen


async def test_messages_flow_through_every_stage() -> None:
    bus = InMemoryBus()
    stages, seen = chain()
    bus.attach(stages)
    url = "https://example.com/a"

    await bus.publish([samples.fetch_requested(url=url)])
    assert bus.pending == 1
    processed = await bus.drain()

    assert processed == 3
    assert bus.pending == 0
    assert seen == [f"fetcher:{url}", f"extractor:{url}", f"summarizer:about {url}"]
    assert [topic for topic, _ in bus.published] == [
        FetchRequested.TOPIC,
        PageFetched.TOPIC,
        ArticleExtracted.TOPIC,
    ]
    assert bus.dead_letters == []


async def test_records_are_serialised_with_key_and_per_topic_offsets() -> None:
    bus = InMemoryBus()
    stages, _ = chain()
    bus.attach(stages)
    first = samples.fetch_requested(url="https://one.example.com/a")
    second = samples.fetch_requested(url="https://two.example.com/b")
    await bus.publish([first, second])

    records: list[Record] = []
    await bus.drain(records.append)

    fetches = [r for r in records if r.topic == FetchRequested.TOPIC]
    assert [(r.offset, r.key) for r in fetches] == [
        (0, b"one.example.com"),
        (1, b"two.example.com"),
    ]
    assert FetchRequested.model_validate_json(fetches[0].value) == first
    assert [r.offset for r in records if r.topic == PageFetched.TOPIC] == [0, 1]


async def test_messages_without_a_consumer_are_recorded_but_not_queued() -> None:
    bus = InMemoryBus()
    bus.attach(chain()[0])
    digest = samples.digest_published()
    await bus.publish([digest])
    assert bus.pending == 0
    assert bus.published == [(digest.TOPIC, digest)]


async def test_failing_stage_dead_letters_and_the_rest_continues() -> None:
    attempts: list[str] = []

    async def flaky(msg: FetchRequested) -> Sequence[Message]:
        attempts.append(msg.url)
        if "bad" in msg.url:
            raise RuntimeError("cannot fetch")
        return []

    bus = InMemoryBus(max_attempts=2, backoff_s=0.0)
    bus.attach([Stage("fetcher", FetchRequested, flaky)])
    await bus.publish(
        [
            samples.fetch_requested(url="https://bad.example.com/x"),
            samples.fetch_requested(url="https://good.example.com/y"),
        ]
    )

    assert await bus.drain() == 2

    assert attempts == ["https://bad.example.com/x"] * 2 + ["https://good.example.com/y"]
    [letter] = bus.dead_letters
    assert isinstance(letter, DeadLetter)
    assert letter.original_topic == FetchRequested.TOPIC
    assert letter.attempts == 2
    assert "cannot fetch" in letter.error
    assert (FetchRequested.TOPIC + ".dlq", letter) in bus.published

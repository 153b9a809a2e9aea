"""What the pipeline did, read from where it keeps it: PostgreSQL, the dead-letter topics, the
consumer groups' committed offsets and the edition files in the output directory."""

import asyncio
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from devoured_core.topics import dead_letter_topic
from devoured_extractor.tables import extractor_articles
from devoured_fetcher.tables import fetcher_articles
from devoured_infra import registry
from devoured_infra.lag import group_id, measure_lag
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import topic_partitions
from devoured_publisher.tables import publisher_editions, publisher_items
from devoured_summarizer.tables import summarizer_summaries

EDITION_FILE_SUFFIXES = ("md", "html", "email.html", "txt", "json")
# A dead letter with one of these in its error was a passing fault, not a bad record.
TRANSIENT_ERROR = re.compile(
    r"ConnectionRefused|OperationalError|InterfaceError|timeout|timed out|gave up after"
    r"|Connection(Reset|Error|DoesNotExist)|connection (was |is )?closed|CannotConnectNow"
    r"|starting up|shutting down|KafkaConnectionError|NodeNotReady|RequestTimedOut",
    re.IGNORECASE,
)
CONSUMER_GROUPS = tuple((d.name, i.topic) for d in registry.installed() for i in d.inputs)


@dataclass(frozen=True)
class EditionRow:
    edition_id: str
    item_count: int
    story_count: int


@dataclass(frozen=True)
class DeadLetterSeen:
    """A record on a dead-letter topic, with the position of the record it stands for."""

    topic: str  # the logical topic the dead-lettered record came from
    partition: int | None
    offset: int | None
    error: str
    service: str

    @property
    def transient(self) -> bool:
        return bool(TRANSIENT_ERROR.search(self.error))

    @property
    def cause(self) -> str:
        """The error without its details: ``invalid FetchRequested``, ``gave up after 3 ...``."""
        return re.split(r"[:(\[]", self.error, maxsplit=1)[0].strip()[:80]


class PipelineStore:
    """Counting in the stages' tables."""

    def __init__(self, database_url: str) -> None:
        self._engine: AsyncEngine = create_async_engine(database_url, poolclass=NullPool)

    async def stage_counts(self) -> dict[str, int]:
        return {
            "fetched": await self._scalar(
                select(func.count()).where(fetcher_articles.c.fetched_at.is_not(None))
            ),
            "extracted": await self._scalar(select(func.count()).select_from(extractor_articles)),
            "summarized": await self._scalar(
                select(func.count()).select_from(summarizer_summaries)
            ),
            "published": await self._scalar(select(func.count()).select_from(publisher_items)),
        }

    async def in_flight(self) -> tuple[int, int]:
        """Articles requested and not fetched yet; and fetched, not published yet."""
        query = select(
            select(func.count()).select_from(fetcher_articles).scalar_subquery(),
            select(func.count())
            .where(fetcher_articles.c.fetched_at.is_not(None))
            .scalar_subquery(),
            select(func.count()).select_from(publisher_items).scalar_subquery(),
        )
        async with self._engine.connect() as connection:
            requested, fetched, published = (await connection.execute(query)).one()
        return int(requested) - int(fetched), int(fetched) - int(published)

    async def published_count(self) -> int:
        return await self._scalar(select(func.count()).select_from(publisher_items))

    async def published_urls(self) -> list[str]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(select(publisher_items.c.url))
            return [str(url) for (url,) in rows]

    async def editions(self) -> list[EditionRow]:
        query = select(
            publisher_editions.c.edition_id,
            publisher_editions.c.item_count,
            publisher_editions.c.story_count,
        )
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [EditionRow(str(e), int(i), int(s)) for e, i, s in rows]

    async def dispose(self) -> None:
        await self._engine.dispose()

    async def _scalar(self, query: Any) -> int:
        async with self._engine.connect() as connection:
            return int((await connection.execute(query)).scalar() or 0)


async def read_dead_letters(settings: Settings, timeout_s: float = 60.0) -> list[DeadLetterSeen]:
    """Everything on every dead-letter topic, from the beginning to the current end."""
    letters: list[DeadLetterSeen] = []
    for topic in registry.consumed_topics():
        for value in await _read_topic(settings, dead_letter_topic(topic), timeout_s):
            letters.append(_dead_letter(topic, value))
    return letters


def _dead_letter(topic: str, value: bytes) -> DeadLetterSeen:
    try:
        letter = json.loads(value)
        return DeadLetterSeen(
            topic=str(letter["original_topic"]),
            partition=int(letter["partition"]),
            offset=int(letter["offset"]),
            error=str(letter["error"]),
            service=str(letter["service"]),
        )
    except (ValueError, KeyError, TypeError):
        return DeadLetterSeen(topic, None, None, f"unreadable dead letter: {value[:80]!r}", "?")


async def _read_topic(settings: Settings, logical: str, timeout_s: float) -> list[bytes]:
    topic = settings.physical_topic(logical)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        partitions = await topic_partitions(admin, topic)
    finally:
        await admin.close()
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        max_partition_fetch_bytes=2 * settings.kafka_max_message_bytes,
        fetch_max_bytes=4 * settings.kafka_max_message_bytes,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + timeout_s
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: not read to its end in {timeout_s} s")
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                values.extend(r.value or b"" for r in records if r.offset < ends[tp])
    finally:
        await consumer.stop()
    return values


async def consumer_lag(settings: Settings) -> dict[str, int]:
    """Uncommitted records of each consumer group on its topic, as the stages measure it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False
    )
    await admin.start()
    try:
        await consumer.start()
        try:
            return {
                f"{service}:{topic}": await measure_lag(
                    admin,
                    consumer,
                    group_id(settings, service, topic),
                    settings.physical_topic(topic),
                )
                for service, topic in CONSUMER_GROUPS
            }
        finally:
            await consumer.stop()
    finally:
        await admin.close()


async def wait_for_zero_lag(settings: Settings, timeout_s: float) -> dict[str, int]:
    """Measure until every group's lag is zero at once; the last measurement either way."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            lag = await consumer_lag(settings)
        except Exception as exc:  # the broker may still be recovering
            lag = {"unmeasured": -1, repr(exc)[:100]: -1}
        if not any(lag.values()) or time.monotonic() > deadline:
            return lag
        await asyncio.sleep(1.0)


def edition_file_problems(out_dir: Path, editions: list[EditionRow]) -> list[str]:
    """Every edition row must have its files, and its JSON must hold the row's item count."""
    problems = []
    for edition in editions:
        missing = [
            s for s in EDITION_FILE_SUFFIXES if not (out_dir / f"{edition.edition_id}.{s}").exists()
        ]
        if missing:
            problems.append(f"edition {edition.edition_id}: no {', '.join(missing)} file")
            continue
        document = json.loads((out_dir / f"{edition.edition_id}.json").read_text())
        if document.get("item_count") != edition.item_count:
            problems.append(
                f"edition {edition.edition_id}: the JSON file has {document.get('item_count')} "
                f"items, the database row {edition.item_count}"
            )
    return problems


def urls_in_edition_files(out_dir: Path, editions: list[EditionRow]) -> Counter[str]:
    """How often each article URL appears in the editions' JSON files (items and the other
    sources listed under an item)."""
    seen: Counter[str] = Counter()
    for edition in editions:
        path = out_dir / f"{edition.edition_id}.json"
        if not path.exists():
            continue
        for section in json.loads(path.read_text()).get("sections", []):
            for item in section.get("items", []):
                seen[item["url"]] += 1
                seen.update(other["url"] for other in item.get("also_covered_by", []))
    return seen

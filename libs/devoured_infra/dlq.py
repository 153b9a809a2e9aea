"""``devoured dlq replay <topic>``: send dead-lettered messages back to the topic they came from.

Each dead letter on ``<topic>.dlq`` carries the original record's value and key; replaying
publishes them, unchanged, to ``<topic>`` so the stage processes them again (safe: every stage
upserts on natural keys). Progress is committed in the consumer group
``<prefix>devoured-dlq-replay``, so a second replay sends only letters that arrived since; use
``from_beginning`` to send everything the DLQ still retains. A replay reads up to the end offsets
seen when it starts, so it always terminates.

``build_dead_letter`` makes the letter a stage publishes. A letter repeats its record's value
JSON-escaped, so a record near the size limit would make a letter the broker refuses, and the
record would be redelivered forever; such a letter keeps only the start of the value (with
its size and SHA-256), and replay skips it.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import ValidationError

from devoured_core.messages import PIPELINE_MESSAGES, DeadLetter
from devoured_core.topics import DLQ_SUFFIX, dead_letter_topic
from devoured_infra.registry import consumed_topics
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import topic_partitions

_TYPE_OF_TOPIC = {m.TOPIC: m.__name__ for m in PIPELINE_MESSAGES}

ERROR_MAX_CHARS = 4000
# What Kafka adds around a letter's value (its key is counted apart): the headers, the record
# and batch framing, and gzip's worst case on incompressible data (about 0.03 %).
_MARGIN_MAX_BYTES = 64 * 1024
# The most UTF-8 bytes one character takes once JSON-escaped (a control character: \u001f).
_MAX_ESCAPED_CHAR_BYTES = 6


class ConsumedRecord(Protocol):
    """What a dead letter needs of a consumed record (``devoured_infra.pump.Record``)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes: ...


def build_dead_letter(
    record: ConsumedRecord, error: str, *, service: str, attempts: int, max_bytes: int
) -> DeadLetter:
    """The dead letter of ``record``, whose JSON and key stay under ``max_bytes`` with margin.

    The payload is cut (``payload_truncated``) only when the whole letter would not fit;
    ``payload_bytes`` and ``payload_sha256`` always describe the original value.
    """
    letter = DeadLetter(
        original_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        message_key=record.key.decode("utf-8", "replace") if record.key else None,
        payload=record.value.decode("utf-8", "replace"),
        error=error[:ERROR_MAX_CHARS],
        service=service,
        attempts=attempts,
        payload_bytes=len(record.value),
        payload_sha256=hashlib.sha256(record.value).hexdigest(),
    )
    # The letter is sent under its own key, the original's re-encoded (lossy, so maybe longer).
    budget = max_bytes - min(_MARGIN_MAX_BYTES, max_bytes // 8) - len(letter.key())
    if _json_size(letter) <= budget:
        return letter
    empty = letter.model_copy(update={"payload": "", "payload_truncated": True})
    room = budget - _json_size(empty)
    if room < 0:
        raise ValueError(f"dlq: a dead letter cannot fit in {max_bytes} bytes (key or error)")
    payload = _prefix_within(letter.payload, room)
    cut = empty.model_copy(update={"payload": payload})
    # _prefix_within measures with json.dumps; should pydantic escape a character longer,
    # dropping as many characters as bytes are over always fits.
    over = _json_size(cut) - budget
    if over > 0:
        cut = empty.model_copy(update={"payload": payload[: max(0, len(payload) - over)]})
    return cut


def _json_size(letter: DeadLetter) -> int:
    return len(letter.model_dump_json().encode())


def _escaped_size(text: str) -> int:
    """UTF-8 bytes of ``text`` inside a JSON string (escaping as pydantic does)."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2


def _prefix_within(text: str, room: int) -> str:
    """The longest prefix of ``text`` whose escaped form takes at most ``room`` bytes.

    Each chunk is sized for the worst case, so it always fits; the chunks shrink as the room
    does, so the text is measured about once instead of once per bisection step. The last few
    characters are then added one at a time while they fit.
    """
    end, used = 0, 0
    while end < len(text) and (step := (room - used) // _MAX_ESCAPED_CHAR_BYTES) > 0:
        chunk = text[end : end + step]
        used += _escaped_size(chunk)
        end += len(chunk)
    while end < len(text) and used + (size := _escaped_size(text[end])) <= room:
        used += size
        end += 1
    return text[:end]


@dataclass(frozen=True)
class ReplayedLetter:
    partition: int
    offset: int
    action: str  # replayed | would-replay | skipped
    detail: str


def input_topic(name: str) -> str:
    """The logical input topic named by ``name`` (``devoured.page_fetched`` or its ``.dlq``)."""
    topic = name.removesuffix(DLQ_SUFFIX)
    consumed = consumed_topics()
    if topic not in consumed:
        raise ValueError(f"{name!r} is not a consumed topic; choose from {', '.join(consumed)}")
    return topic


async def replay(
    settings: Settings,
    topic: str,
    *,
    dry_run: bool = False,
    limit: int | None = None,
    from_beginning: bool = False,
    on_letter: Callable[[ReplayedLetter], None] = lambda _: None,
) -> list[ReplayedLetter]:
    """Replay up to ``limit`` dead letters of ``topic``; ``dry_run`` publishes, commits nothing."""
    logical = input_topic(topic)
    dlq = settings.physical_topic(dead_letter_topic(logical))
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"{settings.kafka_topic_prefix}devoured-dlq-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=settings.kafka_max_message_bytes,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        compression_type="gzip",
        max_request_size=settings.kafka_max_message_bytes,
    )
    await consumer.start()
    await producer.start()
    try:
        replayer = _Replayer(settings, logical, consumer, producer, dry_run=dry_run)
        return await replayer.run(dlq, limit, from_beginning, on_letter)
    finally:
        await producer.stop()
        await consumer.stop()


class _Replayer:
    def __init__(
        self,
        settings: Settings,
        logical: str,
        consumer: AIOKafkaConsumer,
        producer: AIOKafkaProducer,
        *,
        dry_run: bool,
    ) -> None:
        self._target = settings.physical_topic(logical)
        self._servers = settings.kafka_bootstrap_servers
        self._logical = logical
        self._consumer = consumer
        self._producer = producer
        self._dry_run = dry_run

    async def run(
        self,
        dlq: str,
        limit: int | None,
        from_beginning: bool,
        on_letter: Callable[[ReplayedLetter], None],
    ) -> list[ReplayedLetter]:
        partitions = await self._partitions(dlq)
        if not partitions:
            raise ValueError(f"topic {dlq!r} does not exist; run `devoured topics ensure`")
        self._consumer.assign(partitions)
        ends = await self._consumer.end_offsets(partitions)
        if from_beginning:
            await self._consumer.seek_to_beginning(*partitions)
        done: list[ReplayedLetter] = []
        for tp in partitions:
            while (limit is None or len(done) < limit) and await self._consumer.position(tp) < ends[
                tp
            ]:
                batch = await self._consumer.getmany(tp, timeout_ms=2000, max_records=100)
                for record in batch.get(tp, []):
                    if record.offset >= ends[tp] or (limit is not None and len(done) >= limit):
                        break
                    letter = await self._replay_one(record.partition, record.offset, record.value)
                    done.append(letter)
                    on_letter(letter)
                    if not self._dry_run:
                        await self._consumer.commit({tp: record.offset + 1})
        return done

    async def _partitions(self, topic: str) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._servers, client_id="devoured-dlq")
        await admin.start()
        try:
            return await topic_partitions(admin, topic)
        finally:
            await admin.close()

    async def _replay_one(self, partition: int, offset: int, value: bytes | None) -> ReplayedLetter:
        try:
            letter = DeadLetter.model_validate_json(value or b"")
        except ValidationError as exc:
            return ReplayedLetter(
                partition, offset, "skipped", f"not a DeadLetter: {exc.errors()[0]['msg']}"
            )
        if letter.original_topic != self._logical:
            return ReplayedLetter(
                partition,
                offset,
                "skipped",
                f"came from {letter.original_topic}, not {self._logical}",
            )
        if letter.payload_truncated:
            # Sending the cut payload would only fail validation and be dead-lettered again.
            return ReplayedLetter(
                partition,
                offset,
                "skipped",
                f"payload truncated ({len(letter.payload.encode())} of {letter.payload_bytes} "
                f"bytes kept), cannot replay it: the original is {letter.original_topic} "
                f"partition {letter.partition} offset {letter.offset}, while that topic keeps it",
            )
        detail = f"{letter.service} gave up after {letter.attempts}: {letter.error[:120]}"
        if self._dry_run:
            return ReplayedLetter(partition, offset, "would-replay", detail)
        await self._producer.send_and_wait(
            self._target,
            letter.payload.encode(),
            key=letter.key() if letter.message_key is not None else None,
            headers=[
                ("content-type", b"application/json"),
                ("x-devoured-type", _TYPE_OF_TOPIC.get(self._logical, "").encode()),
                ("x-devoured-replayed-from", f"{partition}:{offset}".encode()),
            ],
        )
        return ReplayedLetter(partition, offset, "replayed", detail)

"""``devoured dlq replay <topic>``: send dead-lettered messages back to the topic they came from.

Each dead letter on ``<topic>.dlq`` carries the original record's value and key; replaying
publishes them, unchanged, to ``<topic>`` so the stage processes them again (safe: every stage
upserts on natural keys). Progress is committed in the consumer group
``<prefix>devoured-dlq-replay``, so a second replay sends only letters that arrived since; use
``from_beginning`` to send everything the DLQ still retains. A replay reads up to the end offsets
seen when it starts, so it always terminates.
"""

from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import ValidationError

from devoured_core.messages import PIPELINE_MESSAGES, DeadLetter
from devoured_core.topics import CONSUMED_TOPICS, DLQ_SUFFIX, dead_letter_topic
from devoured_infra.settings import Settings
from devoured_infra.topic_admin import topic_partitions

_TYPE_OF_TOPIC = {m.TOPIC: m.__name__ for m in PIPELINE_MESSAGES}


@dataclass(frozen=True)
class ReplayedLetter:
    partition: int
    offset: int
    action: str  # replayed | would-replay | skipped
    detail: str


def input_topic(name: str) -> str:
    """The logical input topic named by ``name`` (``devoured.page_fetched`` or its ``.dlq``)."""
    topic = name.removesuffix(DLQ_SUFFIX)
    if topic not in CONSUMED_TOPICS:
        raise ValueError(
            f"{name!r} is not a consumed topic; choose from {', '.join(CONSUMED_TOPICS)}"
        )
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

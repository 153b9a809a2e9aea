"""What an operator asks first: is each stage keeping up, what was dead-lettered and why, who
leads the singleton jobs. Read from Kafka and PostgreSQL, shown by ``devoured status`` and the
publisher's ``/status`` page (each adds what only its service knows).

For each input of each service (its descriptor's ``inputs``):

- ``lag``: the consumer group's lag, as the stage exports it (``devoured_infra.lag``);
- ``records_per_s``: how fast the group commits, from two readings of its committed offsets
  ``interval_s`` apart (the group commits after each record, so this is records handled per
  second over that interval; ``None`` when ``interval_s`` is 0);
- ``dead_letters``: the records ``<topic>.dlq`` still retains (end minus beginning offsets,
  summed over partitions), and ``last_error``, the ``error`` of the newest of them.

A part that cannot be read (the broker or the database down) is left empty and named in
``problems``; the rest is still reported.
"""

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devoured_core.messages import DeadLetter
from devoured_core.topics import dead_letter_topic
from devoured_infra import registry
from devoured_infra.faults import describe
from devoured_infra.lag import group_id, measure_lag
from devoured_infra.service import ServiceDescriptor
from devoured_infra.settings import Settings
from devoured_infra.tables import leader_leases
from devoured_infra.topic_admin import topic_partitions

KAFKA_TIMEOUT_S = 20.0
DATABASE_TIMEOUT_S = 10.0
_LAST_LETTER_WAIT_S = 5.0


class StageStatus(BaseModel):
    """One input of one service; ``None`` where it could not be read (or the topic is missing)."""

    service: str
    topic: str
    group: str
    lag: int | None = None
    records_per_s: float | None = None
    dead_letters: int | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


class LeaseStatus(BaseModel):
    """A leader lease (``leader_leases``): who holds it, under which epoch, until when."""

    name: str
    holder: str
    epoch: int
    expires_at: datetime
    expired: bool


class PipelineStatus(BaseModel):
    checked_at: datetime
    interval_s: float
    stages: list[StageStatus]
    leases: list[LeaseStatus]
    problems: list[str] = []


async def pipeline_status(
    settings: Settings,
    engine: AsyncEngine,
    services: Sequence[ServiceDescriptor] | None = None,
    *,
    interval_s: float = 2.0,
) -> PipelineStatus:
    """The status of every input of ``services`` (default: the installed ones) and the leases."""
    problems: list[str] = []
    stages = [
        StageStatus(
            service=d.name,
            topic=i.topic,
            group=group_id(settings, d.name, i.topic),
        )
        for d in (registry.installed() if services is None else services)
        for i in d.inputs
    ]
    try:
        await asyncio.wait_for(
            _read_kafka(settings, stages, interval_s), KAFKA_TIMEOUT_S + interval_s
        )
    except Exception as exc:
        problems.append(problem("kafka", exc))
    leases: list[LeaseStatus] = []
    try:
        leases = await asyncio.wait_for(read_leases(engine), DATABASE_TIMEOUT_S)
    except Exception as exc:
        problems.append(problem("database", exc))
    return PipelineStatus(
        checked_at=datetime.now(UTC),
        interval_s=interval_s,
        stages=stages,
        leases=leases,
        problems=problems,
    )


def problem(part: str, exc: BaseException) -> str:
    """``"<part>: <ExceptionType>: <first line of its message>"`` (a timeout says so)."""
    if isinstance(exc, TimeoutError):
        return f"{part}: no answer in time"
    return f"{part}: {describe(exc).splitlines()[0]}"


async def read_leases(engine: AsyncEngine) -> list[LeaseStatus]:
    """Every leader lease, by name; ``expired`` by the database's clock on PostgreSQL."""
    async with engine.connect() as connection:
        rows = (
            await connection.execute(select(leader_leases).order_by(leader_leases.c.name))
        ).all()
        if engine.dialect.name == "postgresql":
            now = (await connection.execute(select(func.now()))).scalar_one()
        else:
            now = datetime.now(UTC)
    leases = []
    for row in rows:
        expires = _aware(row.expires_at)
        leases.append(
            LeaseStatus(
                name=row.name,
                holder=row.holder,
                epoch=row.epoch,
                expires_at=expires,
                expired=expires <= _aware(now),
            )
        )
    return leases


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _read_kafka(settings: Settings, stages: list[StageStatus], interval_s: float) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, client_id="devoured-status"
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id="devoured-status",
        enable_auto_commit=False,
        max_partition_fetch_bytes=settings.kafka_max_message_bytes,
    )
    await admin.start()
    try:
        await consumer.start()
        try:
            await _read_stages(admin, consumer, settings, stages, interval_s)
        finally:
            await consumer.stop()
    finally:
        await admin.close()


async def _read_stages(
    admin: AIOKafkaAdminClient,
    consumer: AIOKafkaConsumer,
    settings: Settings,
    stages: list[StageStatus],
    interval_s: float,
) -> None:
    partitions = {
        s.topic: await topic_partitions(admin, settings.physical_topic(s.topic)) for s in stages
    }
    first = {
        s.group: await _committed(admin, consumer, s.group, partitions[s.topic]) for s in stages
    }
    started = time.monotonic()
    if interval_s > 0:
        await asyncio.sleep(interval_s)
    elapsed = time.monotonic() - started
    for stage in stages:
        if partitions[stage.topic]:
            physical = settings.physical_topic(stage.topic)
            stage.lag = await measure_lag(admin, consumer, stage.group, physical)
            if interval_s > 0:
                done = await _committed(admin, consumer, stage.group, partitions[stage.topic])
                stage.records_per_s = round(max(0, done - first[stage.group]) / elapsed, 2)
        dlq = await topic_partitions(admin, settings.physical_topic(dead_letter_topic(stage.topic)))
        if dlq:
            await _read_dead_letters(consumer, dlq, stage)


async def _committed(
    admin: AIOKafkaAdminClient,
    consumer: AIOKafkaConsumer,
    group: str,
    partitions: list[TopicPartition],
) -> int:
    """The group's committed offsets summed over ``partitions`` (a partition it has not
    committed on counts from its first retained offset, as the lag does)."""
    if not partitions:
        return 0
    committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    starts = await consumer.beginning_offsets(partitions)
    total = 0
    for tp in partitions:
        meta = committed.get(tp)
        total += meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
    return total


async def _read_dead_letters(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], stage: StageStatus
) -> None:
    """Count the letters retained and read the last one of each partition; the newest (by its
    ``failed_at``) gives ``last_error``."""
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    stage.dead_letters = sum(ends[tp] - starts[tp] for tp in partitions)
    holding = [tp for tp in partitions if ends[tp] > starts[tp]]
    if not holding:
        return
    consumer.assign(holding)
    for tp in holding:
        consumer.seek(tp, ends[tp] - 1)
    wanted = set(holding)
    newest: DeadLetter | None = None
    deadline = time.monotonic() + _LAST_LETTER_WAIT_S
    while wanted and time.monotonic() < deadline:
        batches = await consumer.getmany(*wanted, timeout_ms=500)
        for tp, records in batches.items():
            wanted.discard(tp)
            for record in records[-1:]:
                try:
                    letter = DeadLetter.model_validate_json(record.value or b"")
                except ValidationError:
                    continue
                if newest is None or letter.failed_at > newest.failed_at:
                    newest = letter
    consumer.unsubscribe()
    if newest is not None:
        stage.last_error = newest.error
        stage.last_error_at = newest.failed_at

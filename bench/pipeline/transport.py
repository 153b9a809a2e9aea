"""The transport's own cost: a no-op stage on the real Kafka transport and PostgreSQL outbox.

``messages`` records wait on the stage's input topic; the stage (``devoured_infra.kafka``'s
``build_app``, as every service runs it) consumes each, its handler writes the same message to
the outbox in one transaction and returns it, the offset is committed, and the relay publishes
it. Reported: wall and CPU milliseconds per message, everything but the handler's nothing.
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import func, select

from bench.pipeline.kafka_run import create_database, drop_database, drop_topics, kafka_servers
from devoured_core.messages import Message, UrlSubmitted
from devoured_core.topics import DIGEST_PUBLISHED
from devoured_infra.bus import Stage
from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.kafka import build_app
from devoured_infra.lag import group_id, measure_lag
from devoured_infra.migrate import upgrade_async
from devoured_infra.settings import Settings
from devoured_infra.tables import outbox
from devoured_infra.topic_admin import ensure_topics
from devoured_infra.uow import UnitOfWorkBase


@dataclass(frozen=True)
class TransportCost:
    messages: int
    wall_s: float
    cpu_s: float
    payload_bytes: int

    @property
    def wall_ms(self) -> float:
        return 1000 * self.wall_s / self.messages

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_s / self.messages


async def noop_stage_cost(
    messages: int = 2000, *, partitions: int = 12, batch_records: int = 100, concurrency: int = 1
) -> TransportCost:
    """``batch_records`` 1: a transaction and an offset commit per record (the stage not
    batched), as before batches. ``concurrency`` above one: the records in lanes, as the
    fetcher handles them (with ``batch_records`` 1, one consumer per slot, as it did before)."""
    tag = uuid.uuid4().hex[:8]
    database = f"bench_noop_{tag}"
    url = await create_database(database)
    settings = Settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_servers(),
        kafka_topic_prefix=f"benchnoop{tag}.",
        topic_partitions=partitions,
        consumer_batch_records=batch_records,
    )
    try:
        await upgrade_async(url)
        await ensure_topics(settings)
        sample = UrlSubmitted(url="http://127.0.0.2/a/1.html", submitted_by="bench")
        await _produce(settings, messages)
        return await _consume_all(settings, messages, len(sample.model_dump_json()), concurrency)
    finally:
        await drop_database(database)
        await drop_topics(settings.kafka_topic_prefix)


async def _produce(settings: Settings, count: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, linger_ms=5)
    await producer.start()
    try:
        topic = settings.physical_topic(UrlSubmitted.TOPIC)
        sends = []
        for i in range(count):
            message = UrlSubmitted(url=f"http://127.0.0.{2 + i % 50}/a/{i}.html")
            sends.append(
                await producer.send(topic, message.model_dump_json().encode(), key=message.key())
            )
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def _consume_all(
    settings: Settings, count: int, payload: int, concurrency: int
) -> TransportCost:
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)

    async def forward(message: UrlSubmitted) -> Sequence[Message]:
        async with UnitOfWorkBase(sessions, service="noop") as uow:
            await uow.outbox.add([message], topic=DIGEST_PUBLISHED)
            await uow.commit()
        return [message]

    stage = Stage("noop", UrlSubmitted, forward, batch=True, concurrency=concurrency)
    app = build_app(settings, [stage], service="noop", sessions=sessions)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False
    )
    await admin.start()
    await consumer.start()
    try:
        cpu0, wall0 = time.process_time(), time.monotonic()
        await app.start()
        try:
            while True:
                await asyncio.sleep(0.5)
                lag = await measure_lag(
                    admin,
                    consumer,
                    group_id(settings, "noop", UrlSubmitted.TOPIC),
                    settings.physical_topic(UrlSubmitted.TOPIC),
                )
                async with sessions() as session:
                    unsent = (
                        await session.execute(
                            select(func.count())
                            .select_from(outbox)
                            .where(outbox.c.sent_at.is_(None))
                        )
                    ).scalar_one()
                    sent = (
                        await session.execute(select(func.count()).select_from(outbox))
                    ).scalar_one()
                if lag == 0 and unsent == 0 and sent >= count:
                    break
            cost = TransportCost(
                count, time.monotonic() - wall0, time.process_time() - cpu0, payload
            )
        finally:
            await app.stop()
    finally:
        await consumer.stop()
        await admin.close()
        await engine.dispose()
    return cost

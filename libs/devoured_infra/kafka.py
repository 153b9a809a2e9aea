"""Kafka transport: the broker, the publisher and the consumer of one stage, on FastStream.

Delivery guarantees (docs/architecture.md): the producer waits for all in-sync replicas and is
idempotent; the consumer commits an offset only after the record was processed (its database
transaction committed, its outputs in the outbox with it) or dead-lettered. The service's
outbox relay publishes those outputs. A crash before the commit replays the record; a crash
after it leaves the outputs in the outbox for the relay. An outage of the database or the
broker is waited out with the record in hand (its partition is not read meanwhile), handing
the record back to the broker every ``max_outage_wait_s`` so the consumer keeps polling.
"""

import asyncio
import contextlib
import logging
import os
import random
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, TypedDict, cast

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.codec import has_zstd
from aiokafka.errors import IllegalStateError, KafkaError
from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.asgi.handlers import GetHandler
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from prometheus_client import make_asgi_app
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_core.messages import Message
from devoured_infra import cloudevents, metrics, tracing
from devoured_infra.bus import Publisher, Stage
from devoured_infra.faults import (
    Fault,
    Outage,
    Throttle,
    classify,
    dependency_of,
    describe,
)
from devoured_infra.lag import export_lag, group_id
from devoured_infra.outbox import BeforePublish, OutboxLetterBox, OutboxRelay
from devoured_infra.pump import LetterBox, OutageContinues, Record, RecordProcessor
from devoured_infra.runtime import database_ready
from devoured_infra.service import (
    Asgi,
    ReadinessCheck,
    ServiceContext,
    ServiceDescriptor,
    Wake,
)
from devoured_infra.settings import Settings
from devoured_infra.uow import GroupCommit, shared_transaction

log = logging.getLogger("devoured.kafka")

BackgroundTask = Callable[[Wake], Awaitable[None]]
"""A service's background loop; it is handed the relay's ``wake`` to call after it committed
messages to the outbox."""
SERVICE_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})
# zstd when the client has its codec (cramjam): about gzip's ratio on pages at a fraction of
# its CPU; gzip otherwise. A consumer decodes whatever a record carries.
# How long a batch consumer's poll waits for records; the first record of a quiet topic is
# handled at most this much later.
BATCH_POLL_MS = 100
COMPRESSION: Literal["zstd", "gzip"] = "zstd" if has_zstd() else "gzip"


class ShutdownSettings(BaseSettings):
    """``DEVOURED_SHUTDOWN_GRACE_S``: on SIGTERM, how long the consumer waits for the record in
    flight to be processed and committed before it stops (keep it below Kubernetes'
    terminationGracePeriodSeconds, minus the HTTP drain of up to 20 s)."""

    model_config = SettingsConfigDict(env_prefix="DEVOURED_", extra="ignore")

    shutdown_grace_s: float = 20.0


def make_broker(settings: Settings, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=client_id,
        # broker.stop() stops fetching, then waits this long for the handler in flight; its
        # offset is committed when it returns, so SIGTERM never replays a finished record.
        graceful_timeout=ShutdownSettings().shutdown_grace_s,
        acks="all",
        enable_idempotence=True,
        compression_type=COMPRESSION,
        max_request_size=settings.kafka_max_message_bytes,
        logger=logging.getLogger(f"devoured.{client_id}.faststream"),
        # FastStream's own per-record lines ("Received", "Processed") know neither the offset
        # nor the article; RecordProcessor logs "processed" with both instead.
        log_level=logging.DEBUG,
    )


class KafkaPublisher:
    """Publishes messages as JSON, keyed by ``message.key()``, and waits for the broker's ack."""

    def __init__(self, broker: KafkaBroker, settings: Settings, service: str) -> None:
        self._broker = broker
        self._settings = settings
        self._service = service

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        acks = [await self.send(message, topic=topic) for message in messages]
        for ack in acks:
            await ack

    async def send(
        self, message: Message, *, topic: str | None = None, payload: bytes | None = None
    ) -> Awaitable[object]:
        """Hand ``message`` to the producer (batched with the others in flight, compressed);
        await the result for the broker's acknowledgement. ``payload``: the message's JSON as
        already serialised (the outbox row), sent as it is rather than serialised again."""
        logical = topic or message.TOPIC
        headers = {
            "content-type": "application/json",
            "x-devoured-type": type(message).__name__,
            **cloudevents.headers(message, service=self._service, topic=logical),
        }
        tracing.inject(headers)
        future = await self._broker.publish(
            payload if payload is not None else message.model_dump_json().encode(),
            topic=self._settings.physical_topic(logical),
            key=message.key(),
            headers=headers,
            no_confirm=True,
        )
        metrics.MESSAGES_PRODUCED.labels(self._service, logical).inc()
        return future


def service_app(
    settings: Settings,
    descriptor: ServiceDescriptor,
    *,
    overrides: Sequence[BaseSettings] = (),
) -> Asgi:
    """The ASGI app of one service: its descriptor's ``bootstrap`` wired onto Kafka, with the
    database, the service endpoints and, when it has one, its website on the same port.

    ``overrides`` replace settings classes the service would read from the environment."""
    tracing.configure_tracing(descriptor.name)
    context = ServiceContext.connect(settings, overrides)
    wiring = descriptor.wire(context)
    app = build_app(
        settings,
        wiring.stages,
        service=descriptor.name,
        sessions=context.sessions,
        background=[loop.run for loop in wiring.loops],
        ready=database_ready(context.engine),
        on_shutdown=[*wiring.on_shutdown, context.engine.dispose],
        before_publish=wiring.before_publish,
        messages=descriptor.produces(),
    )
    return app if wiring.web is None else WithWebsite(app, wiring.web)


class WithWebsite:
    """One ASGI app on a service's port: the service's own endpoints (metrics, health, the
    lifespan that runs the consumers) and the service's website for every other path."""

    def __init__(self, service: Asgi, website: Asgi) -> None:
        self.service = service
        self.website = website

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or scope.get("path") in SERVICE_PATHS:
            await self.service(scope, receive, send)
        else:
            await self.website(scope, receive, send)


def build_app(
    settings: Settings,
    stages: Sequence[Stage],
    *,
    service: str,
    sessions: async_sessionmaker[AsyncSession],
    background: Sequence[BackgroundTask] = (),
    ready: ReadinessCheck | None = None,
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    before_publish: BeforePublish | None = None,
    messages: Sequence[type[Message]] = (),
) -> AsgiFastStream:
    """The FastStream ASGI app of a service: consumers, outbox relay, background tasks and
    HTTP endpoints.

    The first of ``stages`` is the service's main input; each further input is consumed by a
    consumer group of its own (``devoured_infra.lag.group_id``)."""
    broker = make_broker(settings, service)
    publisher = KafkaPublisher(broker, settings, service)
    # The relay has a producer of its own, so that it can still flush after the consumers
    # stopped (the record in flight at SIGTERM committed its outputs to the outbox).
    relay_broker = make_broker(settings, f"{service}-relay")
    relay = OutboxRelay(
        sessions,
        KafkaPublisher(relay_broker, settings, service),
        service=service,
        before_publish=before_publish,
        messages=messages,
    )
    outages = [relay.outage]
    for each in stages:
        letters = OutboxLetterBox(sessions, service, relay.wake)
        outages.append(_subscribe(broker, settings, each, publisher, relay, letters, sessions))
        background = [*background, _lag_exporter(settings, each)]
    background = [*background, _relay_loop(relay)]
    tasks: list[asyncio.Task[None]] = []

    async def start_background() -> None:
        await relay_broker.connect()
        tasks.extend(
            asyncio.create_task(_supervised(t, relay.wake), name=service) for t in background
        )

    async def stop_background() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def close_resources() -> None:
        # After broker.stop(), which waited for the record in flight: closing the database or
        # the HTTP client earlier would fail that record and dead-letter it on SIGTERM.
        await _final_flush(relay, timeout_s=10.0)
        await relay_broker.stop()
        for hook in on_shutdown:
            await hook()

    return AsgiFastStream(
        broker,
        asgi_routes=[
            ("/metrics", make_asgi_app(registry=metrics.REGISTRY)),
            ("/healthz", _healthz()),
            ("/readyz", _readyz(broker, ready, outages)),
        ],
        after_startup=[start_background],
        on_shutdown=[stop_background],
        after_shutdown=[close_resources],
        logger=logging.getLogger(f"devoured.{service}"),
    )


def _subscribe(
    broker: KafkaBroker,
    settings: Settings,
    stage: Stage,
    publisher: Publisher,
    relay: OutboxRelay,
    letters: LetterBox,
    sessions: async_sessionmaker[AsyncSession],
) -> Outage:
    outage = Outage(stage.service)
    batched = stage.batch and settings.consumer_batch_records > 1
    lanes = batched and stage.concurrency > 1

    async def wake_relay(outputs: Sequence[Message]) -> None:
        chance = settings.test_crash_after_commit
        if chance and random.random() < chance:  # noqa: S311 - a test hook, not a secret
            log.warning("test hook: exiting between the commit and the publish")
            os._exit(137)
        relay.wake()

    processor = RecordProcessor(
        stage,
        publisher,
        max_attempts=settings.handler_max_attempts,
        backoff_s=settings.handler_retry_backoff_s,
        outage=outage,
        # Below the consumer's max poll interval, so a long outage never evicts the consumer.
        max_outage_wait_s=settings.max_outage_wait_s,
        after_commit=wake_relay,
        max_letter_bytes=settings.kafka_max_message_bytes,
        letters=letters,
        batch_scope=(lambda: shared_transaction(sessions)) if batched else None,
        group_scope=(lambda: GroupCommit(sessions)) if lanes else None,
        chunk_max_s=settings.consumer_batch_max_s,
    )
    logical_topic = stage.message_type.TOPIC
    if batched:
        _subscribe_batches(broker, settings, stage, processor)
        return outage

    @broker.subscriber(
        settings.physical_topic(logical_topic),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        # More than one: a consumer per slot in the group, each handling its partitions' records
        # one at a time (FastStream's ConcurrentBetweenPartitionsSubscriber).
        max_workers=max(1, stage.concurrency),
        decoder=_as_is,
        **_consumer_options(settings, stage),
    )
    async def consume(msg: Any) -> None:
        raw = cast(KafkaMessage, msg).raw_message
        assert not isinstance(raw, tuple)  # noqa: S101 - narrows the type; no batch subscriber
        record = _record(logical_topic, raw)
        try:
            await processor.process(record)
        except OutageContinues:
            # The outage outlasted one wait: hand the record back (FastStream seeks to it) so
            # the consumer polls again; the outage itself is logged by ``Outage``.
            raise
        except Exception:
            # FastStream seeks back to it after the pause, so it is delivered again.
            await processor.hand_back(record)
            raise

    return outage


async def _as_is(msg: StreamMessage[Any]) -> StreamMessage[Any]:
    """The handler's argument: the consumed message itself, with its Kafka record(s), which
    ``RecordProcessor`` validates from their bytes. FastStream's own decoder would parse each
    record's JSON first, for nothing (a tenth of the extractor's CPU outside extraction), and
    taking the message as ``KafkaMessage`` (a ``Context`` field, resolved by a synchronous
    function) cost a hop to a worker thread and back for every call."""
    return msg


def _subscribe_batches(
    broker: KafkaBroker, settings: Settings, stage: Stage, processor: RecordProcessor
) -> None:
    """The stage's consumer, a poll's records at a time (``RecordProcessor.process_batch``).

    The offsets of each chunk's records are committed as soon as its transaction committed.
    The partitions of the records not handled (an outage outlasted its wait, the batch ran out
    of time, or shutdown) are rewound to the first of them, so they come again."""
    logical_topic = stage.message_type.TOPIC

    @broker.subscriber(
        settings.physical_topic(logical_topic),
        ack_policy=AckPolicy.MANUAL,
        batch=True,
        max_records=settings.consumer_batch_records,
        batch_timeout_ms=BATCH_POLL_MS,
        decoder=_as_is,
        **_consumer_options(settings, stage),
    )
    async def consume(batch_message: Any) -> None:
        msg = cast(KafkaMessage, batch_message)
        raw = msg.raw_message
        batch = raw if isinstance(raw, tuple) else (raw,)
        records = [_record(logical_topic, r) for r in batch]
        # The subscriber's own AIOKafkaConsumer (FastStream's protocol type names only commit()).
        consumer = cast(AIOKafkaConsumer, msg.consumer)
        topic = settings.physical_topic(logical_topic)
        handled: set[tuple[int, int]] = set()

        async def commit(done: Sequence[Record]) -> None:
            handled.update((r.partition, r.offset) for r in done)
            try:
                await consumer.commit(
                    {TopicPartition(topic, r.partition): r.offset + 1 for r in done}
                )
            except KafkaError as exc:
                # A rebalance or the broker away: the records stay uncommitted, and whoever
                # owns their partitions next handles them again (idempotently).
                log.warning("offset commit failed: %s", describe(exc))

        try:
            await processor.process_batch(
                records, budget_s=settings.kafka_max_poll_interval_ms / 1000 / 4, handled=commit
            )
        finally:
            # Whatever stopped the batch, the records not handled come again: the consumer's
            # position is past them, and a later commit would otherwise skip them.
            rewind: dict[int, int] = {}
            for record in records:
                if (record.partition, record.offset) not in handled:
                    rewind.setdefault(record.partition, record.offset)
            for partition, offset in rewind.items():
                # A partition lost to a rebalance meanwhile is not ours to rewind: its new
                # owner starts from the committed offset anyway.
                with contextlib.suppress(IllegalStateError):
                    consumer.seek(TopicPartition(topic, partition), offset)


class _ConsumerOptions(TypedDict):
    group_id: str
    auto_offset_reset: Literal["earliest"]
    session_timeout_ms: int
    heartbeat_interval_ms: int
    max_partition_fetch_bytes: int
    max_poll_interval_ms: int
    title: str


def _consumer_options(settings: Settings, stage: Stage) -> _ConsumerOptions:
    """What every consumer of a stage is configured with, one record or a batch at a time."""
    logical_topic = stage.message_type.TOPIC
    return _ConsumerOptions(
        group_id=group_id(settings, stage.service, logical_topic),
        auto_offset_reset="earliest",
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=max(1000, settings.kafka_session_timeout_ms // 4),
        max_partition_fetch_bytes=settings.kafka_max_message_bytes,
        max_poll_interval_ms=settings.kafka_max_poll_interval_ms,
        title=f"{stage.service}:{logical_topic}",
    )


def _record(logical_topic: str, raw: ConsumerRecord[Any, Any]) -> Record:
    return Record(
        logical_topic,
        raw.partition,
        raw.offset,
        raw.key,
        raw.value or b"",
        headers=tuple(raw.headers or ()),
    )


async def _final_flush(relay: OutboxRelay, *, timeout_s: float) -> None:
    """Publish what the last records committed; what does not make it stays in the outbox for
    the next start or another replica."""
    try:
        await asyncio.wait_for(relay.flush(), timeout_s)
    except Exception as exc:
        log.warning("outbox not flushed at shutdown: %s: %s", type(exc).__name__, exc)


def _relay_loop(relay: OutboxRelay) -> BackgroundTask:
    async def run(wake: Wake) -> None:
        await relay.run()

    return run


def _lag_exporter(settings: Settings, stage: Stage) -> BackgroundTask:
    async def lag(wake: Wake) -> None:
        await export_lag(settings, stage.service, stage.message_type.TOPIC)

    return lag


async def _supervised(task: BackgroundTask, wake: Wake) -> None:
    """Keep a background loop alive: restart it if it crashes. An outage (the database or the
    broker away) is one warning per 30 s, not a traceback per restart."""
    quiet = Throttle(30.0)
    while True:
        try:
            await task(wake)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if classify(exc) is not Fault.OUTAGE:
                log.exception("background task crashed; restarting in 5 s")
            elif quiet.ready():
                log.warning(
                    "background task waits for the %s; restarting it every 5 s",
                    dependency_of(exc),
                    extra={"error": describe(exc)[:300]},
                )
            await asyncio.sleep(5)


def _healthz() -> GetHandler:
    @get(include_in_schema=False)
    async def healthz(scope: object) -> AsgiResponse:
        return AsgiResponse(b"ok\n", 200)

    return healthz


def _readyz(
    broker: KafkaBroker, ready: ReadinessCheck | None, outages: Sequence[Outage]
) -> GetHandler:
    @get(include_in_schema=False)
    async def readyz(scope: object) -> AsgiResponse:
        broker_ok = await broker.ping(timeout=2.0)
        store_ok = True if ready is None else await ready()
        waiting = any(o.waiting for o in outages)
        if broker_ok and store_ok and not waiting:
            return AsgiResponse(b"ready\n", 200)
        body = f"broker={broker_ok} database={store_ok} outage={waiting}\n"
        return AsgiResponse(body.encode(), 503)

    return readyz

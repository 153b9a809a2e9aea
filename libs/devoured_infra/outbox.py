"""The outbox relay: publishes what handlers emitted, after their transactions committed.

Handlers write their outgoing messages into the ``outbox`` table in the same transaction as
their state (``uow.outbox.add``). The relay of each service reads its unsent rows in order,
publishes them, and marks them sent in one transaction, so a crash anywhere (before the
publish, between the publish and the mark, or a redelivered input whose handler has nothing new
to say) leaves the rows unsent and the next flush, on this replica or another, sends them.
Delivery is therefore at least once: a row published just before a crash is published again,
and every consumer is idempotent on its natural keys.

On PostgreSQL several replicas relay concurrently: ``FOR UPDATE SKIP LOCKED`` gives each row to
one of them at a time.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_core.messages import PIPELINE_MESSAGES, DeadLetter, Message
from devoured_infra import metrics, tracing
from devoured_infra.bus import Publisher
from devoured_infra.faults import Fault, Outage, classify
from devoured_infra.repositories.outbox import OutboxRepository
from devoured_infra.tables import outbox

log = logging.getLogger("devoured.outbox")

BeforePublish = Callable[[Message], Awaitable[None]]
_KNOWN: tuple[type[Message], ...] = (*PIPELINE_MESSAGES, DeadLetter)


class OutboxRelay:
    """Publishes one service's outbox (every service's when ``service`` is None: embedded).

    ``before_publish`` runs for each message before it is published, inside the flush; if it
    fails, the message stays unsent (the publisher writes an edition's files there, so an
    edition counts as published only once its files and its event are both out).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        *,
        service: str | None,
        outage: Outage | None = None,
        batch: int = 200,
        before_publish: BeforePublish | None = None,
        keep_sent: timedelta = timedelta(hours=1),
        messages: Sequence[type[Message]] = (),
    ) -> None:
        self._sessions = sessions
        # The types it can meet: the pipeline's, and any a service of its own declares; a
        # subclass (a typed command) is found by its topic's type, which validates to it.
        known = (*_KNOWN, *messages)
        self._types = {
            **{m.TOPIC: m for m in known if m is not DeadLetter},
            **{m.__name__: m for m in known},
        }
        self._publisher = publisher
        self._service = service
        self._label = service or "embedded"
        self.outage = outage or Outage(self._label)
        self._batch = batch
        self._before_publish = before_publish
        self._keep_sent = keep_sent
        self._wakeup = asyncio.Event()
        # Built once: building a statement and its cache key costs more CPU than sending it.
        oldest_unsent = select(outbox).where(*self._unsent()).order_by(outbox.c.id).limit(batch)
        self._oldest_unsent = {
            "postgresql": oldest_unsent.with_for_update(skip_locked=True),
            "sqlite": oldest_unsent,
        }

    def wake(self) -> None:
        """Something was committed to the outbox: flush now rather than at the next tick."""
        self._wakeup.set()

    async def flush(self) -> int:
        """Publish every unsent message, oldest first; returns how many were published."""
        total = 0
        while True:
            sent = await self._flush_batch()
            total += sent
            if sent < self._batch:
                return total

    async def _flush_batch(self) -> int:
        async with self._sessions() as session, session.begin():
            query = self._oldest_unsent[session.get_bind().dialect.name]
            rows = (await session.execute(query)).mappings().all()
            # A pipelining publisher gets the whole batch before the first ack is awaited (one
            # round of produce requests, not a round trip per row); the rows are marked sent
            # only once every ack is in, so a failure leaves them all unsent, to be sent again.
            send = getattr(self._publisher, "send", None)
            acks: list[Awaitable[object]] = []
            for row in rows:
                message = _decode(self._types, row["message_type"], row["topic"], row["payload"])
                if message is None:
                    continue
                with tracing.producing(
                    self._label,
                    topic=row["topic"],
                    stored=row["trace_context"],
                    article_id=getattr(message, "article_id", None),
                ):
                    if self._before_publish is not None:
                        await self._before_publish(message)
                    if send is not None:
                        # The row's JSON is the message as the handler serialised it.
                        payload = str(row["payload"]).encode()
                        acks.append(await send(message, topic=row["topic"], payload=payload))
                    else:
                        await self._publisher.publish([message], topic=row["topic"])
                metrics.OUTBOX_PUBLISHED.labels(self._label, row["topic"]).inc()
            results = await asyncio.gather(*acks, return_exceptions=True)
            refused = [r for r in results if isinstance(r, BaseException)]
            if refused:
                raise refused[0]
            if rows:
                ids = [row["id"] for row in rows]
                await session.execute(_MARK_SENT, {"ids": ids, "now": _now()})
        return len(rows)

    async def run(
        self, *, idle_s: float = 1.0, prune_every_s: float = 600.0, linger_s: float = 0.02
    ) -> None:
        """Flush whenever woken, and every ``idle_s`` regardless (rows of a crashed replica).

        Once woken it lingers ``linger_s`` first, so that the commits of the records handled
        meanwhile go out in the same flush: under load one relay transaction and one round of
        produce requests carry many messages instead of one each."""
        last_prune = 0.0
        loop = asyncio.get_running_loop()
        while True:
            woken = await self._wait(idle_s)
            if woken and linger_s > 0:
                await asyncio.sleep(linger_s)
                self._wakeup.clear()
            try:
                await self.flush()
                if not woken:
                    await self._measure()
                if loop.time() - last_prune >= prune_every_s:
                    await self.prune()
                    last_prune = loop.time()
                self.outage.recovered()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if classify(exc) is Fault.OUTAGE:
                    await self._back_off(self.outage.failed(exc))
                else:
                    log.exception("outbox relay failed; trying again in 5 s")
                    await asyncio.sleep(5.0)

    async def _back_off(self, seconds: float) -> None:
        """Sleep out an outage's backoff, unless woken first. A wake means a handler just
        committed to the outbox, so the database is back: the flush should not wait out the
        rest of a backoff that has grown to 8-30 s over the outage. The wake stays set, so the
        loop's next wait returns at once."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), seconds)

    async def _wait(self, idle_s: float) -> bool:
        try:
            await asyncio.wait_for(self._wakeup.wait(), idle_s)
        except TimeoutError:
            return False
        self._wakeup.clear()
        return True

    async def prune(self) -> int:
        """Delete rows sent longer ago than ``keep_sent`` (kept that long for inspection)."""
        cutoff = _now() - self._keep_sent
        async with self._sessions() as session, session.begin():
            statement = delete(outbox).where(outbox.c.sent_at < cutoff)
            if self._service is not None:
                statement = statement.where(outbox.c.service == self._service)
            result = await session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    async def unsent(self) -> int:
        async with self._sessions() as session:
            query = select(func.count()).select_from(outbox).where(*self._unsent())
            return int((await session.execute(query)).scalar_one())

    async def _measure(self) -> None:
        async with self._sessions() as session:
            query = select(func.count(), func.min(outbox.c.created_at)).where(*self._unsent())
            count, oldest = (await session.execute(query)).one()
        metrics.OUTBOX_UNSENT.labels(self._label).set(count)
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (_now() - oldest).total_seconds())
        metrics.OUTBOX_AGE_SECONDS.labels(self._label).set(age)

    def _unsent(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [outbox.c.sent_at.is_(None)]
        if self._service is not None:
            conditions.append(outbox.c.service == self._service)
        return conditions


class OutboxLetterBox:
    """Dead letters through the outbox, once per record (``pump.LetterBox``)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], service: str, wake: Callable[[], None]
    ) -> None:
        self._sessions = sessions
        self._service = service
        self._wake = wake

    async def post(self, letter: DeadLetter, *, topic: str, dedupe_key: str) -> None:
        async with self._sessions() as session, session.begin():
            await OutboxRepository(session, self._service).add(
                [letter], topic=topic, dedupe_key=dedupe_key
            )
        self._wake()


_MARK_SENT = (
    update(outbox)
    .where(outbox.c.id.in_(bindparam("ids", expanding=True)))
    .values(sent_at=bindparam("now"))
)


def _decode(
    types: dict[str, type[Message]], message_type: str, topic: str, payload: str
) -> Message | None:
    cls = types.get(message_type) or types.get(topic)
    if cls is None:
        # Only a newer version of Devoured can write a type this one does not know; publishing
        # it is beyond this version, and keeping it would block the rows behind it.
        log.error("outbox: unknown message type %s; marked sent unpublished", message_type)
        return None
    return cls.model_validate_json(payload)


def _now() -> datetime:
    return datetime.now(UTC)

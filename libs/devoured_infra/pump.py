"""Processing one consumed record: validate, handle, and dead-letter only what is bad.

Transport-agnostic so that it is unit-tested without a broker; ``devoured_infra.kafka`` feeds it
records and commits the offset only after ``process`` returns. The handler's outputs are in the
outbox by then (written in its transaction); the relay publishes them, so ``process`` only
wakes it. What happens on a failure is decided by ``devoured_infra.faults``: a bad record is
dead-lettered at once, an outage is waited out (never dead-lettered), and an unexpected error
is retried a few times before the record is dead-lettered.

``process_batch`` handles the records of one poll in shared transactions
(``devoured_infra.uow.shared_transaction``): a handler's state, its outbox rows and those of
the records around it commit together, so a database commit, a relay wake and an offset commit
are paid per chunk of records, not per record. Any failure in a chunk rolls the chunk back and
its records up to the failing one go through ``process`` one by one, where the fault is
classified as for a single record; the batch then goes on in chunks.

A batch stage with ``concurrency`` above one (the fetcher, which waits on the network) has
its records handled in lanes instead: one lane per partition, in order, up to
``concurrency`` lanes at once, all on one ``uow.GroupCommit`` that commits every
``chunk_max_s`` whatever is still running. A record is done once the commit after its handler
returned succeeded; only then is the transport told (its offset). A failure anywhere rolls the
uncommitted part back, and every record not done goes through ``process`` one by one, its
lane's order kept. Lanes stop taking records after ``OVERLAP_WINDOW_CHUNKS`` chunks, and
before a record that would wait beyond that window to start (``Stage.wait_of``: a host's
pace), so one busy or slow partition does not keep the consumer from polling the others.
"""

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import ValidationError

from devoured_core.messages import DeadLetter, Message
from devoured_core.topics import dead_letter_topic
from devoured_infra import metrics, tracing
from devoured_infra.bus import Publisher, Stage
from devoured_infra.dlq import build_dead_letter
from devoured_infra.faults import Fault, Outage, classify, describe
from devoured_infra.log_context import bind, bound
from devoured_infra.uow import GroupCommit

log = logging.getLogger("devoured.pump")

OVERLAP_WINDOW_CHUNKS = 5


@dataclass(frozen=True)
class Record:
    """A consumed record, by logical topic name."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    # As the Kafka client hands them over; the producer's trace context is there (tracing).
    headers: tracing.Headers = ()


class LetterBox(Protocol):
    """Where dead letters go. The services queue them in the outbox under a key of the record
    (``devoured_infra.outbox.OutboxLetterBox``), so a record delivered again after its letter
    (an offset commit lost to a broker outage, a crash) is not dead-lettered twice."""

    async def post(self, letter: DeadLetter, *, topic: str, dedupe_key: str) -> None: ...


class OutageContinues(Exception):
    """The record waited ``max_outage_wait_s`` for an outage to end; the transport should hand
    it back to the broker (seek back) and deliver it again, so the consumer keeps polling."""


BatchScope = Callable[[], AbstractAsyncContextManager[None]]
"""Opens the transaction a chunk of records shares (``uow.shared_transaction`` of the
service's sessions)."""
GroupScope = Callable[[], GroupCommit]
"""Opens the session that lanes of records share (``uow.GroupCommit`` of the service's
sessions)."""


@dataclass(frozen=True)
class _Handled:
    record: Record
    ids: dict[str, object]
    outputs: Sequence[Message]
    seconds: float
    # Already counted and logged by ``process`` (an invalid record dead-lettered on its own).
    reported: bool = False


@dataclass
class _LaneRun:
    """Records of a batch in lanes: handled since the last commit, and done (committed)."""

    finished: list[_Handled] = field(default_factory=list)
    done: list[Record] = field(default_factory=list)
    failure: BaseException | None = None
    # A lane stopped at a record that would have waited past the window (``Stage.wait_of``).
    waiting: bool = False

    def finish(self, handled: _Handled) -> None:
        self.finished.append(handled)

    def take(self) -> tuple[list[_Handled], list[Message]]:
        """What the commit about to happen makes done (run while no unit of work runs)."""
        taken, self.finished = self.finished, []
        return taken, [m for each in taken for m in each.outputs]


def _position(record: Record) -> tuple[int, int]:
    return record.partition, record.offset


def _lanes(records: Sequence[Record]) -> list[list[Record]]:
    """The records of each partition, in the order consumed; partitions in order of first
    appearance."""
    lanes: dict[int, list[Record]] = {}
    for record in records:
        lanes.setdefault(record.partition, []).append(record)
    return list(lanes.values())


class RecordProcessor:
    def __init__(
        self,
        stage: Stage,
        publisher: Publisher,
        *,
        max_attempts: int = 3,
        backoff_s: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        outage: Outage | None = None,
        max_outage_wait_s: float | None = None,
        after_commit: Callable[[Sequence[Message]], Awaitable[None]] | None = None,
        max_letter_bytes: int = 16 * 1024 * 1024,
        letters: LetterBox | None = None,
        batch_scope: BatchScope | None = None,
        group_scope: GroupScope | None = None,
        chunk_max_s: float = 1.0,
    ) -> None:
        self._stage = stage
        self._publisher = publisher
        self._max_attempts = max(1, max_attempts)
        self._backoff_s = backoff_s
        self._sleep = sleep
        self._outage = outage or Outage(stage.service)
        self._max_outage_wait_s = max_outage_wait_s
        self._after_commit = after_commit
        # The broker's message size limit (DEVOURED_KAFKA_MAX_MESSAGE_BYTES): a bigger letter
        # would be refused, and the record redelivered forever.
        self._max_letter_bytes = max_letter_bytes
        self._letters = letters
        self._batch_scope = batch_scope
        self._group_scope = group_scope
        self._chunk_max_s = chunk_max_s

    async def hand_back(self, record: Record) -> None:
        """``record`` was neither processed nor dead-lettered (the broker refused its dead
        letter): say so, and pause before the transport delivers it again."""
        log.exception(
            "record not processed; will be redelivered",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset},
        )
        await self._sleep(self._backoff_s)

    async def process(self, record: Record) -> None:
        """Handle ``record`` completely, or dead-letter it.

        Raises ``OutageContinues`` when an outage outlasts ``max_outage_wait_s``.
        """
        # Every log line while the record is handled carries where it came from (log_context).
        with self._handling(record, _peek_ids(self._stage.message_type, record.value)):
            await self._process(record)

    @contextmanager
    def _handling(self, record: Record, ids: dict[str, object]) -> Iterator[None]:
        """The record's span (child of its producer's trace) and its fields on every log line."""
        key = record.key.decode("utf-8", "replace") if record.key else None
        with (
            tracing.consuming(
                self._stage.service,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                headers=record.headers,
                article_id=ids.get("article_id"),
            ),
            bound(
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                key=key,
                **ids,
            ),
        ):
            yield

    async def process_batch(
        self,
        records: Sequence[Record],
        *,
        budget_s: float = 30.0,
        handled: Callable[[Sequence[Record]], Awaitable[None]] | None = None,
    ) -> int:
        """Handle ``records`` in the order consumed; returns how many, from the first, were
        handled (processed or dead-lettered). The transport hands the rest back to the broker:
        an outage outlasted ``max_outage_wait_s``, a record could be neither processed nor
        dead-lettered, or the batch took ``budget_s`` (the consumer must poll again).

        Chunks share a transaction while their handling takes under ``chunk_max_s`` (a
        long transaction holds row locks and risks the server's idle timeout). ``handled`` is
        told the records of each chunk (or single record) once its transaction committed, so
        the transport commits their offsets then, not only at the end of the batch.

        A stage with ``concurrency`` above one and a ``group_scope`` is handled in lanes
        (module doc); there the records handled are, in each partition, the first ones (the
        transport rewinds each partition to its first record not handled)."""
        if self._group_scope is not None and self._stage.concurrency > 1:
            return await self._process_lanes(records, budget_s=budget_s, handled=handled)
        done = 0
        started = time.perf_counter()
        while done < len(records) and time.perf_counter() - started < budget_s:
            failed = done
            if self._batch_scope is not None:
                end, failed_at = await self._chunk(records, done)
                if failed_at is None:
                    if handled is not None:
                        await handled(records[done:end])
                    done = end
                    continue
                failed = failed_at
            # Up to the record that failed, one at a time, each in its own transaction.
            for record in records[done : failed + 1]:
                try:
                    await self.process(record)
                    if handled is not None:
                        await handled([record])
                except OutageContinues:
                    return done
                except Exception:
                    await self.hand_back(record)
                    return done
                done += 1
        return done

    async def _chunk(self, records: Sequence[Record], start: int) -> tuple[int, int | None]:
        """Handle records from ``start`` in one shared transaction: the end of the chunk, and
        None if it committed, else the index of the record that failed (the last one when the
        commit itself failed)."""
        assert self._batch_scope is not None  # noqa: S101 - only called with a scope
        started = time.perf_counter()
        handled: list[_Handled] = []
        outputs: list[Message] = []
        index = start
        committing = False
        try:
            async with self._batch_scope():
                while index < len(records):
                    one_started = time.perf_counter()
                    record = records[index]
                    ids, produced = await self._handle_shared(record)
                    outputs.extend(produced)
                    handled.append(
                        _Handled(record, ids, produced, time.perf_counter() - one_started)
                    )
                    index += 1
                    if time.perf_counter() - started >= self._chunk_max_s:
                        break
                committing = True
        except Exception as exc:
            failed = index - 1 if committing else index
            log.debug(
                "batch chunk rolled back; its records go one by one",
                extra={"records": index - start, "error": describe(exc)[:300]},
            )
            return index, failed
        await self._committed(handled, outputs)
        return index, None

    async def _committed(self, handled: Sequence[_Handled], outputs: Sequence[Message]) -> None:
        """What follows the commit of records handled together: the relay woken, metrics, a
        "processed" line each."""
        self._outage.recovered()
        if self._after_commit is not None:
            await self._after_commit(outputs)
        service = self._stage.service
        for each in handled:
            if each.reported:
                continue
            topic = each.record.topic
            metrics.MESSAGES_CONSUMED.labels(service, topic).inc()
            metrics.HANDLER_SECONDS.labels(service, topic).observe(each.seconds)
            log.info(
                "processed",
                extra={
                    **each.ids,
                    "topic": topic,
                    "partition": each.record.partition,
                    "offset": each.record.offset,
                    "outputs": len(each.outputs),
                    "seconds": round(each.seconds, 4),
                    "batch": len(handled),
                },
            )

    async def _process_lanes(
        self,
        records: Sequence[Record],
        *,
        budget_s: float,
        handled: Callable[[Sequence[Record]], Awaitable[None]] | None,
    ) -> int:
        """Handle ``records`` in lanes on one ``GroupCommit`` (module doc); returns how many
        were handled."""
        assert self._group_scope is not None  # noqa: S101 - only called with a scope
        started = time.perf_counter()
        window_s = min(budget_s, self._chunk_max_s * OVERLAP_WINDOW_CHUNKS)
        lanes = _lanes(records)
        run = _LaneRun()
        slots = asyncio.Semaphore(self._stage.concurrency)

        async def lane(queue: Sequence[Record]) -> None:
            async with slots:
                for record in queue:
                    if run.failure is not None or time.perf_counter() - started >= window_s:
                        return
                    try:
                        message = self._parse(record)
                        if self._waits_past(message, started + window_s):
                            run.waiting = True
                            return
                        run.finish(await self._handle_in_group(record, message))
                    except Exception as exc:
                        run.failure = run.failure or exc
                        return

        async with self._group_scope() as group:
            lanes_done = asyncio.ensure_future(asyncio.gather(*(lane(q) for q in lanes)))
            try:
                while run.failure is None:
                    await asyncio.wait({lanes_done}, timeout=self._chunk_max_s)
                    last = lanes_done.done()
                    if run.failure is not None:
                        break
                    try:
                        taken, outputs = await group.commit(run.take)
                    except Exception as exc:
                        run.failure = exc
                        break
                    if taken:
                        await self._committed(taken, outputs)
                        done = sorted((each.record for each in taken), key=_position)
                        run.done.extend(done)
                        if handled is not None:
                            await handled(done)
                    if last:
                        break
                # A failure stops every lane at its next record; then the rest is taken back.
                await lanes_done
            finally:
                lanes_done.cancel()
            if run.failure is not None:
                await group.rollback()
        if run.failure is None:
            if run.waiting and not run.done:
                # Every record left waits for its host: poll again a little later, not at once.
                await self._sleep(self._chunk_max_s)
            return len(run.done)
        log.debug(
            "lanes rolled back; their records go one by one",
            extra={"records": len(records), "error": describe(run.failure)[:300]},
        )
        committed = {_position(r) for r in run.done}
        left = [[r for r in queue if _position(r) not in committed] for queue in lanes]
        return len(committed) + await self._one_by_one(
            [queue for queue in left if queue],
            slots,
            handled=handled,
            open_until=started + window_s,
        )

    async def _one_by_one(
        self,
        lanes: Sequence[Sequence[Record]],
        slots: asyncio.Semaphore,
        *,
        handled: Callable[[Sequence[Record]], Awaitable[None]] | None,
        open_until: float,
    ) -> int:
        """Each lane's records through ``process``, each in its own transaction, lanes at
        once; a lane stops where a record is handed back. The first record of each lane is
        handled whatever the time, so a batch always gets somewhere."""
        count = 0

        async def lane(queue: Sequence[Record]) -> None:
            nonlocal count
            async with slots:
                for index, record in enumerate(queue):
                    if index and time.perf_counter() >= open_until:
                        return
                    try:
                        await self.process(record)
                    except OutageContinues:
                        return
                    except Exception:
                        await self.hand_back(record)
                        return
                    count += 1
                    if handled is not None:
                        await handled([record])

        await asyncio.gather(*(lane(queue) for queue in lanes))
        return count

    def _parse(self, record: Record) -> Message | None:
        """The record's message, or None when it is invalid."""
        try:
            return self._stage.message_type.model_validate_json(record.value)
        except ValidationError:
            return None

    def _waits_past(self, message: Message | None, deadline: float) -> bool:
        """Whether handling ``message`` now would wait beyond ``deadline`` (``Stage.wait_of``)."""
        if message is None or self._stage.wait_of is None:
            return False
        return time.perf_counter() + self._stage.wait_of(message) > deadline

    async def _handle_in_group(self, record: Record, message: Message | None) -> _Handled:
        """Handle ``record`` (``message``: it parsed) in the group's session. An invalid record
        is dead-lettered at once, in a transaction of its own (``process``): it is done at the
        group's next commit like the others, with nothing of its own in that commit."""
        started = time.perf_counter()
        if message is None:
            await self.process(record)
            return _Handled(record, {}, [], time.perf_counter() - started, reported=True)
        ids, produced = await self._handle_message(record, message)
        return _Handled(record, ids, produced, time.perf_counter() - started)

    async def _handle_shared(self, record: Record) -> tuple[dict[str, object], Sequence[Message]]:
        """Validate and handle ``record`` inside the chunk's transaction; anything wrong
        (an invalid record included) raises, and ``process`` deals with it on its own."""
        message = self._stage.message_type.model_validate_json(record.value)
        return await self._handle_message(record, message)

    async def _handle_message(
        self, record: Record, message: Message
    ) -> tuple[dict[str, object], Sequence[Message]]:
        ids = type(message).log_ids(
            {k: getattr(message, k) for k in ("article_id", "url", "kind") if hasattr(message, k)}
        )
        ids["message_id"] = str(message.message_id)
        with self._handling(record, ids):
            return ids, await self._stage.handle(message)

    async def _process(self, record: Record) -> None:
        service, topic = self._stage.service, record.topic
        metrics.MESSAGES_CONSUMED.labels(service, topic).inc()
        started = time.perf_counter()
        try:
            message = self._stage.message_type.model_validate_json(record.value)
        except ValidationError as exc:
            reason = f"invalid {self._stage.message_type.__name__}: {_summarize(exc)}"
            await self._send_letter(record, reason, attempts=1, started=started)
            return
        bind(message_id=str(message.message_id))
        outputs = await self._handle(record, message, started)
        if outputs is None:
            return
        if self._after_commit is not None:
            await self._after_commit(outputs)
        elapsed = time.perf_counter() - started
        metrics.HANDLER_SECONDS.labels(service, topic).observe(elapsed)
        log.info("processed", extra={"outputs": len(outputs), "seconds": round(elapsed, 4)})

    async def _handle(
        self, record: Record, message: Message, started: float
    ) -> Sequence[Message] | None:
        """Run the handler until it succeeds (its outputs, already in the outbox) or the
        record is dead-lettered (None)."""
        service, topic = self._stage.service, record.topic
        attempts = unexpected = 0
        while True:
            attempts += 1
            try:
                outputs = await self._stage.handle(message)
                self._outage.recovered()
                return outputs
            except Exception as exc:
                metrics.MESSAGES_FAILED.labels(service, topic).inc()
                fault = classify(exc)
                if fault is Fault.OUTAGE:
                    await self._wait_out(exc, started)
                    continue
                if fault is Fault.UNEXPECTED:
                    unexpected += 1
                    log.warning("handler failed", extra=_context(record, attempts, exc))
                    if unexpected < self._max_attempts:
                        await self._sleep(self._backoff_s * 2 ** (unexpected - 1))
                        continue
                    reason = f"gave up after {unexpected} attempts: {describe(exc)}"
                else:
                    reason = describe(exc)
                await self._send_letter(record, reason, attempts=attempts, started=started)
                return None

    async def _wait_out(self, exc: BaseException, started: float) -> None:
        wait = self._outage.failed(exc)
        limit = self._max_outage_wait_s
        if limit is not None and time.perf_counter() - started + wait > limit:
            raise OutageContinues(describe(exc)) from exc
        await self._sleep(wait)

    async def _send_letter(
        self, record: Record, error: str, *, attempts: int, started: float
    ) -> None:
        """Dead-letter ``record``, waiting out a broker outage rather than failing the record."""
        while True:
            try:
                await self._dead_letter(record, error, attempts=attempts)
                self._outage.recovered()
                return
            except Exception as exc:
                if classify(exc) is not Fault.OUTAGE:
                    raise
                await self._wait_out(exc, started)

    async def _dead_letter(self, record: Record, error: str, *, attempts: int) -> None:
        letter = build_dead_letter(
            record,
            error,
            service=self._stage.service,
            attempts=attempts,
            max_bytes=self._max_letter_bytes,
        )
        dlq = dead_letter_topic(record.topic)
        if self._letters is None:
            await self._publisher.publish([letter], topic=dlq)
        else:
            await self._letters.post(letter, topic=dlq, dedupe_key=self._letter_key(record))
        metrics.MESSAGES_DEAD_LETTERED.labels(self._stage.service, record.topic).inc()
        log.error(
            "dead-lettered",
            extra={
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "error": error[:500],
            },
        )

    def _letter_key(self, record: Record) -> str:
        # The record's coordinates, and its digest in case the topic was re-created and an
        # offset came back with other content.
        digest = hashlib.sha256(record.value).hexdigest()[:16]
        return f"{self._stage.service}|{record.topic}|{record.partition}|{record.offset}|{digest}"


def _peek_ids(message_type: type[Message], value: bytes) -> dict[str, object]:
    """The record's ids for the logs, even from an invalid message; which ids a record of
    ``message_type`` has is that type's knowledge (``Message.log_ids``)."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    return message_type.log_ids(parsed)


def _summarize(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in errors[:5]]
    return "; ".join(parts)


def _context(record: Record, attempt: int, exc: Exception) -> dict[str, object]:
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "attempt": attempt,
        "error": describe(exc),
    }

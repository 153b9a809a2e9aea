"""Processing one consumed record: validate, handle with bounded retries, publish, dead-letter.

Transport-agnostic so that it is unit-tested without a broker; ``devoured_infra.kafka`` feeds it
records and commits the offset only after ``process`` returns.
"""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import ValidationError

from devoured_core.errors import InvalidMessage, PermanentError
from devoured_core.messages import DeadLetter
from devoured_core.topics import dead_letter_topic
from devoured_core.urls import article_id_for
from devoured_infra import metrics
from devoured_infra.bus import Publisher, Stage
from devoured_infra.log_context import bind, bound

log = logging.getLogger("devoured.pump")


@dataclass(frozen=True)
class Record:
    """A consumed record, by logical topic name."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


class RecordProcessor:
    def __init__(
        self,
        stage: Stage,
        publisher: Publisher,
        *,
        max_attempts: int = 3,
        backoff_s: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._stage = stage
        self._publisher = publisher
        self._max_attempts = max(1, max_attempts)
        self._backoff_s = backoff_s
        self._sleep = sleep

    async def process(self, record: Record) -> None:
        """Handle ``record`` completely, or dead-letter it; raises only if publishing fails."""
        key = record.key.decode("utf-8", "replace") if record.key else None
        # Every log line while the record is handled carries where it came from (log_context).
        with bound(topic=record.topic, partition=record.partition, offset=record.offset, key=key):
            bind(**_peek_ids(record.value))
            await self._process(record)

    async def _process(self, record: Record) -> None:
        service, topic = self._stage.service, record.topic
        metrics.MESSAGES_CONSUMED.labels(service, topic).inc()
        started = time.perf_counter()
        try:
            message = self._stage.message_type.model_validate_json(record.value)
        except ValidationError as exc:
            reason = f"invalid {self._stage.message_type.__name__}: {_summarize(exc)}"
            await self._dead_letter(record, reason, attempts=1)
            return
        bind(message_id=str(message.message_id))
        outputs = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                outputs = await self._stage.handle(message)
                break
            except (PermanentError, InvalidMessage) as exc:
                metrics.MESSAGES_FAILED.labels(service, topic).inc()
                await self._dead_letter(record, f"{type(exc).__name__}: {exc}", attempts=attempt)
                return
            except Exception as exc:
                metrics.MESSAGES_FAILED.labels(service, topic).inc()
                log.warning("handler failed", extra=_context(record, attempt, exc))
                if attempt == self._max_attempts:
                    reason = f"gave up after {attempt} attempts: {type(exc).__name__}: {exc}"
                    await self._dead_letter(record, reason, attempts=attempt)
                    return
                await self._sleep(self._backoff_s * 2 ** (attempt - 1))
        assert outputs is not None
        await self._publisher.publish(outputs)
        elapsed = time.perf_counter() - started
        metrics.HANDLER_SECONDS.labels(service, topic).observe(elapsed)
        log.info("processed", extra={"outputs": len(outputs), "seconds": round(elapsed, 4)})

    async def _dead_letter(self, record: Record, error: str, *, attempts: int) -> None:
        letter = DeadLetter(
            original_topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            message_key=record.key.decode("utf-8", "replace") if record.key else None,
            payload=record.value.decode("utf-8", "replace"),
            error=error[:4000],
            service=self._stage.service,
            attempts=attempts,
        )
        dlq = dead_letter_topic(record.topic)
        await self._publisher.publish([letter], topic=dlq)
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


def _peek_ids(value: bytes) -> dict[str, object]:
    """The record's ``article_id`` and ``url`` for the logs, even from an invalid message.

    An article fetch request has no id yet: it is derived from the URL, as the fetcher does.
    """
    try:
        parsed = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    found = {k: parsed[k] for k in ("article_id", "url") if isinstance(parsed.get(k), str)}
    if "article_id" not in found and parsed.get("kind") == "article" and "url" in found:
        # Only for the logs: an unparsable URL must not stop the record (the handler reports it).
        with contextlib.suppress(Exception):
            found["article_id"] = article_id_for(str(found["url"]))
    return found


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
        "error": f"{type(exc).__name__}: {exc}",
    }

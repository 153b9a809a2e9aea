"""The in-process bus of embedded mode: no broker, same stage code, same delivery rules.

Messages are serialised and fed to the consuming stage through the same ``RecordProcessor``
the Kafka transport uses, so validation, retries, outage waits and dead letters behave exactly
as in the services. With a ``relay`` (the outbox relay of the embedded database) a stage's
outputs reach the bus the way they reach Kafka: from the outbox, after the handler committed.
Without one, the bus publishes what a handler returns, for stages that keep no state.
"""

from collections import deque
from collections.abc import Awaitable, Callable, Sequence

from devoured_core.messages import DeadLetter, Message
from devoured_infra import tracing
from devoured_infra.bus import Stage
from devoured_infra.pump import Record, RecordProcessor

Relay = Callable[[], Awaitable[int]]


class InMemoryBus:
    def __init__(self, *, max_attempts: int = 3, backoff_s: float = 0.0) -> None:
        # Each consumed topic's consumers: several services may consume one topic, each in its
        # own consumer group on Kafka, so each gets every record.
        self._processors: dict[str, list[RecordProcessor]] = {}
        self._queue: deque[tuple[RecordProcessor, Record]] = deque()
        self._offsets: dict[str, int] = {}
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s
        self._relay: Relay | None = None
        self.published: list[tuple[str, Message]] = []

    def attach(self, stages: Sequence[Stage], *, relay: Relay | None = None) -> None:
        self._relay = relay
        for stage in stages:
            processor = RecordProcessor(
                stage,
                self,
                max_attempts=self._max_attempts,
                backoff_s=self._backoff_s,
                after_commit=self._after_commit,
            )
            self._processors.setdefault(stage.message_type.TOPIC, []).append(processor)

    async def _after_commit(self, outputs: Sequence[Message]) -> None:
        if self._relay is not None:
            await self._relay()
        else:
            await self.publish(outputs)

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        for message in messages:
            name = topic or message.TOPIC
            self.published.append((name, message))
            if name in self._processors:
                offset = self._offsets.get(name, 0)
                self._offsets[name] = offset + 1
                headers: dict[str, str] = {}
                tracing.inject(headers)
                value = message.model_dump_json().encode()
                record = Record(
                    name, 0, offset, message.key(), value, headers=tracing.headers_of(headers)
                )
                self._queue.extend((p, record) for p in self._processors[name])

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def dead_letters(self) -> list[DeadLetter]:
        return [m for _, m in self.published if isinstance(m, DeadLetter)]

    async def drain(self, on_record: Callable[[Record], None] | None = None) -> int:
        """Relay the outbox, then process records until none is left; returns how many."""
        if self._relay is not None:
            await self._relay()
        processed = 0
        while self._queue:
            processor, record = self._queue.popleft()
            await processor.process(record)
            processed += 1
            if on_record is not None:
                on_record(record)
        return processed

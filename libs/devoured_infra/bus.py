"""How stages hand messages on: the ``Publisher`` port and the ``Stage`` a transport runs.

Handlers never publish; they return messages, and the transport publishes them after the
handler's transaction committed: Kafka in ``devoured_infra.kafka``, or the in-process bus of
embedded mode in ``devoured_infra.memory_bus``.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from devoured_core.messages import Message

Handler = Callable[[Any], Awaitable[Sequence[Message]]]


class Publisher(Protocol):
    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        """Publish ``messages`` to their own topic, or to ``topic`` when given."""


class PipelinedPublisher(Publisher, Protocol):
    """A publisher that can send without waiting for each acknowledgement (the Kafka one):
    ``send`` hands the message to the producer and returns what to await for its ack, so a
    batch travels in one round of requests instead of one round trip per message."""

    async def send(
        self, message: Message, *, topic: str | None = None, payload: bytes | None = None
    ) -> Awaitable[object]:
        """Queue ``message`` (``payload``: its JSON, already serialised, sent as is); the
        returned awaitable completes when the broker acknowledged it."""


@dataclass(frozen=True)
class Stage:
    """One pipeline stage as a transport sees it: who it is, what it eats, how it handles it.

    ``concurrency``: how many records the Kafka transport handles at once, each from a
    different partition, so a partition's records stay in order. Worth it for a stage that
    waits on I/O (the fetcher); a CPU-bound stage scales with replicas instead. Without
    ``batch``, one consumer per slot in the stage's group, each offset committed after its own
    record; with it, one consumer whose poll is handled in lanes, one per partition, sharing
    a session committed every ``DEVOURED_CONSUMER_BATCH_MAX_S`` (``pump``).

    ``batch``: the handler may share a transaction with the records around it
    (``devoured_infra.pump.RecordProcessor.process_batch``). True when everything it does
    outside its units of work can be done again harmlessly (CPU work, metrics), since a chunk
    that fails is rolled back and handled again record by record; not for a handler that pays
    for a call (an LLM) or sends something."""

    service: str
    message_type: type[Message]
    handle: Handler
    concurrency: int = 1
    batch: bool = False
    # In lanes: how long handling a message would wait before it starts (the fetcher: its
    # host's pace). A lane leaves a record for the next poll rather than hold the poll's end
    # past its window waiting for it.
    wait_of: Callable[[Any], float] | None = None

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


@dataclass(frozen=True)
class Stage:
    """One pipeline stage as a transport sees it: who it is, what it eats, how it handles it."""

    service: str
    message_type: type[Message]
    handle: Handler

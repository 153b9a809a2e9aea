"""Stand-ins for what a unit test must control: the clock, and a transport that records.

There are no fake repositories: handler tests run the real ones on SQLite (the ``database``
fixture, ``tests/support/sqlite.py``).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from devoured_core.messages import Message


class FakeClock:
    """A clock that only moves when told to; call it like ``datetime.now``."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class RecordingPublisher:
    """A ``Publisher`` that remembers what it was asked to publish, and where."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Message]] = []

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        self.published.extend((topic or m.TOPIC, m) for m in messages)

    def on(self, topic: str) -> list[Message]:
        return [m for t, m in self.published if t == topic]

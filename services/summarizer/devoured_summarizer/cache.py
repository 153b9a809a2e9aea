"""The LLM answer cache, keyed by (content hash, model, prompt version).

A replayed or re-extracted article with the same text costs nothing. The cache keeps the
accepted answer's JSON, so a cached answer is checked by the same code as a fresh one. The
service keeps it in its database, so a replay after a restart or on another replica is free
too; ``devoured summarize`` on the command line, which has no database, keeps it in memory.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the command line builds a backend without a database
    from devoured_summarizer.uow import SummarizerUnitOfWork


PRUNE_EVERY = timedelta(hours=1)


class AnswerCache(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, answer: str) -> None: ...


class MemoryAnswerCache:
    """Least-recently-used, bounded, in this process."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._max = max_entries

    async def get(self, key: str) -> str | None:
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
        return answer

    async def put(self, key: str, answer: str) -> None:
        self._entries[key] = answer
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)


class DatabaseAnswerCache:
    """In the summarizer's database, shared by every replica; answers older than ``keep`` go."""

    def __init__(
        self,
        new_uow: Callable[[], "SummarizerUnitOfWork"],
        *,
        keep: timedelta = timedelta(days=30),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._new_uow = new_uow
        self._keep = keep
        self._clock = clock
        self._pruned_at: datetime | None = None

    async def get(self, key: str) -> str | None:
        async with self._new_uow() as uow:
            return await uow.llm_ledger.answer(key)

    async def put(self, key: str, answer: str) -> None:
        now = self._clock()
        async with self._new_uow() as uow:
            await uow.llm_ledger.remember(key, answer, at=now)
            # Pruning rides along with a write, at most hourly per process: no extra job to run.
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
                await uow.llm_ledger.forget_before(now - self._keep)
                self._pruned_at = now
            await uow.commit()

"""The daily token budget of the LLM backend (per UTC day).

Tokens are reserved before a call (the prompt's estimate plus the largest answer) and settled
to what the API reported afterwards, so concurrent calls cannot together overshoot the limit.
The service keeps the count in its database, so the limit holds for all replicas together and
survives restarts; ``devoured summarize`` on the command line counts in memory.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from devoured_summarizer import metrics

if TYPE_CHECKING:  # the command line builds a backend without a database
    from devoured_summarizer.uow import SummarizerUnitOfWork

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Reservation:
    day: str  # the UTC day charged, so a call that spans midnight settles the right day
    tokens: int


class TokenBudget(Protocol):
    async def reserve(self, tokens: int) -> Reservation | None:
        """Set aside ``tokens`` of today's budget, or None when they do not fit."""
        ...

    async def settle(self, reservation: Reservation, used: int) -> None:
        """Replace a reservation by the tokens actually ``used`` (0 gives it all back)."""
        ...


def utc_day(clock: Clock) -> str:
    return clock().astimezone(UTC).date().isoformat()


class DailyTokenBudget:
    """Counts today's tokens in this process; a new day starts from zero."""

    def __init__(self, limit: int, clock: Clock = lambda: datetime.now(UTC)) -> None:
        self.limit = limit
        self._clock = clock
        self._spent: dict[str, int] = {}

    @property
    def spent(self) -> int:
        return self._spent.get(utc_day(self._clock), 0)

    async def reserve(self, tokens: int) -> Reservation | None:
        day = utc_day(self._clock)
        self._spent = {day: self._spent.get(day, 0)}  # forget earlier days
        if self._spent[day] + tokens > self.limit:
            return None
        self._spent[day] += tokens
        return Reservation(day, tokens)

    async def settle(self, reservation: Reservation, used: int) -> None:
        if reservation.day in self._spent:
            self._spent[reservation.day] += used - reservation.tokens


class DatabaseTokenBudget:
    """Counts today's tokens in the summarizer's database, for every replica together."""

    def __init__(
        self,
        new_uow: Callable[[], "SummarizerUnitOfWork"],
        limit: int,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.limit = limit
        self._new_uow = new_uow
        self._clock = clock
        metrics.LLM_BUDGET_LIMIT.set(limit)

    async def reserve(self, tokens: int) -> Reservation | None:
        day = utc_day(self._clock)
        async with self._new_uow() as uow:
            granted = await uow.llm_ledger.reserve(day, tokens, limit=self.limit)
            metrics.LLM_BUDGET_SPENT.set(await uow.llm_ledger.spent(day))
            await uow.commit()
        return Reservation(day, tokens) if granted else None

    async def settle(self, reservation: Reservation, used: int) -> None:
        async with self._new_uow() as uow:
            await uow.llm_ledger.adjust(reservation.day, used - reservation.tokens)
            if reservation.day == utc_day(self._clock):
                metrics.LLM_BUDGET_SPENT.set(await uow.llm_ledger.spent(reservation.day))
            await uow.commit()

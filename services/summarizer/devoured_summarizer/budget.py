"""A daily token budget for the LLM backend (per UTC day, in memory, per process)."""

from collections.abc import Callable
from datetime import UTC, date, datetime


class DailyTokenBudget:
    """Counts tokens spent today; a new day starts from zero."""

    def __init__(self, limit: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.limit = limit
        self._clock = clock
        self._day: date | None = None
        self._spent = 0

    @property
    def spent(self) -> int:
        self._roll()
        return self._spent

    def allows(self, estimate: int) -> bool:
        """Whether a call of about ``estimate`` tokens still fits today."""
        return self.spent + estimate <= self.limit

    def charge(self, tokens: int) -> None:
        self._roll()
        self._spent += tokens

    def _roll(self) -> None:
        today = self._clock().astimezone(UTC).date()
        if today != self._day:
            self._day, self._spent = today, 0

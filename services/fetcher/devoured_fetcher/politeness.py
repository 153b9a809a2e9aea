"""Per-host politeness in the worker: at most N requests in flight and a minimum delay between
the starts of two requests to the same host.

Fetch requests are keyed by host, so one worker owns each host and this in-process limiter is
the whole story for that host. Idle hosts are forgotten so the table does not grow forever.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Host:
    slots: asyncio.Semaphore
    next_start: float = 0.0
    users: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostLimiter:
    def __init__(
        self,
        *,
        concurrency: int = 1,
        min_delay_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, min_delay_s)
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        self._spacing: dict[str, float] = {}  # hosts that asked for more than ``min_delay_s``

    def delay_host(self, host: str, seconds: float) -> None:
        """Push the host's next start back (Retry-After, Crawl-delay)."""
        state = self._host(host)
        state.next_start = max(state.next_start, self._clock() + seconds)

    def space_host(self, host: str, seconds: float) -> None:
        """Space this host's starts at least ``seconds`` apart from now on (robots Crawl-delay)."""
        if seconds <= self._delay:
            self._spacing.pop(host, None)
            return
        if len(self._spacing) >= 10_000:  # bounded; robots.txt is asked again within the hour
            self._spacing.clear()
        self._spacing[host] = seconds

    def wait_s(self, host: str) -> float:
        """Seconds before the next request to ``host`` may start (0: now)."""
        state = self._hosts.get(host)
        return 0.0 if state is None else max(0.0, state.next_start - self._clock())

    def spacing(self, host: str) -> float:
        """Seconds between two request starts to ``host``."""
        return self._spacing.get(host, self._delay)

    def _host(self, host: str) -> _Host:
        # A host is known while it has requests or a wait pending (a Retry-After arrives after
        # its request ended, so it must create the entry that keeps the wait).
        state = self._hosts.get(host)
        if state is None:
            self._forget_idle()
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._concurrency))
        return state

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        state = self._host(host)
        state.users += 1
        try:
            async with state.slots:
                async with state.lock:  # starts are spaced one by one
                    wait = state.next_start - self._clock()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    state.next_start = self._clock() + self.spacing(host)
                yield
        finally:
            state.users -= 1
            if state.users == 0 and state.next_start <= self._clock():
                del self._hosts[host]

    def _forget_idle(self) -> None:
        if len(self._hosts) < 1024:
            return
        now = self._clock()
        for host in [h for h, s in self._hosts.items() if s.users == 0 and s.next_start <= now]:
            del self._hosts[host]

    @property
    def tracked_hosts(self) -> int:
        return len(self._hosts)

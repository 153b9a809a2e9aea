"""robots.txt for article pages, fetched with the same safe client and cached per host.

4xx (no robots.txt) allows everything; 5xx, 429 or a network failure make the answer
"unavailable" for a short while (RFC 9309: assume complete disallow for now, the site may be in
trouble): the fetcher puts the article off and asks again later, it does not give it up. The
cache keeps each answer for ``ttl_s``.
``Crawl-delay`` and ``Request-rate`` for our agent (or ``*``) become the host's spacing between
two requests (``crawl_delay``), which the worker's per-host limiter applies.
"""

import time
import urllib.robotparser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from devoured_core.errors import DevouredError

Get = Callable[[str], Awaitable[tuple[int, bytes]]]
Verdict = Literal["allowed", "disallowed", "unavailable"]
_ERROR_TTL_S = 300.0


@dataclass
class _Entry:
    parser: urllib.robotparser.RobotFileParser | None  # None: allow all
    unavailable: bool
    expires: float


class RobotsCache:
    def __init__(
        self,
        get: Get,
        *,
        user_agent: str,
        ttl_s: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        max_hosts: int = 10_000,
    ) -> None:
        self._get = get
        self._agent = user_agent
        self._ttl = ttl_s
        self._clock = clock
        self._max_hosts = max_hosts
        self._entries: dict[str, _Entry] = {}
        self.fetches = 0

    async def allowed(self, url: str) -> bool:
        return await self.verdict(url) == "allowed"

    async def verdict(self, url: str) -> Verdict:
        """Whether we may fetch ``url`` now; "unavailable" while robots.txt cannot be read."""
        entry = await self._entry(url)
        if entry.unavailable:
            return "unavailable"
        if entry.parser is None or entry.parser.can_fetch(self._agent, url):
            return "allowed"
        return "disallowed"

    async def crawl_delay(self, url: str) -> float:
        """Seconds the site asks between two of our requests (0: it asks nothing)."""
        entry = await self._entry(url)
        if entry.parser is None:
            return 0.0
        delay = float(entry.parser.crawl_delay(self._agent) or 0)
        rate = entry.parser.request_rate(self._agent)
        if rate is not None and rate.requests > 0:
            delay = max(delay, rate.seconds / rate.requests)
        return delay

    async def _entry(self, url: str) -> _Entry:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        entry = self._entries.get(origin)
        if entry is None or entry.expires <= self._clock():
            entry = await self._load(origin)
        return entry

    async def _load(self, origin: str) -> _Entry:
        self.fetches += 1
        now = self._clock()
        try:
            status, body = await self._get(origin + "/robots.txt")
        except DevouredError:
            entry = _Entry(None, True, now + _ERROR_TTL_S)
        else:
            if status >= 500 or status == 429:
                entry = _Entry(None, True, now + _ERROR_TTL_S)
            elif status >= 400:
                entry = _Entry(None, False, now + self._ttl)
            else:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
                entry = _Entry(parser, False, now + self._ttl)
        if len(self._entries) >= self._max_hosts:
            self._entries.clear()
        self._entries[origin] = entry
        return entry

"""The fetcher's HTTP adapter: timeouts, a streamed body cap, redirects checked hop by hop, and
a guard against requests to private networks. Third-party errors become ``core.errors`` here.
"""

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network
from urllib.parse import urljoin, urlsplit

import httpx

from devoured_core.errors import PermanentError, TransientError

KEPT_HEADERS = (
    "content-type",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "retry-after",
    "content-language",
)
MAX_REDIRECTS = 5


class BlockedAddress(PermanentError):
    """The URL resolves to an address we refuse to connect to."""


class ResponseTooLarge(PermanentError):
    """The body exceeded the configured cap."""


class FetchFailed(TransientError):
    """Network-level failure: DNS, connect, timeout, reset."""


@dataclass(frozen=True)
class HttpResponse:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class HttpFetcher:
    def __init__(
        self,
        *,
        timeout_s: float,
        max_bytes: int,
        user_agent: str,
        allowed_networks: tuple[IPv4Network | IPv6Network, ...] = (),
    ) -> None:
        self._timeout_s = timeout_s
        self._max_bytes = max_bytes
        self._allowed = allowed_networks
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            headers={"user-agent": user_agent, "accept-encoding": "gzip, deflate"},
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> HttpResponse:
        headers = {}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout_s * 2):
                return await self._follow(url, headers, started)
        except TimeoutError as exc:
            raise FetchFailed(
                f"http: {url}: request took longer than {self._timeout_s * 2} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchFailed(f"http: {url}: {type(exc).__name__}: {exc}") from exc

    async def _follow(self, url: str, headers: dict[str, str], started: float) -> HttpResponse:
        seen: list[str] = []
        current = url
        while True:
            await self._check_address(current)
            async with self._client.stream("GET", current, headers=headers) as response:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    seen.append(current)
                    current = urljoin(current, location)
                    if current in seen or len(seen) > MAX_REDIRECTS:
                        raise PermanentError(
                            f"http: {url}: redirect loop or more than {MAX_REDIRECTS} redirects"
                        )
                    continue
                body = await self._read_capped(response, current)
                kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
                elapsed = int((time.perf_counter() - started) * 1000)
                return HttpResponse(url, current, response.status_code, kept, body, elapsed, seen)

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise ResponseTooLarge(f"http: {url}: body larger than {self._max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _check_address(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentError(f"http: {url}: only http(s) URLs are fetched")
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise FetchFailed(f"http: {url}: cannot resolve {parts.hostname}: {exc}") from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global and not any(address in net for net in self._allowed):
                raise BlockedAddress(
                    f"http: {url}: {parts.hostname} resolves to non-public "
                    f"address {address}; see DEVOURED_FETCH_ALLOWED_NETWORKS"
                )

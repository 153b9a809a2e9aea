"""The fetcher's HTTP client: timeouts, a streamed body cap with a decompression-bomb guard,
redirects followed by hand (at most 5, loops refused), the SSRF guard on every connection
(see ``ssrf``), and per-host politeness. Third-party errors become ``core.errors`` here.
"""

import asyncio
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from devoured_core.errors import PermanentError, TransientError
from devoured_core.urls import host_of
from devoured_fetcher import metrics
from devoured_fetcher.bodies import ResponseTooLarge, read_capped
from devoured_fetcher.politeness import HostLimiter
from devoured_fetcher.ssrf import BlockedAddress, GuardedBackend, Network

__all__ = [
    "MAX_REDIRECTS",
    "BlockedAddress",
    "FetchFailed",
    "HttpFetcher",
    "HttpResponse",
    "InvalidUrl",
    "ResponseTooLarge",
    "TooManyRedirects",
]

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


class FetchFailed(TransientError):
    """Network-level failure: DNS, connect, timeout, reset."""


class InvalidUrl(PermanentError):
    """The URL (or a redirect's Location) cannot be fetched as written: bad host name,
    IPv6 literal or port."""


class TooManyRedirects(PermanentError):
    """A redirect loop, or a chain longer than the limit."""


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

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


# httpcore's pool looks at every connection it holds (idle? expired? a readability syscall
# each) on every request and every response close: with a hundred hosts that bookkeeping was a
# quarter of the fetcher's CPU. Origins are spread over this many small pools instead.
POOL_SHARDS = 32
KEEPALIVE_PER_SHARD = 4  # idle connections each pool keeps (128 in all)


class ShardedTransport(httpx.AsyncBaseTransport):
    """Requests go to one of ``POOL_SHARDS`` connection pools by their origin, each pool built
    like httpx's own (no proxy) with the SSRF-guarded network backend."""

    def __init__(self, allowed: tuple[Network, ...], *, max_connections_per_pool: int) -> None:
        context = ssl.create_default_context()
        backend = GuardedBackend(allowed)
        self._shards = [
            _guarded_transport(context, backend, max_connections=max_connections_per_pool)
            for _ in range(POOL_SHARDS)
        ]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        return await self._shards[hash(origin) % POOL_SHARDS].handle_async_request(request)

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()


def _guarded_transport(
    context: ssl.SSLContext, backend: GuardedBackend, *, max_connections: int
) -> httpx.AsyncHTTPTransport:
    limits = httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=KEEPALIVE_PER_SHARD,
        keepalive_expiry=30,
    )
    # The shared context: building one loads the CA bundle (~20 ms of CPU each).
    transport = httpx.AsyncHTTPTransport(verify=context, limits=limits)
    # httpx has no public hook for the network backend; the pool below is exactly the one
    # AsyncHTTPTransport builds (no proxy), plus our guarded backend.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend,
    )
    return transport


class HttpFetcher:
    def __init__(
        self,
        *,
        timeout_s: float,
        max_bytes: int,
        user_agent: str,
        allowed_networks: tuple[Network, ...] = (),
        total_timeout_s: float | None = None,
        connect_timeout_s: float | None = None,
        max_redirects: int = MAX_REDIRECTS,
        limiter: HostLimiter | None = None,
        max_connections: int = 100,
    ) -> None:
        self._total_s = total_timeout_s if total_timeout_s is not None else timeout_s * 2
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._user_agent = user_agent
        self.limiter = limiter
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s or min(10.0, timeout_s)),
            headers={"user-agent": user_agent, "accept-encoding": "gzip, deflate"},
            follow_redirects=False,
            # A ceiling per pool (since the pools by origin, not for the whole client): the
            # fetches in flight are bounded by the stage's concurrency anyway.
            transport=ShardedTransport(allowed_networks, max_connections_per_pool=max_connections),
            trust_env=False,
        )

    @property
    def user_agent(self) -> str:
        return self._user_agent

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
        accept: str | None = None,
    ) -> HttpResponse:
        """GET ``url`` politely; 4xx/5xx are returned, network and guard failures raise.

        ``headers`` (a source's own, which may carry credentials) go only to ``url``'s origin:
        they are dropped on a redirect to another scheme, host or port.
        """
        standard: dict[str, str] = {}
        if accept:
            standard["accept"] = accept
        if etag:
            standard["if-none-match"] = etag
        if last_modified:
            standard["if-modified-since"] = last_modified
        sent = (dict(headers or {}), standard)
        if self.limiter is None:
            return await self._timed(url, sent)
        try:
            host = host_of(url)
        except ValueError as exc:
            raise InvalidUrl(f"http: {url}: invalid URL: {exc}") from exc
        async with self.limiter.slot(host):
            return await self._timed(url, sent)

    async def _timed(
        self, url: str, headers: tuple[dict[str, str], dict[str, str]]
    ) -> HttpResponse:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._total_s):
                response = await self._follow(url, *headers, started)
        except TimeoutError as exc:
            raise FetchFailed(f"http: {url}: request took longer than {self._total_s} s") from exc
        except httpx.TimeoutException as exc:
            raise FetchFailed(f"http: {url}: {type(exc).__name__} (timeout)") from exc
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            raise FetchFailed(f"http: {url}: {type(exc).__name__}: {exc}") from exc
        except (httpx.InvalidURL, ValueError) as exc:  # bad IDNA, IPv6 literal, octal IPv4...
            raise InvalidUrl(f"http: {url}: invalid URL: {type(exc).__name__}: {exc}") from exc
        _observe(response)
        return response

    async def _follow(
        self, url: str, own: dict[str, str], standard: dict[str, str], started: float
    ) -> HttpResponse:
        seen: list[str] = []
        current = url
        while True:
            _check_scheme(current)
            # The source's own headers only while we stay on its origin.
            sent = {**own, **standard} if _origin(current) == _origin(url) else standard
            async with self._client.stream("GET", current, headers=sent) as response:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    seen.append(current)
                    current = urljoin(current, location.strip())
                    if current in seen:
                        raise TooManyRedirects(f"http: {url}: redirect loop via {current}")
                    if len(seen) > self._max_redirects:
                        raise TooManyRedirects(
                            f"http: {url}: more than {self._max_redirects} redirects"
                        )
                    continue
                body = await read_capped(
                    response.aiter_raw(),
                    encoding=response.headers.get("content-encoding", ""),
                    max_bytes=self._max_bytes,
                )
                kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
                elapsed = int((time.perf_counter() - started) * 1000)
                return HttpResponse(url, current, response.status_code, kept, body, elapsed, seen)


def _observe(response: HttpResponse) -> None:
    status = response.status
    status_class = "304" if status == 304 else f"{status // 100}xx"
    metrics.FETCH_HTTP_REQUESTS.labels(status_class, host_of(response.final_url)).inc()
    metrics.FETCH_HTTP_BYTES.inc(len(response.body))
    metrics.FETCH_HTTP_SECONDS.observe(response.elapsed_ms / 1000)


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (default ports filled in): what a browser calls the origin."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a malformed port: never the origin we started from
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError(f"http: {url}: only http(s) URLs are fetched")

"""Fetcher throughput: 2,000 pages across 100 host names, ours vs a bare httpx loop.

Both sides run in the same process and the same run, against the same local server (20 ms
latency per response), with the same concurrency (64 requests in flight) and the same
politeness (one request per host at a time, 50 ms between two requests to a host). Ours is
the service's ``HttpFetcher`` with its SSRF guard, body cap, charset-agnostic streaming and
``HostLimiter``; the peer is ``httpx.AsyncClient.get`` with a per-host lock and sleep.
"""

import asyncio
import time
from collections import defaultdict
from ipaddress import ip_network

import httpx

from bench.fetcher.server import bench_server
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.politeness import HostLimiter

HOSTS = 100
PAGES = 2000
CONCURRENCY = 64
HOST_DELAY_S = 0.05
LATENCY_S = 0.02


def _urls(port: int) -> list[str]:
    # Interleave hosts so that every host has work at any time, as a real queue would.
    return [f"http://127.0.0.{2 + i % HOSTS}:{port}/p/{i}" for i in range(PAGES)]


async def _drive(urls: list[str], get: object) -> float:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)

    async def worker() -> None:
        while not queue.empty():
            await get(queue.get_nowait())  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return len(urls) / (time.perf_counter() - started)


async def ours(urls: list[str]) -> float:
    http = HttpFetcher(
        timeout_s=10,
        max_bytes=5 * 1024 * 1024,
        user_agent="bench",
        allowed_networks=(ip_network("127.0.0.0/8"),),
        limiter=HostLimiter(concurrency=1, min_delay_s=HOST_DELAY_S),
        max_connections=CONCURRENCY * 2,
    )

    async def get(url: str) -> None:
        response = await http.get(url)
        assert response.status == 200
        assert len(response.body) > 1000

    try:
        return await _drive(urls, get)
    finally:
        await http.aclose()


async def bare(urls: list[str]) -> float:
    locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
    next_start: dict[str, float] = defaultdict(float)
    client = httpx.AsyncClient(
        limits=httpx.Limits(max_connections=CONCURRENCY * 2), trust_env=False
    )

    async def get(url: str) -> None:
        host = httpx.URL(url).host
        async with locks[host]:
            wait = next_start[host] - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            next_start[host] = time.monotonic() + HOST_DELAY_S
            response = await client.get(url)
            assert response.status_code == 200
            assert len(response.content) > 1000

    try:
        return await _drive(urls, get)
    finally:
        await client.aclose()


async def bench_fetcher() -> list[str]:
    with bench_server(LATENCY_S) as port:
        urls = _urls(port)
        await bare(urls[:200])  # warm up both paths (imports, DNS cache, server)
        await ours(urls[:200])
        rates: dict[str, list[float]] = {"ours": [], "bare": []}
        for _ in range(2):  # alternate to share the machine's noise fairly
            rates["bare"].append(await bare(urls))
            rates["ours"].append(await ours(urls))
    best_ours, best_bare = max(rates["ours"]), max(rates["bare"])
    return [
        f"fetcher: {PAGES} pages over {HOSTS} hosts, concurrency {CONCURRENCY}, "
        f"{HOST_DELAY_S * 1000:.0f} ms per-host delay, {LATENCY_S * 1000:.0f} ms latency: "
        f"devoured {best_ours:.0f} pages/s, bare httpx loop {best_bare:.0f} pages/s, "
        f"ratio {best_ours / best_bare:.2f} (aim >= 0.8)"
    ]


def main() -> None:
    for line in asyncio.run(bench_fetcher()):
        print(line)

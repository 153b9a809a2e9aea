"""The fetcher's connection pools against a real keep-alive server on 127.0.0.x: connections
are reused per origin, and origins are spread over small pools (httpcore scans every
connection of a pool on each request, so one big pool costs CPU per host it knows)."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from devoured_fetcher.http import POOL_SHARDS, HttpFetcher, ShardedTransport
from tests.unit.conftest import LOOPBACK


class KeepAliveServer:
    """Answers every request with ``ok`` over HTTP/1.1 keep-alive; counts connections."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[KeepAliveServer]:
    state = KeepAliveServer()
    listening = await asyncio.start_server(state.handle, "0.0.0.0", 0)
    state.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield state


def _pooled(fetcher: HttpFetcher) -> list[int]:
    """Connections held by each shard's pool."""
    transport = fetcher._client._transport
    assert isinstance(transport, ShardedTransport)
    return [len(shard._pool.connections) for shard in transport._shards]


async def test_one_origin_reuses_its_connection(server: KeepAliveServer) -> None:
    fetcher = HttpFetcher(timeout_s=5.0, max_bytes=1024, user_agent="t", allowed_networks=LOOPBACK)
    try:
        for _ in range(10):
            response = await fetcher.get(f"http://127.0.0.1:{server.port}/page")
            assert response.body == b"ok"
    finally:
        await fetcher.aclose()
    assert server.connections == 1


async def test_origins_are_spread_over_small_pools(server: KeepAliveServer) -> None:
    origins = [f"http://127.0.0.{n}:{server.port}/" for n in range(1, 65)]
    fetcher = HttpFetcher(timeout_s=5.0, max_bytes=1024, user_agent="t", allowed_networks=LOOPBACK)
    try:
        for url in origins:
            assert (await fetcher.get(url)).body == b"ok"
        pooled = _pooled(fetcher)
    finally:
        await fetcher.aclose()
    assert len(pooled) == POOL_SHARDS
    assert server.connections == len(origins)
    # 64 origins in one pool would put 64 connections in every scan; spread, far fewer.
    assert max(pooled) < len(origins) // 4
    assert sum(1 for n in pooled if n) > POOL_SHARDS // 2

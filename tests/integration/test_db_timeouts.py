"""Every wait on PostgreSQL is bounded: a slow statement, or a server that stops answering,
raises promptly instead of holding a handler forever (and the record with it).

A server that stops answering is played by a TCP proxy in front of the real one that stops
passing bytes on, as a paused (SIGSTOP) or cut-off server looks from the client.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from devoured_infra.db import create_engine
from devoured_infra.settings import DatabaseTimeouts, Settings

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

# Far longer than any limit below: a test that waits this long shows the limit did not apply.
HANG_S = 30.0


class FreezableProxy:
    """Forwards TCP to ``target``; ``freeze()`` stops passing bytes either way, sockets open."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def freeze(self) -> None:
        self._flowing.clear()

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self._target)
        for reader, writer in ((client_r, server_w), (server_r, client_w)):
            task = asyncio.create_task(self._pipe(reader, writer))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[tuple[FreezableProxy, str]]:
    url = make_url(database_url)
    running = FreezableProxy(url.host or "127.0.0.1", url.port or 5432)
    await running.start()
    via_proxy = url.set(host="127.0.0.1", port=running.port)
    yield running, via_proxy.render_as_string(hide_password=False)
    await running.close()


async def _elapsed_until_it_raises(engine_url: str, timeouts: DatabaseTimeouts | None) -> float:
    engine = create_engine(engine_url, timeouts=timeouts)
    started = time.monotonic()
    try:
        with pytest.raises((DBAPIError, TimeoutError)):
            async with asyncio.timeout(HANG_S), engine.connect() as connection:
                await connection.execute(text("select pg_sleep(:s)"), {"s": HANG_S * 2})
        return time.monotonic() - started
    finally:
        await engine.dispose()


async def test_a_statement_over_the_limit_is_cancelled_by_the_server(database_url: str) -> None:
    engine = create_engine(database_url, timeouts=DatabaseTimeouts(statement_s=1))
    try:
        started = time.monotonic()
        with pytest.raises(DBAPIError, match="statement timeout"):
            async with engine.connect() as connection:
                await connection.execute(text("select pg_sleep(:s)"), {"s": HANG_S})
        assert time.monotonic() - started < 5
        async with engine.connect() as connection:  # the pool's connections are still good
            assert (await connection.execute(text("select 1"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_the_limits_come_from_the_settings_by_default(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEVOURED_DB_STATEMENT_TIMEOUT_S", "1")
    monkeypatch.setenv("DEVOURED_DB_IDLE_IN_TRANSACTION_TIMEOUT_S", "7")
    assert await _elapsed_until_it_raises(database_url, None) < 5
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            idle = await connection.execute(text("show idle_in_transaction_session_timeout"))
            assert idle.scalar() == "7s"
        assert engine.pool.timeout() == Settings().db_pool_timeout_s  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_a_server_that_stops_answering_fails_the_statement(
    proxy: tuple[FreezableProxy, str],
) -> None:
    frozen, url = proxy
    engine = create_engine(url, timeouts=DatabaseTimeouts(connect_s=1, statement_s=1))
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("select 1"))).scalar() == 1
            frozen.freeze()
            started = time.monotonic()
            with pytest.raises((DBAPIError, TimeoutError)):
                async with asyncio.timeout(HANG_S):
                    await connection.execute(text("select 1"))
            # statement_s plus the client's grace; far below HANG_S
            assert time.monotonic() - started < 10
            with contextlib.suppress(Exception):  # the connection is lost with the server
                await asyncio.wait_for(connection.invalidate(), 5)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(engine.dispose(), 10)


async def test_connecting_to_a_server_that_does_not_answer_fails(
    proxy: tuple[FreezableProxy, str],
) -> None:
    frozen, url = proxy
    frozen.freeze()
    elapsed = await _elapsed_until_it_raises(url, DatabaseTimeouts(connect_s=1))
    assert elapsed < 5

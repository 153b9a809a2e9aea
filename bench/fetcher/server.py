"""A local HTTP/1.1 keep-alive server with realistic latency, in its own process.

It listens on one port of 0.0.0.0, so 127.0.0.2 ... 127.0.0.101 (all loopback on Linux) reach
it as 100 distinct host names. Each response waits ``latency_s`` before it is sent.
"""

import asyncio
import multiprocessing
import socket
from collections.abc import Iterator
from contextlib import contextmanager

PAGE = (
    b"<html><head><title>Bench page</title></head><body>"
    + b"<p>Some text.</p>" * 400
    + b"</body></html>"
)


async def _serve(sock: socket.socket, latency_s: float) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    break
                await asyncio.sleep(latency_s)
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
                    b"content-length: " + str(len(PAGE)).encode() + b"\r\n\r\n" + PAGE
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, sock=sock, backlog=1024)
    async with server:
        await server.serve_forever()


def _run(sock: socket.socket, latency_s: float) -> None:
    asyncio.run(_serve(sock, latency_s))


@contextmanager
def bench_server(latency_s: float) -> Iterator[int]:
    sock = socket.create_server(("0.0.0.0", 0), backlog=1024)
    port = sock.getsockname()[1]
    process = multiprocessing.get_context("fork").Process(
        target=_run, args=(sock, latency_s), daemon=True
    )
    process.start()
    try:
        yield port
    finally:
        process.terminate()
        process.join(5)
        sock.close()

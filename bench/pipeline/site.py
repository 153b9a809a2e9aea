"""A local news web: ``feeds`` RSS feeds listing ``articles`` real pages, spread over many
loopback host names (127.0.0.2, 127.0.0.3, ...), served with a small latency.

The pages are the gzip files of ``../shared/extraction-dev/html``, decompressed at run time in
the server process (never copied anywhere). Article ``i`` is page ``i mod 601`` at
``http://127.0.0.<host>:<port>/a/<i>.html``; feed ``f`` lists the articles ``i`` with
``i mod feeds == f`` and lives, with its articles, on host ``f mod hosts``.

With ``release_s`` (the soak) the articles appear over that many seconds, in order, article
``i`` at ``i / articles * release_s`` after the server starts: the pipeline then runs at a
steady rate for the whole soak instead of draining one backlog.
"""

import asyncio
import gzip
import multiprocessing
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "extraction-dev" / "html"


def page_files() -> list[Path]:
    return sorted(CORPUS.glob("*.html.gz"))


@dataclass(frozen=True)
class Web:
    port: int
    articles: int
    feeds: int
    hosts: int
    server_pid: int = 0

    def host(self, feed: int) -> str:
        return f"127.0.0.{2 + feed % self.hosts}"

    def feed_url(self, feed: int) -> str:
        return f"http://{self.host(feed)}:{self.port}/feeds/{feed}.xml"

    def article_url(self, article: int) -> str:
        return f"http://{self.host(article % self.feeds)}:{self.port}/a/{article}.html"

    def sources_yaml(self) -> str:
        lines = ["sources:"]
        for f in range(self.feeds):
            lines += [
                f"  - source_id: bench-{f}",
                f"    name: Bench feed {f}",
                f"    url: {self.feed_url(f)}",
                "    kind: feed",
            ]
        return "\n".join(lines) + "\n"


def feed_xml(
    web: Web, feed: int, published: datetime, *, released: int | None = None, step_s: float = 0.0
) -> bytes:
    """Feed ``feed`` listing its articles below ``released`` (all by default), article ``i``
    published ``i * step_s`` after ``published``."""
    items = []
    for i in range(feed, web.articles if released is None else released, web.feeds):
        at = published + timedelta(seconds=i * step_s)
        items.append(
            f"<item><title>Bench article {i}</title><link>{escape(web.article_url(i))}</link>"
            f"<guid>{escape(web.article_url(i))}</guid>"
            f"<pubDate>{format_datetime(at)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {feed}</title><link>http://{web.host(feed)}/</link>"
        f"<description>Bench</description>{''.join(items)}</channel></rss>"
    ).encode()


async def _serve(sock: socket.socket, web: Web, latency_s: float, release_s: float) -> None:
    pages = [gzip.decompress(p.read_bytes()) for p in page_files()]
    published = datetime.now(UTC)
    step_s = release_s / max(1, web.articles)
    feeds = {f: feed_xml(web, f, published) for f in range(web.feeds)}
    first_poll: list[float] = []  # the release starts when the pipeline first asks

    def feed(number: int) -> tuple[bytes, bytes]:
        """The feed and its ETag (what it lists changes only as articles are released)."""
        if not release_s:
            return feeds[number], b'"all"'
        first_poll[:] = first_poll or [time.monotonic()]
        released = min(web.articles, int((time.monotonic() - first_poll[0]) / step_s) + 1)
        listed = len(range(number, released, web.feeds))
        body = feed_xml(web, number, published, released=released, step_s=step_s)
        return body, f'"{listed}"'.encode()

    def respond(path: str, etag: bytes | None) -> tuple[bytes, bytes, bytes, bytes]:
        if path.startswith("/a/") and path.endswith(".html"):
            number = path[3:-5]
            if number.isdigit() and int(number) < web.articles:
                return b"200 OK", b"text/html", pages[int(number) % len(pages)], b""
        if path.startswith("/feeds/") and path.endswith(".xml"):
            number = path[7:-4]
            if number.isdigit() and int(number) in feeds:
                body, tag = feed(int(number))
                if etag == tag:  # a conditional poll of an unchanged feed, as real sites do
                    return b"304 Not Modified", b"application/rss+xml", b"", tag
                return b"200 OK", b"application/rss+xml", body, tag
        return b"404 Not Found", b"text/plain", b"not found\n", b""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                parts = head.split(b" ", 2)
                path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
                await asyncio.sleep(latency_s)
                status, kind, body, tag = respond(path, _header(head, b"if-none-match"))
                etag = b"etag: " + tag + b"\r\n" if tag else b""
                writer.write(
                    b"HTTP/1.1 "
                    + status
                    + b"\r\ncontent-type: "
                    + kind
                    + b"\r\n"
                    + etag
                    + b"content-length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, sock=sock, backlog=4096)
    async with server:
        await server.serve_forever()


def _header(head: bytes, name: bytes) -> bytes | None:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _run(sock: socket.socket, web: Web, latency_s: float, release_s: float) -> None:
    asyncio.run(_serve(sock, web, latency_s, release_s))


@contextmanager
def serve_web(
    articles: int, feeds: int, *, hosts: int = 100, latency_s: float = 0.02, release_s: float = 0.0
) -> Iterator[Web]:
    """Serve the web in a child process (its CPU is not the pipeline's); with ``release_s``,
    the articles appear over that many seconds."""
    sock = socket.create_server(("0.0.0.0", 0), backlog=4096)
    web = Web(sock.getsockname()[1], articles, feeds, max(1, min(hosts, feeds, 250)))
    process = multiprocessing.get_context("fork").Process(
        target=_run, args=(sock, web, latency_s, release_s), daemon=True
    )
    process.start()
    try:
        yield replace(web, server_pid=process.pid or 0)
    finally:
        process.terminate()
        process.join(5)
        sock.close()

"""A news site whose feed keeps growing while the pipeline runs, its articles on many hosts.

The feed is served on 127.0.0.1 and the article pages on 127.0.0.2, 127.0.0.3, ... (any
127.0.0.0/8 address is loopback on Linux), one small server per address. Fetch requests are
keyed by host, so the articles spread over the partitions of ``fetch_requested`` and the
fetcher's per-host politeness applies to each host. A new article appears every ``interval_s``
once ``start`` is called, so articles are in flight whenever a fault hits; ``freeze`` stops the
growth and says how many articles were offered; ``burst`` adds several at once. The text is
tests/support/site.py's generated text (our own words).
"""

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.site import Site

FEED_PATH = "/feed.xml"
MAX_ARTICLES = 8000  # site.py's product names are unique up to here


class _Server:
    """One threaded HTTP server on ``address`` (a free port), stopped by ``close``."""

    def __init__(self, address: str, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer((address, 0), handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://{address}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class ArticleStream:
    """The growing site. Article ``i`` lives on host ``i % hosts``."""

    def __init__(
        self, *, hosts: int, interval_s: float, initial: int = 3, page_delay_s: float = 0.05
    ) -> None:
        self.interval_s = interval_s
        self.feed_polls: list[float] = []  # monotonic times of the feed requests
        self._initial = initial
        self._page_delay_s = page_delay_s
        self._started: float | None = None
        self._frozen: int | None = None
        self._appeared: dict[int, datetime] = {}  # when each entry was first listed
        self._feed = _Server("127.0.0.1", self._handler(self._serve_feed))
        self._hosts = [
            _Server(f"127.0.0.{number + 2}", self._handler(self._page_server(number)))
            for number in range(hosts)
        ]
        self._sites = [Site(MAX_ARTICLES, base_url=host.base_url) for host in self._hosts]

    @property
    def feed_url(self) -> str:
        return self._feed.base_url + FEED_PATH

    def start(self) -> None:
        """Start the growth: one more article every ``interval_s`` from now on."""
        self._started = time.monotonic()

    def burst(self, count: int) -> None:
        """``count`` more articles at once (a feed that posts several stories together)."""
        if self._frozen is None:
            self._initial += count

    def released(self) -> int:
        """How many articles the feed lists now."""
        if self._frozen is not None:
            return self._frozen
        grown = 0 if self._started is None else (time.monotonic() - self._started) / self.interval_s
        return min(MAX_ARTICLES, self._initial + int(grown))

    def freeze(self) -> int:
        """Stop the growth; returns how many articles were offered."""
        self._frozen = self.released()
        return self._frozen

    def article_url(self, index: int) -> str:
        site = self._sites[index % len(self._sites)]
        return site.base_url + site.article_path(index)

    def offered_urls(self) -> list[str]:
        return [self.article_url(i) for i in range(self.released())]

    def missing_url(self, name: str) -> str:
        """A URL on the site that answers 404 (for poison that names a URL)."""
        return f"{self._feed.base_url}/poison/{name}.html"

    def polls_since(self, moment: float) -> int:
        return sum(1 for t in self.feed_polls if t >= moment)

    def close(self) -> None:
        for server in [self._feed, *self._hosts]:
            server.close()

    def feed(self) -> str:
        count = self.released()
        items = "".join(self._item(i) for i in reversed(range(count)))  # newest first
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Chaos Wire</title><link>{self._feed.base_url}/</link>"
            f"<description>Generated</description>{items}</channel></rss>"
        )

    def _item(self, index: int) -> str:
        url = self.article_url(index)
        appeared = self._appeared.setdefault(index, datetime.now(UTC))
        return (
            f"<item><title>Chaos Wire story {index}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{format_datetime(appeared, usegmt=True)}</pubDate>"
            "<category>Programming</category></item>"
        )

    def _serve_feed(self, path: str) -> tuple[int, str, str]:
        if path == FEED_PATH:
            self.feed_polls.append(time.monotonic())
            return 200, self.feed(), "application/rss+xml"
        return 404, "not found", "text/plain"

    def _page_server(self, number: int) -> Callable[[str], tuple[int, str, str]]:
        def serve(path: str) -> tuple[int, str, str]:
            name = path.removeprefix("/news/story-").removesuffix(".html")
            if not (path.startswith("/news/story-") and name.isdigit()):
                return 404, "not found", "text/plain"  # robots.txt too: everything allowed
            index = int(name)
            if index >= self.released() or index % len(self._hosts) != number:
                return 404, "no such story", "text/plain"
            time.sleep(self._page_delay_s)
            return 200, self._sites[number].page(index), "text/html"

        return serve

    @staticmethod
    def _handler(serve: Callable[[str], tuple[int, str, str]]) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, content_type = serve(self.path)
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", f"{content_type}; charset=utf-8")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the fetcher was killed while it read

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

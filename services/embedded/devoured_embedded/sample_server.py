"""A local HTTP server for the offline demo: serves the bundled sample site on 127.0.0.1.

Pages carry a ``{BASE}`` placeholder that becomes the server's own address, so links and
canonical URLs point back at it.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE_SITE = Path(__file__).parent / "sample" / "site"
_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}


@contextmanager
def serve_sample_site(root: Path = SAMPLE_SITE) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yields the base URL, stops on exit."""
    with serve_http(_handler_for(root)) as base:
        yield base


@contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` in a threaded HTTP server on a free port of 127.0.0.1; yields its base
    URL (also on ``server.base_url`` for the handler) and stops the server on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    server.base_url = base  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _handler_for(root: Path) -> type[BaseHTTPRequestHandler]:
    class SampleHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = (root / self.path.split("?")[0].lstrip("/")).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                self.send_error(404)
                return
            base = self.server.base_url  # type: ignore[attr-defined]
            body = path.read_text(encoding="utf-8").replace("{BASE}", base).encode()
            self.send_response(200)
            self.send_header("content-type", _TYPES.get(path.suffix, "text/plain"))
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return SampleHandler

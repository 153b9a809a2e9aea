"""A real HTTP server on 127.0.0.1 that serves whatever a test routes to it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from devoured_embedded.sample_server import serve_http


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]


Route = Reply | Callable[[SeenRequest], Reply]


class LocalSite:
    """Routes paths to replies and remembers every request it served."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.base_url = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, reply: Route) -> str:
        self.routes[path] = reply
        return self.url(path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def reply_to(self, request: SeenRequest) -> Reply:
        self.requests.append(request)
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found", {"content-type": "text/plain"})
        return route(request) if callable(route) else route


def _handler_for(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = site.reply_to(SeenRequest(self.path, headers))
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status not in (204, 304):
                self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            if reply.status not in (204, 304):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[LocalSite]:
    """Run a ``LocalSite`` on an ephemeral 127.0.0.1 port for the duration of the block."""
    site = LocalSite()
    with serve_http(_handler_for(site)) as base:
        site.base_url = base
        yield site

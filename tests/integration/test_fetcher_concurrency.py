"""The fetcher over Kafka overlaps fetches to different hosts while each host keeps its pace.

Requests are keyed by host; the fetcher handles several partitions at once (lanes of one
consumer's poll, docs/architecture.md#lanes), so a slow host holds up only its own partition.
A local server on many loopback names (127.0.0.2 ...) answers slowly and records when each
request started and ended, by host.
"""

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from devoured_core.messages import FetchArticle, PageFetched, SourceInfo
from devoured_fetcher.settings import FetcherSettings
from devoured_infra import registry
from devoured_infra.kafka import service_app
from tests.support.asgi import serve_asgi
from tests.support.kafka import collect, produce_messages, provisioned_settings
from tests.support.services import free_port

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(180)]

HOSTS = 6
PER_HOST = 3
SLOW_S = 0.4
HOST_DELAY_S = 0.3
PAGE = (
    "<html><head><title>A slow page</title></head><body><article>"
    + "<p>The council approved the new budget after a long debate about the transit plan.</p>" * 20
    + "</article></body></html>"
).encode()


@dataclass
class SlowWeb:
    port: int = 0
    in_flight: int = 0
    peak: int = 0
    visits: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def slow_web() -> Iterator[SlowWeb]:
    web = SlowWeb()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self.send_response(404)
                self.end_headers()
                return
            host = self.headers.get("host", "").split(":")[0]
            with web.lock:
                web.in_flight += 1
                web.peak = max(web.peak, web.in_flight)
            started = time.monotonic()
            time.sleep(SLOW_S)
            with web.lock:
                web.in_flight -= 1
                web.visits.setdefault(host, []).append((started, time.monotonic()))
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    web.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()


async def test_fetches_to_different_hosts_overlap_and_each_host_keeps_its_pace(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    settings = await provisioned_settings(
        kafka_bootstrap_servers,
        topic_prefix,
        database_url=database_url,
        topic_partitions=12,
        http_port=free_port(),
        kafka_session_timeout_ms=6000,
    )
    overrides = [
        FetcherSettings(
            scheduler_enabled=False,
            allowed_networks="127.0.0.0/8",
            host_delay_s=HOST_DELAY_S,
            concurrency=8,
        )
    ]
    source = SourceInfo(source_id="slow", name="Slow", section=None)
    with slow_web() as web:
        requests = [
            FetchArticle(url=f"http://127.0.0.{2 + h}:{web.port}/a/{h}-{i}.html", source=source)
            for i in range(PER_HOST)
            for h in range(HOSTS)
        ]
        app = service_app(settings, registry.find("fetcher"), overrides=overrides)
        async with serve_asgi(app, settings.http_port or 0):
            await produce_messages(kafka_bootstrap_servers, settings, requests)
            pages = await collect(
                kafka_bootstrap_servers,
                settings.physical_topic(PageFetched.TOPIC),
                until=lambda found: len(found) >= len(requests),
                timeout_s=120,
            )
    assert sorted(p["url"] for p in pages) == sorted(r.url for r in requests)
    assert web.peak >= 2, "fetches to different hosts never overlapped"
    for host, visits in web.visits.items():
        visits.sort()
        for (start, end), (next_start, _) in itertools.pairwise(visits):
            assert next_start >= end, f"two requests to {host} at once"
            assert next_start - start >= HOST_DELAY_S - 0.01, f"{host} not paced"

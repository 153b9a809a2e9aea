"""The peer: Miniflux (the Go feed reader) on the same feeds, its crawler fetching and
extracting every entry's page. Built with ``go install miniflux.app/v2@<version>``; found in
``$(go env GOPATH)/bin`` (or ``$MINIFLUX_BIN``), else the run says it is not available.

It gets a database of its own on the running PostgreSQL. Each feed is created through its API
with ``crawler: true``; creating a feed fetches it and crawls its entries before it answers, so
when every creation has answered, every page was fetched and extracted. Its CPU seconds are
read from /proc for the process, from just before the first feed to just after the last.
"""

import asyncio
import base64
import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.gotool import go_env
from bench.pipeline.kafka_run import create_database, drop_database
from bench.pipeline.procs import cpu_seconds, free_port, rss_bytes, tree_of
from bench.pipeline.site import Web

USER, PASSWORD = "bench", "bench-password-1"


@dataclass(frozen=True)
class MinifluxRun:
    entries: int
    crawled: int
    cpu_s: float
    wall_s: float
    rss: int


def binary() -> Path | None:
    named = os.environ.get("MINIFLUX_BIN")
    if named and Path(named).is_file():
        return Path(named)
    gopath = go_env("GOPATH")
    if gopath is None:
        return None
    for name in ("miniflux.app", "miniflux"):
        candidate = Path(gopath) / "bin" / name
        if candidate.is_file():
            return candidate
    return None


def _call(base: str, method: str, path: str, body: object | None = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)  # noqa: S310
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - local
            payload = response.read()
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{method} {path}: {exc.code} {exc.read()[:300]!r}") from exc
    return json.loads(payload) if payload else None


def _wait_up(base: str, process: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"miniflux exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthcheck", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError("miniflux did not start")


async def run_miniflux(web: Web, program: Path, *, parallel: int = 4) -> MinifluxRun:
    database = f"bench_miniflux_{uuid.uuid4().hex[:8]}"
    url = make_url(await create_database(database)).set(drivername="postgres")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url.render_as_string(hide_password=False) + "?sslmode=disable",
        "RUN_MIGRATIONS": "1",
        "CREATE_ADMIN": "1",
        "ADMIN_USERNAME": USER,
        "ADMIN_PASSWORD": PASSWORD,
        "LISTEN_ADDR": f"127.0.0.1:{port}",
        "FETCHER_ALLOW_PRIVATE_NETWORKS": "1",
        "POLLING_FREQUENCY": "1440",
        "LOG_LEVEL": "warning",
    }
    try:
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(  # noqa: S603, ASYNC220 - the peer, started once
                [str(program)], env=env, stdout=log, stderr=log
            )
            try:
                await asyncio.to_thread(_wait_up, base, process)
                result = await asyncio.to_thread(_crawl, base, web, process.pid, parallel)
            finally:
                process.terminate()
                process.wait(timeout=20)
    finally:
        await drop_database(database)
    return result


def _crawl(base: str, web: Web, pid: int, parallel: int) -> MinifluxRun:
    categories = _call(base, "GET", "/v1/categories")
    assert isinstance(categories, list)
    category = int(categories[0]["id"])

    def create(feed: int) -> None:
        _call(
            base,
            "POST",
            "/v1/feeds",
            {"feed_url": web.feed_url(feed), "category_id": category, "crawler": True},
        )

    cpu0, wall0 = cpu_seconds(tree_of(pid)), time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(create, range(web.feeds)))
    wall, cpu = time.monotonic() - wall0, cpu_seconds(tree_of(pid)) - cpu0
    found: list[dict[str, object]] = []
    total = 0
    while True:
        page = _call(base, "GET", f"/v1/entries?limit=1000&offset={len(found)}")
        assert isinstance(page, dict)
        total = int(page.get("total", 0))
        batch = page.get("entries") or []
        found += batch
        if not batch or len(found) >= total:
            break
    # A crawled entry holds the page's extracted text, far longer than the feed gave (nothing).
    crawled = sum(1 for e in found if len(str(e.get("content") or "")) > 200)
    return MinifluxRun(total, crawled, cpu, wall, rss_bytes(tree_of(pid)))

"""Pick the real Kafka broker and PostgreSQL server that the test session uses.

For each, in this order: the environment (``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL``), a
testcontainers container when a Docker engine answers, else the scripts in ``deploy/local/``.
A script-started server is stopped on exit only if this call started it; one that was already
running is reused and left running.

Self-test: ``python tests/support/infra.py``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_SCRIPTS = REPO_ROOT / "deploy" / "local"

# Broker settings the containers share with deploy/local/kafka.sh (cp-kafka maps KAFKA_* env).
_KAFKA_CONTAINER_ENV = {
    "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "true",
    "KAFKA_NUM_PARTITIONS": "3",
    "KAFKA_MESSAGE_MAX_BYTES": "16777216",
}


@cache
def docker_available() -> bool:
    """True when testcontainers is installed and a Docker engine answers a ping."""
    if importlib.util.find_spec("testcontainers") is None:
        return False
    try:
        client = importlib.import_module("docker").from_env(timeout=5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _container_class(module: str, name: str) -> Any:
    """A testcontainers class (newer releases moved modules to ``testcontainers.community``)."""
    for package in ("testcontainers.community", "testcontainers"):
        try:
            return getattr(importlib.import_module(f"{package}.{module}"), name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(f"testcontainers has no {module}.{name}")


def asyncpg_url(url: str) -> str:
    """``postgres://`` / ``postgresql[+driver]://`` → ``postgresql+asyncpg://``."""
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql+asyncpg://", url)


def _script(name: str, action: str) -> subprocess.CompletedProcess[str]:
    # PYTHON lets kafka.sh probe the broker with this interpreter's aiokafka.
    return subprocess.run(
        ["bash", str(LOCAL_SCRIPTS / name), action],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
        check=False,
    )


@contextmanager
def _local_server(name: str, key: str) -> Iterator[str]:
    """Run ``deploy/local/<name> start``, yield the value of its ``key=...`` line."""
    started = _script(name, "start")
    values = dict(
        line.split("=", 1) for line in started.stdout.splitlines() if line.startswith(f"{key}=")
    )
    if started.returncode != 0 or key not in values:
        raise RuntimeError(
            f"deploy/local/{name} start failed (exit {started.returncode}):\n"
            f"{started.stdout}{started.stderr}"
        )
    # The script serialises start/stop with a lock and says so when it reused a running server.
    ours = "already running" not in started.stderr
    try:
        yield values[key]
    finally:
        if ours:
            _script(name, "stop")


@contextmanager
def kafka_bootstrap() -> Iterator[str]:
    """Yield a Kafka bootstrap address ``host:port``."""
    if servers := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield servers
    elif docker_available():
        container = _container_class("kafka", "KafkaContainer")()
        for name, value in _KAFKA_CONTAINER_ENV.items():
            container.with_env(name, value)
        with container:
            yield str(container.get_bootstrap_server())
    else:
        with _local_server("kafka.sh", "KAFKA_BOOTSTRAP_SERVERS") as servers:
            yield servers


@contextmanager
def postgres_url() -> Iterator[str]:
    """Yield an SQLAlchemy URL ``postgresql+asyncpg://...`` of a PostgreSQL server."""
    if url := os.environ.get("DATABASE_URL"):
        yield asyncpg_url(url)
    elif docker_available():
        postgres = _container_class("postgres", "PostgresContainer")
        with postgres("postgres:16-alpine", driver="asyncpg") as container:
            yield asyncpg_url(str(container.get_connection_url()))
    else:
        with _local_server("postgres.sh", "DATABASE_URL") as url:
            yield url


def _self_test() -> None:
    import socket

    def reachable(host: str, port: int) -> None:
        with socket.create_connection((host, port), timeout=5):
            pass

    print("docker available:", docker_available())
    with kafka_bootstrap() as servers, postgres_url() as url:
        print("KAFKA_BOOTSTRAP_SERVERS =", servers)
        print("DATABASE_URL =", url)
        host, _, port = servers.split(",")[0].rpartition(":")
        reachable(host, int(port))
        match = re.search(r"@([^:/]+):(\d+)/", url)
        assert match, url
        reachable(match[1], int(match[2]))
        print("both reachable")


if __name__ == "__main__":
    _self_test()

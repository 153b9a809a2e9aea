"""Running Devoured services as separate OS processes, as an operator would."""

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from devoured_infra import registry

SERVICES = registry.names()


# Ports handed out for services a test starts: below the kernel's ephemeral range (32768 and
# up on Linux), which the client sockets of every test draw from, so no outgoing connection
# can take a port between the moment it is chosen and the moment the service binds it; and
# above the brokers' and databases' own ports (15432, 19092, 19093).
_SERVICE_PORTS = range(20000, 32000)
_next_port = itertools.count((os.getpid() * 97) % len(_SERVICE_PORTS))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, for a service the test starts."""
    for _ in range(len(_SERVICE_PORTS)):
        port = _SERVICE_PORTS[next(_next_port) % len(_SERVICE_PORTS)]
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


class ServiceProcess:
    """``devoured serve <service>`` in a child process, its output in ``log_dir``."""

    def __init__(self, service: str, env: dict[str, str], log_dir: Path) -> None:
        self.service = service
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "DEVOURED_HTTP_PORT": str(self.port),
            "DEVOURED_HTTP_HOST": "127.0.0.1",
        }
        self.log_path = log_dir / f"{service}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = self.log_path.open("ab")
        log.write(f"\n=== start {self.starts} ===\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devoured_embedded.cli", "serve", self.service],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        url = f"http://127.0.0.1:{self.port}/readyz"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.service} exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{self.service} not ready in {timeout_s} s:\n{self.log_tail()}")

    def metrics(self) -> str:
        url = f"http://127.0.0.1:{self.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode()

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no final commits."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

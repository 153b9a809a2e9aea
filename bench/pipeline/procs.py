"""Service processes for the benchmark, and their CPU time and memory read from /proc.

A service's figures are those of its whole process tree (the extractor's isolated workers are
children of the service process)."""

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def tree_of(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += tree.get(current, [])
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU seconds of ``pids`` (and of their children they waited for)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / TICK


INFRASTRUCTURE = {"postgresql": b"postgres", "kafka": b"kafka.Kafka"}
"""What each server's processes have in their command line."""


def infrastructure_cpu() -> dict[str, float]:
    """CPU seconds so far of the PostgreSQL and Kafka processes on this machine (they share
    its two cores with the services, so their work per article bounds throughput too)."""
    pids: dict[str, list[int]] = {name: [] for name in INFRASTRUCTURE}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        for name, marker in INFRASTRUCTURE.items():
            if marker in command:
                pids[name].append(int(entry.name))
    return {name: cpu_seconds(found) for name, found in pids.items()}


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return total


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Service:
    """``python -m devoured_infra.serve <name>`` with its log in ``log_dir``."""

    name: str
    env: dict[str, str]
    log_dir: Path
    replica: int = 0
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    cpu_at_ready: float = 0.0
    peak_rss: int = 0

    @property
    def label(self) -> str:
        return self.name if self.replica == 0 else f"{self.name}#{self.replica + 1}"

    def start(self) -> None:
        env = {
            **os.environ,
            **self.env,
            "DEVOURED_HTTP_PORT": str(self.port),
            "DEVOURED_HTTP_HOST": "127.0.0.1",
        }
        with (self.log_dir / f"{self.label}.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own service
                [sys.executable, "-m", "devoured_infra.serve", self.name],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.process.returncode}")
            try:
                url = f"http://127.0.0.1:{self.port}/readyz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        self.cpu_at_ready = self.cpu()
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{self.label} not ready in {timeout_s} s")

    def pids(self) -> list[int]:
        return [] if self.process is None else tree_of(self.process.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pids())

    def rss(self) -> int:
        value = rss_bytes(self.pids())
        self.peak_rss = max(self.peak_rss, value)
        return value

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def errors(self) -> int:
        """Lines logged at ERROR or above."""
        path = self.log_dir / f"{self.label}.log"
        if not path.exists():
            return 0
        text = path.read_text(errors="replace")
        return text.count('"level": "ERROR"') + text.count('"level": "CRITICAL"')

"""The four services as process groups, killed on purpose and restarted like a supervisor would.

Each service runs in a session (process group) of its own, so a kill takes its helpers along
(the extractor's worker processes), as an OOM kill of a container would, and nothing is left
behind. A supervisor thread restarts a service that exits when nobody asked it to, one second
later, as ``restart: unless-stopped`` does in docker-compose.yml; such exits are counted.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.services import SERVICES, free_port

STOP_TIMEOUT_S = 20.0
RESTART_DELAY_S = 1.0
# Every service process group started in this session, for the last-resort cleanup.
_STARTED: list["ChaosService"] = []


@dataclass
class Exit:
    """An exit nobody asked for."""

    service: str
    returncode: int
    at: float  # monotonic


class ChaosService:
    """``devoured serve <service>`` in a process group of its own; its output in ``log_path``.
    ``name`` tells replicas apart (``fetcher``, ``fetcher-2``)."""

    def __init__(
        self, service: str, env: dict[str, str], log_dir: Path, name: str | None = None
    ) -> None:
        self.service = service
        self.name = name or service
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "DEVOURED_HTTP_PORT": str(self.port),
            "DEVOURED_HTTP_HOST": "127.0.0.1",
        }
        self.log_path = log_dir / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.wanted = False  # the supervisor restarts a wanted service that exited

    def start(self) -> None:
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {self.starts} ===\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "devoured_embedded.cli", "serve", self.service],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wanted = True
        if self not in _STARTED:
            _STARTED.append(self)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/readyz", timeout=2
            ) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def metrics(self) -> str:
        """The service's Prometheus metrics; empty when it does not answer."""
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/metrics", timeout=2
            ) as response:
                body: bytes = response.read()
                return body.decode()
        except OSError:
            return ""

    def pause(self) -> None:
        """SIGSTOP to the process group: alive, connections open, but doing nothing."""
        self._signal_group(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal_group(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown hook, no final commit."""
        self.wanted = False
        self._signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def terminate(self) -> None:
        """SIGTERM: the graceful shutdown begins (``finish_stop`` waits for it)."""
        self.wanted = False
        if self.process is not None and self.process.poll() is None:
            self.resume()  # a paused process would not act on SIGTERM
            self.process.send_signal(signal.SIGTERM)

    def finish_stop(self, deadline: float) -> None:
        """Wait for the exit until ``deadline`` (monotonic), then SIGKILL the group; and
        SIGKILL it anyway, for any helper process left behind."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)
        self._signal_group(signal.SIGKILL)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _signal_group(self, signum: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


def kill_leftover_services() -> None:
    """SIGKILL every service process group still alive: the last resort when a test was
    interrupted before its own cleanup ran (a timeout in the middle of the event loop)."""
    for service in _STARTED:
        service.wanted = False
        if service.exited() is None:  # our child, not reaped: its group id is still ours
            service._signal_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                if service.process is not None:
                    service.process.wait(timeout=STOP_TIMEOUT_S)
    _STARTED.clear()


@dataclass
class ServiceFleet:
    """The four services (``replicas`` of some: ``{"fetcher": 2}`` adds ``fetcher-2``), and
    the supervisor that restarts the ones that exit by themselves."""

    env: dict[str, str]
    log_dir: Path
    replicas: dict[str, int] = field(default_factory=dict)
    services: dict[str, ChaosService] = field(default_factory=dict)
    unexpected_exits: list[Exit] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        for service in SERVICES:
            for number in range(1, self.replicas.get(service, 1) + 1):
                name = service if number == 1 else f"{service}-{number}"
                self.services[name] = ChaosService(service, self.env, self.log_dir, name)

    def replicas_of(self, service: str) -> list[ChaosService]:
        return [s for s in self.services.values() if s.service == service]

    def start_all(self, ready_timeout_s: float) -> None:
        with self._lock:
            for service in self.services.values():
                service.start()
        self.wait_ready(list(self.services), ready_timeout_s)

    def wait_ready(self, names: list[str], timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        waiting = list(names)
        while waiting:
            waiting = [n for n in waiting if not self.services[n].ready()]
            if not waiting:
                return
            if time.monotonic() > deadline:
                tails = "\n".join(f"--- {n} ---\n{self.services[n].log_tail()}" for n in waiting)
                raise TimeoutError(f"not ready in {timeout_s} s: {waiting}\n{tails}")
            time.sleep(0.3)

    def kill(self, name: str) -> None:
        with self._lock:
            self.services[name].kill()

    def restart(self, name: str) -> None:
        with self._lock:
            self.services[name].start()

    def pause(self, name: str) -> None:
        self.services[name].pause()

    def resume(self, name: str) -> None:
        self.services[name].resume()

    def log_marks(self) -> dict[str, int]:
        return {name: service.log_size() for name, service in self.services.items()}

    def exits_of(self, name: str) -> int:
        return sum(1 for e in self.unexpected_exits if e.service == name)

    @contextmanager
    def supervised(self) -> Iterator["ServiceFleet"]:
        """Run the supervisor while inside; stop every service (bounded) on the way out."""
        thread = threading.Thread(target=self._supervise, name="chaos-supervisor", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stopping.set()
            thread.join(timeout=10)
            with self._lock:
                self._stop_all()

    def _stop_all(self) -> None:
        """SIGTERM to all at once, then one shared deadline for their graceful shutdown."""
        for service in self.services.values():
            service.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for service in self.services.values():
            service.finish_stop(deadline)

    def _supervise(self) -> None:
        exited_at: dict[str, float] = {}
        while not self._stopping.wait(0.25):
            with self._lock:
                for name, service in self.services.items():
                    code = service.exited()
                    if not service.wanted or code is None:
                        exited_at.pop(name, None)
                        continue
                    now = time.monotonic()
                    if name not in exited_at:
                        exited_at[name] = now
                        self.unexpected_exits.append(Exit(name, code, now))
                    elif now - exited_at[name] >= RESTART_DELAY_S:
                        exited_at.pop(name)
                        service.start()

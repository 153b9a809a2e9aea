"""The chaos suite's own Kafka broker and PostgreSQL server, which it kills and pauses.

Both are started by ``deploy/local/kafka.sh`` and ``postgres.sh`` with a state directory and
ports of their own, never the shared servers the other tests use, and with ``*_KEEP_DATA=1`` so
that a restart after a crash finds the data the crash left behind, as a real server would.
PostgreSQL runs with its durable defaults (``PG_DURABLE=1``): with ``synchronous_commit=off``
an immediate shutdown loses acknowledged commits, which would be the test's fault, not the
pipeline's.
"""

import os
import signal
import subprocess
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from tests.chaos.signals import alive, children, pid_from_file, send, wait_gone
from tests.support.infra import LOCAL_SCRIPTS, REPO_ROOT

STATE_ROOT = REPO_ROOT / ".cache" / "chaos"
SCRIPT_TIMEOUT_S = 240.0
EXIT_TIMEOUT_S = 30.0


class LocalServer(ABC):
    """A server run by one of the ``deploy/local`` scripts, in a state directory of its own."""

    script: str
    address_key: str

    def __init__(self, state_dir: Path, env: dict[str, str]) -> None:
        self.state_dir = state_dir
        self._env = env
        self.address = ""
        self._destroyed = False

    def start(self) -> str:
        """Start (or restart after a crash, with the data kept); returns the address line."""
        if self._destroyed:  # a test's late cleanup must not bring it back
            raise RuntimeError(f"{self.script}: the server was destroyed")
        output = self._run("start", keep_data=True)
        values = dict(
            line.split("=", 1)
            for line in output.splitlines()
            if line.startswith(f"{self.address_key}=")
        )
        self.address = values[self.address_key]
        return self.address

    def pause(self) -> None:
        """SIGSTOP every process of the server: it holds its connections and answers nothing.
        The main process stops first, so it forks no new child while the others are stopped."""
        send(self.pids()[:1], signal.SIGSTOP)
        send(self.pids(), signal.SIGSTOP)

    def resume(self) -> None:
        send(self.pids(), signal.SIGCONT)

    @abstractmethod
    def pids(self) -> list[int]:
        """The server's live processes, its main process first."""

    @abstractmethod
    def crash(self) -> None:
        """Stop the server abruptly (no clean shutdown) and wait until it is gone."""

    def remove_leftovers(self) -> None:
        """Stop a server a previous run left behind (even paused) and delete its data."""
        self.resume()
        self._run("stop", keep_data=False)

    def destroy(self) -> None:
        """Stop the server and delete its data, whatever state a failed test left it in; it
        cannot be started again."""
        self._destroyed = True
        self.remove_leftovers()

    def _run(self, action: str, *, keep_data: bool) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env |= self._env | {"PYTHON": sys.executable}
        env[self._keep_data_variable()] = "1" if keep_data else ""
        try:
            done = subprocess.run(
                ["bash", str(LOCAL_SCRIPTS / self.script), action],
                capture_output=True,
                text=True,
                env=env,
                timeout=SCRIPT_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(
                f"{self.script} {action}: no answer in {SCRIPT_TIMEOUT_S} s"
            ) from exc
        if done.returncode != 0:
            raise RuntimeError(
                f"{self.script} {action} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done.stdout

    @abstractmethod
    def _keep_data_variable(self) -> str: ...


class ChaosKafka(LocalServer):
    script = "kafka.sh"
    address_key = "KAFKA_BOOTSTRAP_SERVERS"

    def __init__(self, port: int, controller_port: int) -> None:
        state_dir = STATE_ROOT / "kafka"
        super().__init__(
            state_dir,
            {
                "KAFKA_STATE_DIR": str(state_dir),
                "KAFKA_PORT": str(port),
                "KAFKA_CONTROLLER_PORT": str(controller_port),
            },
        )

    def pids(self) -> list[int]:
        pid = pid_from_file(self.state_dir / "kafka.pid")
        return [pid] if pid is not None and alive(pid) else []

    def crash(self) -> None:
        """SIGKILL the broker's JVM."""
        pids = self.pids()
        send(pids, signal.SIGKILL)
        if not wait_gone(pids, EXIT_TIMEOUT_S):
            raise RuntimeError(f"kafka {pids} still alive {EXIT_TIMEOUT_S} s after SIGKILL")

    def _keep_data_variable(self) -> str:
        return "KAFKA_KEEP_DATA"


class ChaosPostgres(LocalServer):
    script = "postgres.sh"
    address_key = "DATABASE_URL"

    def __init__(self, port: int) -> None:
        state_dir = STATE_ROOT / "postgres"
        super().__init__(
            state_dir,
            {"PG_STATE_DIR": str(state_dir), "PGPORT": str(port), "PG_DURABLE": "1"},
        )

    def pids(self) -> list[int]:
        """The postmaster, then its children (checkpointer, walwriter, backends...)."""
        postmaster = pid_from_file(self.state_dir / "data" / "postmaster.pid")
        if postmaster is None or not alive(postmaster):
            return []
        return [postmaster, *children(postmaster)]

    def crash(self) -> None:
        """An immediate shutdown, as ``pg_ctl stop -m immediate`` (SIGQUIT to the postmaster):
        every backend exits at once, nothing is checkpointed, and the next start recovers from
        the WAL. SIGKILL follows if anything is left after the timeout."""
        pids = self.pids()
        send(pids[:1], signal.SIGQUIT)
        if not wait_gone(pids, EXIT_TIMEOUT_S):
            send(pids, signal.SIGKILL)
            if not wait_gone(pids, EXIT_TIMEOUT_S):
                raise RuntimeError(f"postgres {pids} still alive after SIGKILL")

    def _keep_data_variable(self) -> str:
        return "PG_KEEP_DATA"


@dataclass
class ChaosCluster:
    """The suite's own broker and database server."""

    kafka: ChaosKafka
    postgres: ChaosPostgres

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka.address

    @property
    def server_url(self) -> str:
        return self.postgres.address

    def ensure_up(self) -> None:
        """Both running and not paused, whatever a previous scenario left behind."""
        for server in (self.kafka, self.postgres):
            server.resume()
            server.start()

    def resume(self) -> None:
        """SIGCONT to both (harmless when they are not paused)."""
        for server in (self.kafka, self.postgres):
            server.resume()

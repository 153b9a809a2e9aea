"""A hard time limit per page: extraction runs in worker processes that are killed on overrun.

A thread cannot be stopped, so ``asyncio.timeout`` around ``to_thread`` only stops *waiting*;
the runaway parse keeps a core busy. A process can be killed. Workers are started with
``spawn`` (never ``fork`` from a process running an event loop and Kafka client threads), say
"ready" once their imports are done, and serve one page at a time over a pipe. A worker that
overruns is killed and replaced; one that dies (segfault, out of memory) is replaced too. Both
end as ``SkippedInput`` with the reason, so the caller records it like any other skip. A skip
inside the worker comes back with its message and its ``SkipCode`` and is raised again with both.
"""

import multiprocessing
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from devoured_core.errors import SkippedInput

STARTUP_LIMIT_S = 60.0
Work = Callable[[str, str | None], Any]


class WorkerTimeout(SkippedInput):
    """The page took longer than the hard limit; its worker was killed."""


class WorkerCrashed(SkippedInput):
    """The worker process died while extracting the page."""


def _serve(conn: Connection, work: Work) -> None:
    conn.send(("ready", None))
    while True:
        try:
            html, url = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", work(html, url)))
        except SkippedInput as exc:
            conn.send(("skip", (str(exc), exc.code)))
        except Exception as exc:  # reported to the parent, which decides; the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, work: Work) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, work), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(STARTUP_LIMIT_S) or self.conn.recv()[0] != "ready":
            self.stop()
            raise WorkerCrashed("extract: worker process did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class IsolatedExtractor:
    """Calls ``work(html, url)`` in a pool of killable worker processes."""

    def __init__(self, work: Work, *, time_limit_s: float, workers: int = 1) -> None:
        self._work, self.time_limit_s = work, time_limit_s
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._idle.put(None)  # started on first use, so importing costs nothing
        self._lock = threading.Lock()
        self._all: list[_Worker] = []

    def __call__(self, html: str, url: str | None) -> Any:
        worker = self._idle.get()
        try:
            worker = worker or self._start()
        except SkippedInput:
            self._idle.put(None)
            raise
        kept: _Worker | None = worker
        try:
            worker.conn.send((html, url))
            if not worker.conn.poll(self.time_limit_s):
                kept = None
                self._retire(worker)
                raise WorkerTimeout(f"extract: took longer than {self.time_limit_s:g} s")
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            kept = None
            self._retire(worker)
            raise WorkerCrashed("extract: worker process died") from None
        finally:
            self._idle.put(kept)  # a retired worker's slot is refilled on next use
        if kind == "skip":
            message, code = value
            raise SkippedInput(message, code=code)
        if kind == "error":
            raise RuntimeError(f"extract: {value}")
        return value

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._all.clear()

    def _start(self) -> _Worker:
        worker = _Worker(self._work)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

"""Signalling processes by pid: alive checks, children, bounded waits for an exit."""

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] != "Z"


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc, so no pgrep is needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def send(pids: Iterable[int], signum: signal.Signals) -> None:
    """Send ``signum`` to each pid still alive; one that exited meanwhile is skipped."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def wait_gone(pids: Iterable[int], timeout_s: float) -> bool:
    """Wait until none of ``pids`` is alive; False when some still are after ``timeout_s``."""
    remaining = list(pids)
    deadline = time.monotonic() + timeout_s
    while remaining:
        remaining = [p for p in remaining if alive(p)]
        if not remaining:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def pid_from_file(path: Path) -> int | None:
    """The pid on the first line of ``path`` (kafka.pid, postmaster.pid); None if absent."""
    try:
        first = path.read_text().splitlines()[0].strip()
    except (OSError, IndexError):
        return None
    return int(first) if first.isdigit() else None

"""The hard time limit: a runaway page's worker process is killed, and the next page works."""

import os
import time
from collections.abc import Iterator

import pytest

from devoured_core.errors import SkippedInput
from devoured_extractor.isolation import IsolatedExtractor, WorkerCrashed, WorkerTimeout
from tests.unit.extractor import workloads


@pytest.fixture
def pool() -> Iterator[list[IsolatedExtractor]]:
    made: list[IsolatedExtractor] = []
    yield made
    for extractor in made:
        extractor.close()


def test_result_comes_back_from_the_worker(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(workloads.echo, time_limit_s=5)
    pool.append(run)
    assert run("<p>abc</p>", "https://x.test/") == "https://x.test/:10"
    assert run("", None) == "None:0"


def test_runaway_page_is_killed_at_the_limit(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(workloads.pid, time_limit_s=0.5)
    pool.append(run)
    first = run("x", None)
    slow = IsolatedExtractor(workloads.spin, time_limit_s=0.5)
    pool.append(slow)
    slow("warm up", None)
    victim = slow._all[0].process
    started = time.perf_counter()
    with pytest.raises(WorkerTimeout, match=r"longer than 0.5 s"):
        slow("spin", None)
    assert time.perf_counter() - started < 3
    assert not victim.is_alive()  # killed, not left running in the background
    assert slow("after", None) == "after"  # a fresh worker takes over
    assert run("x", None) == first  # the other pool's worker was untouched


def test_crashed_worker_is_reported_and_replaced(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(workloads.die, time_limit_s=5)
    pool.append(run)
    with pytest.raises(WorkerCrashed, match="died"):
        run("die", None)
    assert run("fine", None) == "fine"


def test_skip_inside_the_worker_keeps_its_reason(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(workloads.refuse, time_limit_s=5)
    pool.append(run)
    with pytest.raises(SkippedInput, match="empty document"):
        run("", None)


def test_close_stops_every_worker(pool: list[IsolatedExtractor]) -> None:
    run = IsolatedExtractor(workloads.pid, time_limit_s=5)
    worker_pid = run("x", None)
    run.close()
    assert not _alive_after(worker_pid, seconds=2.5)


def _alive_after(pid: int, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)  # signal 0: does the process still exist?
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    return True

"""Freed memory goes back to the system after a large transient job."""

import sys

import pytest

from devoured_infra.memory import release_free_memory


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc")
def test_the_pages_a_job_freed_are_returned_though_some_of_its_objects_live_on() -> None:
    # 200 MiB in 2 KiB blocks (the C allocator's heap, as a build's strings are); one block in
    # a hundred outlives the job, so the heap cannot simply shrink from its top.
    blocks = [bytes([n % 251]) * 2048 for n in range(100_000)]
    kept = blocks[::100]
    del blocks
    before = _resident_mib()
    assert release_free_memory()
    after = _resident_mib()
    assert before - after > 100, (before, after)
    assert len(kept) == 1000

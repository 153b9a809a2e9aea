"""The edition builder's pace: a long build is followed by a longer pause, so rebuilding a big
edition cannot keep a core busy."""

import asyncio
import contextlib
import itertools
import time
from typing import Any

import pytest

from devoured_publisher import builder
from devoured_publisher.builder import PAUSE_PER_BUILD_SECOND, EditionBuilder, pause_after


def test_the_pause_is_the_interval_or_a_multiple_of_the_last_build() -> None:
    assert pause_after(30.0, 0.5) == 30.0
    assert pause_after(5.0, 3.0) == 3.0 * PAUSE_PER_BUILD_SECOND


class AlwaysLeader:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def try_acquire(self) -> bool:
        return True

    async def release(self) -> None:
        pass


async def test_a_long_build_is_followed_by_a_longer_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    build_s, starts = 0.05, []

    async def slow_build(**_: Any) -> list[object]:
        starts.append(time.monotonic())
        await asyncio.sleep(build_s)
        return []

    async def no_deliveries(**_: Any) -> int:
        return 0

    monkeypatch.setattr(builder, "build_pending_editions", slow_build)
    monkeypatch.setattr(builder, "deliver_closed_editions", no_deliveries)
    monkeypatch.setattr(builder, "LeaderLease", AlwaysLeader)
    loop = EditionBuilder(None, None, interval_s=0.001, lease_ttl_s=1.0)  # type: ignore[arg-type]
    task = asyncio.create_task(loop.run(lambda: None))
    await asyncio.sleep(1.0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(gaps) >= 2
    # Each start follows the previous build (build_s) and a pause of 4x its length.
    assert min(gaps) >= build_s * (1 + PAUSE_PER_BUILD_SECOND) * 0.9

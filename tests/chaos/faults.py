"""The faults, each applied to a running scenario and marked as a fault window.

Every fault undoes itself on the way out (a paused server is resumed, a stopped one restarted),
even when the test fails inside it.
"""

import asyncio
import re
import time

from tests.chaos.poison import inject_poison
from tests.chaos.scenario import Scenario
from tests.chaos.slow_llm import FAST_S, SlowLlm
from tests.support.services import SERVICES

# Written over sources.yaml while the pipeline runs: broken YAML, then bytes that are no UTF-8.
BROKEN_YAML = "sources:\n  - name: [unclosed\n\t- : : :\n    url: {{{\n"
NOT_TEXT = b"\xff\xfe\x00sources:\x00\x9c\x80 garbage \xc3\x28\n"
POLL_INTERVAL_S = 5.0  # DEVOURED_POLL_INTERVAL_S and DEVOURED_FETCH_POLL_MIN_S of pipeline_env


async def kill_services_at_random(run: Scenario, kills_per_service: int) -> None:
    """SIGKILL every service ``kills_per_service`` times, in random order at random moments;
    each is restarted after a moment and must get ready again."""
    victims = [s for s in SERVICES for _ in range(kills_per_service)]
    run.rng.shuffle(victims)
    for victim in victims:
        await run.pause_between_faults(0.5, 4.0)
        async with run.fault(f"SIGKILL {victim}"):
            run.fleet.kill(victim)
            await asyncio.sleep(run.rng.uniform(0.2, 2.0))
            run.fleet.restart(victim)
            await asyncio.to_thread(run.fleet.wait_ready, [victim], 90.0)


async def stop_postgres(run: Scenario, outage_s: float) -> None:
    """An immediate shutdown of PostgreSQL; restarted with its data after ``outage_s``."""
    postgres = run.cluster.postgres
    async with run.fault(f"PostgreSQL stopped {outage_s:.0f} s"):
        await asyncio.to_thread(postgres.crash)
        try:
            await asyncio.sleep(outage_s)
        finally:
            await asyncio.to_thread(postgres.start)


async def pause_postgres(run: Scenario, pause_s: float) -> None:
    """SIGSTOP on the postmaster and all its backends: connections hang instead of failing."""
    postgres = run.cluster.postgres
    async with run.fault(f"PostgreSQL paused {pause_s:.0f} s"):
        postgres.pause()
        try:
            await asyncio.sleep(pause_s)
        finally:
            postgres.resume()


async def kill_broker(run: Scenario, outage_s: float) -> None:
    """SIGKILL the broker; restarted with its data after ``outage_s``."""
    kafka = run.cluster.kafka
    async with run.fault(f"broker killed, down {outage_s:.0f} s"):
        await asyncio.to_thread(kafka.crash)
        try:
            await asyncio.sleep(outage_s)
        finally:
            await asyncio.to_thread(kafka.start)


async def pause_broker(run: Scenario, pause_s: float) -> None:
    """SIGSTOP the broker: requests hang, sessions time out, then it carries on."""
    kafka = run.cluster.kafka
    async with run.fault(f"broker paused {pause_s:.0f} s"):
        kafka.pause()
        try:
            await asyncio.sleep(pause_s)
        finally:
            kafka.resume()


async def poison_every_topic(run: Scenario) -> None:
    """Every kind of poison on every consumed topic (see tests/chaos/poison.py)."""
    async with run.fault("poison on every input topic"):
        run.poison.extend(await inject_poison(run.settings, run.stream, run.rng))


async def corrupt_sources(run: Scenario, between_s: float = 5.0) -> None:
    """Garbage over sources.yaml, left there: the fetcher must keep polling the feeds of the
    last good configuration. First broken YAML, then bytes that are not even text."""
    garbled_at = time.monotonic()
    async with run.fault("sources.yaml garbled"):
        run.sources_path.write_text(BROKEN_YAML, encoding="utf-8")
        await asyncio.sleep(between_s)
        run.sources_path.write_bytes(NOT_TEXT)

    def kept_polling() -> str | None:
        """At least half the polls the poll interval promises since the garbage was written."""
        elapsed = time.monotonic() - garbled_at
        expected = int(elapsed / (2 * POLL_INTERVAL_S))
        polls = run.stream.polls_since(garbled_at)
        if polls >= expected:
            return None
        return (
            f"the feed was polled {polls} times in the {elapsed:.0f} s since sources.yaml was "
            f"garbled (at least {expected} expected)"
        )

    run.checks.append(kept_polling)


LEADER_METRIC = re.compile(r"^devoured_fetcher_scheduler_leader\s+1(\.0)?\s*$", re.MULTILINE)


async def fetch_scheduler_leader(run: Scenario, timeout_s: float = 60.0) -> str:
    """The fetcher replica that says (in its metrics) it holds the scheduler's leadership."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for replica in run.fleet.replicas_of("fetcher"):
            if LEADER_METRIC.search(await asyncio.to_thread(replica.metrics)):
                return replica.name
        await asyncio.sleep(0.5)
    raise TimeoutError(f"no fetcher replica reported the scheduler's leadership in {timeout_s} s")


async def pause_fetch_leader(run: Scenario, pause_s: float, takeover_s: float) -> None:
    """SIGSTOP the fetcher replica that leads the scheduler: alive, its database session open,
    but silent. Another replica must take the feeds over within ``takeover_s``, and the paused
    one, once resumed, must not act on its stale leadership."""
    leader = await fetch_scheduler_leader(run)
    async with run.fault(f"scheduler leader {leader} paused {pause_s:.0f} s") as window:
        run.fleet.pause(leader)
        try:
            await asyncio.sleep(pause_s)
        finally:
            run.fleet.resume(leader)
    taken_over_by = window.started + takeover_s
    resumed_at = window.ended or time.monotonic()

    def polled_while_paused() -> str | None:
        polls = sum(1 for t in run.stream.feed_polls if taken_over_by <= t <= resumed_at)
        expected = int((resumed_at - taken_over_by) / (2 * POLL_INTERVAL_S))
        if polls >= expected:
            return None
        return (
            f"the feed was polled {polls} times while the scheduler's leader was paused, from "
            f"{takeover_s:.0f} s into the pause (at least {expected} expected): no takeover"
        )

    run.checks.append(polled_while_paused)


async def slow_summarizer(run: Scenario, llm: SlowLlm, answer_s: float, duration_s: float) -> None:
    """The summarizer's model answers in ``answer_s`` for ``duration_s``: slower than articles
    arrive, so a backlog builds up and has to drain afterwards."""
    async with run.fault(f"summarizer's model answers in {answer_s:.0f} s, {duration_s:.0f} s"):
        llm.delay_s = answer_s
        try:
            await asyncio.sleep(duration_s)
        finally:
            llm.delay_s = FAST_S

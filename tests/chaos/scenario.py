"""One chaos scenario: a fresh database and topic prefix, the growing site, the four services
under a supervisor; then faults, a bounded wait for the pipeline to settle, and the audit.

    async with chaos_scenario("postgres-stopped", cluster, profile, book) as run:
        await run.warm_up()
        async with run.fault("PostgreSQL stopped 15 s"):
            ...
        await run.conclude()   # records the figures, then fails with every broken promise

The figures are recorded even when the scenario breaks off early (a service that never gets
ready, a fault that could not be applied), so every run leaves a row in the results.
"""

import asyncio
import shutil
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from devoured_infra.migrate import upgrade_async
from devoured_infra.settings import Settings
from tests.chaos.audit import (
    PipelineStore,
    edition_file_problems,
    read_dead_letters,
    urls_in_edition_files,
    wait_for_zero_lag,
)
from tests.chaos.fleet import ServiceFleet
from tests.chaos.logs import digest_log
from tests.chaos.poison import Poison
from tests.chaos.profile import ChaosProfile
from tests.chaos.results import ARTIFACTS, ResultsBook, ScenarioResult
from tests.chaos.servers import ChaosCluster
from tests.chaos.stream import ArticleStream
from tests.chaos.verdict import judge_dead_letters, judge_published
from tests.e2e.pipeline import pipeline_env, write_sources
from tests.support.databases import create_database, drop_database
from tests.support.kafka import provisioned_settings

READY_TIMEOUT_S = 90.0
WARM_UP_TIMEOUT_S = 120.0
IN_FLIGHT_TIMEOUT_S = 30.0
BURST_PER_HOST = 2  # articles added at once before a fault
QUIET_S = 3.0  # after everything is published: time for a double to show up


@dataclass
class FaultWindow:
    label: str
    started: float
    ended: float | None = None


@dataclass
class Scenario:
    name: str
    profile: ChaosProfile
    cluster: ChaosCluster
    settings: Settings
    stream: ArticleStream
    fleet: ServiceFleet
    store: PipelineStore
    workdir: Path
    sources_path: Path
    rng: Random
    result: ScenarioResult
    book: ResultsBook
    faults: list[FaultWindow] = field(default_factory=list)
    poison: list[Poison] = field(default_factory=list)
    # A fault's own promise, checked at the audit: returns what is broken, or None.
    checks: list[Callable[[], str | None]] = field(default_factory=list)
    concluded: bool = False
    _log_marks: dict[str, int] | None = None
    _started: float = field(default_factory=time.monotonic)

    @property
    def out_dir(self) -> Path:
        return self.workdir / "out"

    async def warm_up(self, published: int = 3) -> None:
        """Wait until a few articles went all the way through, so the pipeline is in full flow."""
        deadline = time.monotonic() + WARM_UP_TIMEOUT_S
        while await self.store.published_count() < published:
            if time.monotonic() > deadline:
                counts = await self.store.stage_counts()
                raise TimeoutError(
                    f"warm-up: fewer than {published} articles published in "
                    f"{WARM_UP_TIMEOUT_S} s; stage counts {counts}"
                )
            await asyncio.sleep(0.5)

    async def until_in_flight(self, minimum: int = 2) -> bool:
        """Release a burst of articles and wait (bounded) until at least ``minimum`` of them
        wait for the fetcher and one more is past it but not published: between two polls of
        the feed the pipeline idles, and a fault that hits an idle pipeline proves little.
        False if that moment did not come."""
        self.stream.burst(BURST_PER_HOST * self.profile.hosts)
        deadline = time.monotonic() + IN_FLIGHT_TIMEOUT_S
        while time.monotonic() < deadline:
            with suppress(Exception):
                waiting, past_fetcher = await self.store.in_flight()
                if waiting >= minimum and past_fetcher >= 1:
                    return True
            await asyncio.sleep(0.05)
        return False

    @asynccontextmanager
    async def fault(self, label: str) -> AsyncIterator[FaultWindow]:
        """Mark the time a fault lasts, starting when articles are in flight; the first fault
        also marks where the logs are counted."""
        if not await self.until_in_flight():
            label += " (hit while nothing was in flight)"
        if self._log_marks is None:
            self._log_marks = self.fleet.log_marks()
        window = FaultWindow(label, time.monotonic())
        self.faults.append(window)
        try:
            yield window
        finally:
            window.ended = time.monotonic()
            self.result.faults.append(f"{label} ({window.ended - window.started:.1f} s)")

    async def pause_between_faults(self, low_s: float = 2.0, high_s: float = 5.0) -> None:
        await asyncio.sleep(self.rng.uniform(low_s, high_s))

    async def conclude(self) -> ScenarioResult:
        """Stop the growth, wait for the pipeline to settle, audit, record; then fail with every
        broken promise at once."""
        fault_end = max((w.ended or w.started for w in self.faults), default=time.monotonic())
        await asyncio.sleep(max(0.0, fault_end + self.profile.after_fault_s - time.monotonic()))
        self.stream.freeze()
        offered = set(self.stream.offered_urls())
        recovered = await self._settle(offered, fault_end)
        await asyncio.sleep(QUIET_S)
        await self._audit(offered, recovered, fault_end)
        self._record()
        if self.result.failures:
            raise AssertionError(
                f"{self.name}: " + "\n".join(self.result.failures) + f"\nlogs: {self.workdir}"
            )
        return self.result

    def record_abort(self, error: BaseException) -> None:
        """The scenario broke off before its audit: record why, with what is known."""
        reason = str(error) or (
            f"over its {self.profile.scenario_timeout_s:.0f} s"
            if isinstance(error, TimeoutError)
            else "no message"
        )
        self.result.failures.append(f"broke off: {type(error).__name__}: {reason}")
        self._record()

    async def _settle(self, offered: set[str], fault_end: float) -> float | None:
        """Seconds from the last fault's end until every offered article is published and in a
        built edition; None if that did not happen within the settle timeout."""
        deadline = time.monotonic() + self.profile.settle_timeout_s
        while time.monotonic() < deadline:
            with suppress(Exception):  # the database may still be recovering
                urls = await self.store.published_urls()
                stories = sum(e.story_count for e in await self.store.editions())
                if offered <= set(urls) and stories >= len(urls):
                    return time.monotonic() - fault_end
            await asyncio.sleep(1.0)
        return None

    async def _audit(self, offered: set[str], recovered: float | None, fault_end: float) -> None:
        result, failures = self.result, self.result.failures
        result.recovery_s = None if recovered is None else round(recovered, 1)
        result.fault_s = round(sum((w.ended or w.started) - w.started for w in self.faults), 1)
        if recovered is None:
            failures.append(
                f"not every offered article was published within "
                f"{self.profile.settle_timeout_s:.0f} s of the last fault"
            )
        result.lag = await wait_for_zero_lag(self.settings, timeout_s=30.0)
        if any(result.lag.values()):
            failures.append(f"consumer lag not back to zero: {result.lag}")
        result.stage_counts = await self.store.stage_counts()
        await self._audit_published(offered)
        judge_dead_letters(result, self.poison, await read_dead_letters(self.settings))
        self._audit_logs()
        result.feed_polls_after_fault = self.stream.polls_since(fault_end)
        failures.extend(broken for check in self.checks if (broken := check()) is not None)

    async def _audit_published(self, offered: set[str]) -> None:
        editions = await self.store.editions()
        judge_published(
            self.result,
            offered,
            Counter(await self.store.published_urls()),
            urls_in_edition_files(self.out_dir, editions),
        )
        self.result.edition_file_problems = edition_file_problems(self.out_dir, editions)
        self.result.failures.extend(self.result.edition_file_problems)

    def _audit_logs(self) -> None:
        marks = self._log_marks or {}
        for name, service in self.fleet.services.items():
            digest = digest_log(service.log_path, marks.get(name, 0))
            self.result.error_lines[name] = digest.errors
            self.result.top_errors[name] = digest.top_errors

    def _record(self) -> None:
        self.result.duration_s = round(time.monotonic() - self._started, 1)
        self.result.unexpected_exits = {
            name: self.fleet.exits_of(name) for name in self.fleet.services
        }
        self.concluded = True
        self.book.add(self.result)


@asynccontextmanager
async def chaos_scenario(
    name: str,
    cluster: ChaosCluster,
    profile: ChaosProfile,
    book: ResultsBook,
    *,
    env: dict[str, str] | None = None,
    replicas: dict[str, int] | None = None,
) -> AsyncIterator[Scenario]:
    """A scenario on its own database and topics, the services running (``replicas`` of some,
    ``env`` added to theirs); cleaned up on exit."""
    await asyncio.to_thread(cluster.ensure_up)
    workdir = ARTIFACTS / "runs" / name
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "logs").mkdir(parents=True)
    tag = uuid.uuid4().hex[:10]
    database_url = await create_database(cluster.server_url, f"chaos_{tag}")
    await upgrade_async(database_url)
    settings = await provisioned_settings(
        cluster.bootstrap_servers, f"chaos{tag}.", topic_partitions=3
    )
    stream = ArticleStream(hosts=profile.hosts, interval_s=profile.article_interval_s)
    sources_path = write_sources(workdir / "sources.yaml", stream.feed_url)
    service_env = pipeline_env(
        kafka=cluster.bootstrap_servers,
        database_url=database_url,
        prefix=settings.kafka_topic_prefix,
        sources=sources_path,
        out_dir=workdir / "out",
    )
    # Bound the adaptive poll interval, so a request lost in a fault is requested again soon.
    service_env["DEVOURED_FETCH_POLL_MAX_S"] = "20"
    # The verdict wants every offered article in the edition files exactly once: the editor's
    # caps (48 lead stories, Quick Links, "Other") would leave the rest out by design.
    service_env |= {
        "DEVOURED_PUBLISHER_MAX_STORIES": "100000",
        "DEVOURED_PUBLISHER_SECTION_MAX": "100000",
        "DEVOURED_PUBLISHER_QUICK_LINKS_MAX": "100000",
        "DEVOURED_PUBLISHER_OTHER_MAX": "100000",
        "DEVOURED_PUBLISHER_OFF_TOPIC": "other",
    }
    fleet = ServiceFleet(service_env | (env or {}), workdir / "logs", replicas or {})
    store = PipelineStore(database_url)
    run = Scenario(
        name=name,
        profile=profile,
        cluster=cluster,
        settings=settings,
        stream=stream,
        fleet=fleet,
        store=store,
        workdir=workdir,
        sources_path=sources_path,
        rng=Random(f"{profile.seed}-{name}"),
        result=ScenarioResult(name, profile.form, profile.seed, logs=str(workdir / "logs")),
        book=book,
    )
    try:
        with fleet.supervised():
            try:
                # Our own time limit, inside the event loop, so that the cleanup below runs in
                # order; pytest-timeout (a little longer) is only the backstop.
                async with asyncio.timeout(profile.scenario_timeout_s):
                    await asyncio.to_thread(fleet.start_all, READY_TIMEOUT_S)
                    stream.start()
                    yield run
            except BaseException as error:
                cluster.resume()  # services stop faster when their servers answer
                if not run.concluded:
                    with suppress(Exception):
                        run.result.stage_counts = await asyncio.wait_for(store.stage_counts(), 5)
                    run.record_abort(error)
                raise
    finally:
        stream.close()
        cluster.resume()
        await store.dispose()
        with suppress(Exception):  # a server the scenario left stopped: its database goes too
            await asyncio.wait_for(drop_database(cluster.server_url, database_url), 20)

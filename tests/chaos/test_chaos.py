"""Nothing lost, whatever fails (issue 11).

Each scenario runs the four services as processes on the suite's own broker and database, with
a feed that gains an article every second across many hosts, applies its faults while articles
are in flight, and then asserts, after a bounded wait:

- every offered article is published exactly once (``publisher_items``, and the edition files);
- the dead-letter topics hold exactly the poison injected, and nothing for a passing fault;
- every consumer group's lag is back to zero;
- every edition in the database has its files, up to date, in the output directory.

The figures of each scenario (offered, published, lost, doubled, dead letters and causes, time
to recover, ERROR lines per service) go to test-artifacts/chaos/results.{json,md}.

``make chaos`` runs the full form (``CHAOS_FULL=1``). Inside ``make test`` only the scenarios
marked ``short`` run, with short outages.
"""

import pytest

from tests.chaos.faults import (
    corrupt_sources,
    kill_broker,
    kill_services_at_random,
    pause_broker,
    pause_fetch_leader,
    pause_postgres,
    poison_every_topic,
    slow_summarizer,
    stop_postgres,
)
from tests.chaos.profile import ChaosProfile, chaos_profile
from tests.chaos.results import ResultsBook
from tests.chaos.scenario import chaos_scenario
from tests.chaos.servers import ChaosCluster
from tests.chaos.slow_llm import SlowLlm

FULL = chaos_profile().full
# A backstop: each scenario stops itself at its profile's scenario_timeout_s and cleans up.
CLEANUP_S = 120
LEADER_TTL_S = 10  # DEVOURED_LEADER_TTL_S of the leader-pause scenario

pytestmark = [
    pytest.mark.chaos,
    pytest.mark.timeout(chaos_profile().scenario_timeout_s + CLEANUP_S),
]

full_form_only = pytest.mark.skipif(
    not FULL, reason="full form only: `make chaos` (CHAOS_FULL=1) runs it"
)


async def test_sigkill_of_each_service_at_random_moments(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("sigkill-services", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await kill_services_at_random(run, profile.kills_per_service)
        await run.conclude()


async def test_postgres_stopped_and_restarted_with_its_data(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("postgres-stopped", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await stop_postgres(run, profile.db_outage_s)
        await run.conclude()


@full_form_only
async def test_postgres_paused_longer_than_the_poll_interval(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("postgres-paused", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await pause_postgres(run, profile.db_pause_s)
        await run.conclude()


@full_form_only
async def test_broker_killed_and_restarted_with_its_data(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("broker-killed", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await kill_broker(run, profile.broker_outage_s)
        await run.conclude()


@full_form_only
async def test_broker_paused_then_resumed(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("broker-paused", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await pause_broker(run, profile.broker_pause_s)
        await run.conclude()


async def test_poison_on_every_input_topic(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("poison", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await poison_every_topic(run)
        await run.conclude()


@full_form_only
async def test_garbled_sources_file_keeps_the_last_good_config(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("garbled-sources", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await corrupt_sources(run)
        await run.conclude()


@full_form_only
async def test_combined_faults_in_sequence(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    async with chaos_scenario("combined", chaos_cluster, profile, results_book) as run:
        await run.warm_up()
        await kill_services_at_random(run, 1)
        await run.pause_between_faults()
        await stop_postgres(run, profile.db_outage_s / 2)
        await run.pause_between_faults()
        await poison_every_topic(run)
        await pause_broker(run, profile.broker_pause_s / 2)
        await run.pause_between_faults()
        await kill_broker(run, profile.broker_outage_s / 2)
        await run.pause_between_faults()
        await pause_postgres(run, profile.db_pause_s / 2)
        await corrupt_sources(run)
        await run.conclude()


@full_form_only
async def test_scheduler_leader_paused_past_its_lease(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    lease = {"DEVOURED_LEADER_TTL_S": str(LEADER_TTL_S)}
    async with chaos_scenario(
        "leader-paused",
        chaos_cluster,
        profile,
        results_book,
        env=lease,
        replicas={"fetcher": 2},
    ) as run:
        await run.warm_up()
        # The lease runs out, then the other replica's next tick (1 s) takes over.
        await pause_fetch_leader(run, profile.leader_pause_s, takeover_s=LEADER_TTL_S + 5)
        await run.conclude()


@full_form_only
async def test_slow_summarizer_delays_the_edition_and_loses_nothing(
    chaos_cluster: ChaosCluster, profile: ChaosProfile, results_book: ResultsBook
) -> None:
    llm = SlowLlm()
    try:
        async with chaos_scenario(
            "slow-summarizer", chaos_cluster, profile, results_book, env=llm.env()
        ) as run:
            await run.warm_up()
            await slow_summarizer(run, llm, profile.slow_answer_s, profile.slow_s)
            await run.conclude()
    finally:
        llm.close()

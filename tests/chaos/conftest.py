"""The chaos suite's broker and database server, shared by its scenarios, and its results.

They are started from ``deploy/local`` in ``.cache/chaos/`` on ports of their own (29092/29093
and 25432; ``CHAOS_KAFKA_PORT``, ``CHAOS_KAFKA_CONTROLLER_PORT`` and ``CHAOS_PGPORT`` change
them), because the scenarios kill and pause them. Whatever state a run leaves them in, the
session resumes, stops and deletes them at its end, and a previous run's leftovers are removed
at its start. They live only as long as the tests of this package.
"""

import os
from collections.abc import Iterator

import pytest

from tests.chaos.fleet import kill_leftover_services
from tests.chaos.profile import ChaosProfile, chaos_profile
from tests.chaos.results import ResultsBook
from tests.chaos.servers import ChaosCluster, ChaosKafka, ChaosPostgres


@pytest.fixture(scope="session")
def profile() -> ChaosProfile:
    return chaos_profile()


@pytest.fixture(scope="session")
def results_book() -> ResultsBook:
    return ResultsBook()


@pytest.fixture(scope="package")
def chaos_cluster() -> Iterator[ChaosCluster]:
    cluster = ChaosCluster(
        kafka=ChaosKafka(
            port=int(os.environ.get("CHAOS_KAFKA_PORT", "29092")),
            controller_port=int(os.environ.get("CHAOS_KAFKA_CONTROLLER_PORT", "29093")),
        ),
        postgres=ChaosPostgres(port=int(os.environ.get("CHAOS_PGPORT", "25432"))),
    )
    servers = (cluster.kafka, cluster.postgres)
    try:
        for server in servers:
            server.remove_leftovers()
            server.start()
        yield cluster
    finally:
        kill_leftover_services()
        errors = []
        for server in servers:
            try:
                server.destroy()
            except Exception as exc:  # still stop the other one
                errors.append(exc)
        if errors:
            raise RuntimeError(f"chaos servers not stopped cleanly: {errors}")

"""``devoured status``: the pipeline at a glance, from Kafka and PostgreSQL.

The figures are gathered by ``devoured_infra.status`` (lag, records per second, dead letters,
leases) and the publisher's ``operator_status`` (which adds its latest edition): the same
report its ``/status`` page serves. This module reads it with the process's settings and
draws it for a person.
"""

import functools

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from devoured_infra.db import create_engine, create_sessionmaker
from devoured_infra.settings import Settings
from devoured_publisher.uow import PublisherUnitOfWork
from devoured_publisher.web import OperatorStatus, operator_status

__all__ = ["OperatorStatus", "gather_status", "render_status"]


async def gather_status(settings: Settings, *, interval_s: float = 2.0) -> OperatorStatus:
    """The pipeline's status; rates are measured over ``interval_s`` seconds (0: none)."""
    engine = create_engine(settings.database_url)
    try:
        new_uow = functools.partial(
            PublisherUnitOfWork, create_sessionmaker(engine), service="publisher"
        )
        return await operator_status(settings, new_uow, interval_s=interval_s)
    finally:
        await engine.dispose()


def render_status(status: OperatorStatus, console: Console) -> None:
    """Three tables (stages, leases, latest edition), then any problem in red."""
    stages = Table(title="Stages", show_header=True)
    for column in ("service", "topic", "lag", "records/s", "dead letters", "last error"):
        stages.add_column(column, justify="right" if column in ("lag", "records/s") else "left")
    for s in status.stages:
        stages.add_row(
            escape(s.service),
            escape(s.topic),
            _figure(s.lag),
            _figure(s.records_per_s),
            _figure(s.dead_letters),
            escape((s.last_error or "")[:80]),
        )
    console.print(stages)
    leases = Table(title="Leader leases", show_header=True)
    for column in ("lease", "holder", "epoch", "expires"):
        leases.add_column(column)
    for lease in status.leases:
        expires = lease.expires_at.isoformat(timespec="seconds")
        leases.add_row(
            escape(lease.name),
            escape(lease.holder),
            str(lease.epoch),
            f"{expires} (expired)" if lease.expired else expires,
        )
    console.print(leases)
    edition = status.latest_edition
    if edition is None:
        console.print("latest edition: none yet")
    else:
        console.print(
            f"latest edition: [bold]{escape(edition.edition_id)}[/] {escape(edition.title)}: "
            f"{edition.story_count} stories, built {edition.built_at.isoformat(timespec='seconds')}"
        )
    for problem in status.problems:
        console.print(f"[red]problem[/]: {escape(problem)}")


def _figure(value: float | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.2f}"

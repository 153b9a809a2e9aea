"""The publisher's commands: ``devoured digest build|send`` rebuild or send an edition on
demand, from the publisher's database. The command line merges ``commands()`` at its top level."""

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the command line imports this module to list commands: keep it light
    from rich.console import Console
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from devoured_infra.settings import Settings
    from devoured_publisher.handlers import PublisherDeps

digest_app = typer.Typer(help="Editions: rebuild or send one on demand.", no_args_is_help=True)


def _console() -> "Console":
    """The console messages go to (stderr)."""
    from rich.console import Console

    return Console(stderr=True)


EditionOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Edition id: 2026-11-29 (daily), 2026-W48, 2026-11-29T14. "
        "Default: the current edition.",
    ),
]


@digest_app.command("build")
def build(
    date: EditionOption = None,
    publish: Annotated[bool, typer.Option(help="Also publish DigestPublished on Kafka.")] = False,
) -> None:
    """Rebuild an edition from the stored stories; write its files.

    Idempotent: the same stories give the same edition.
    """
    import asyncio

    from devoured_infra.settings import Settings

    asyncio.run(_build(Settings(), date, publish))


@digest_app.command("send")
def send(date: EditionOption = None) -> None:
    """Deliver an edition by email and webhooks now.

    Only targets not yet served receive it.
    """
    import asyncio

    from devoured_infra.settings import Settings

    asyncio.run(_send(Settings(), date))


def commands() -> typer.Typer:
    """The publisher's command group: ``digest`` (merged at the top level: ``app.add_typer``
    with no name)."""
    group = typer.Typer()
    group.add_typer(digest_app, name="digest")
    return group


async def _build(settings: "Settings", edition_id: str | None, publish: bool) -> None:
    """The edition's ``DigestPublished`` goes into the publisher's outbox with it: a running
    publisher service relays it; ``--publish`` relays it from here at once."""
    from devoured_infra.kafka import KafkaPublisher, make_broker
    from devoured_infra.outbox import OutboxRelay
    from devoured_publisher.handlers import build_edition, write_files
    from devoured_publisher.settings import PublisherSettings

    async with _deps(settings) as (deps, sessions):
        message = await build_edition(edition_id or _current(deps), deps=deps)
        if publish:
            broker = make_broker(settings, "devoured-cli")
            await broker.connect()
            try:
                relay = OutboxRelay(
                    sessions,
                    KafkaPublisher(broker, settings, "publisher"),
                    service="publisher",
                    before_publish=functools.partial(write_files, deps=deps),
                )
                await relay.flush()
            finally:
                await broker.stop()
            _console().print(f"published {message.TOPIC} for {message.edition_id}")
        else:
            await write_files(message, deps=deps)
    _console().print(
        f"[bold green]{message.title}[/]: {message.item_count} items -> "
        f"{PublisherSettings().out_dir}/"
    )


async def _send(settings: "Settings", edition_id: str | None) -> None:
    from devoured_publisher.handlers import deliver_edition

    async with _deps(settings) as (deps, _):
        delivered = await deliver_edition(edition_id or _current(deps), deps=deps)
    _console().print(f"{delivered} deliveries made")


def _current(deps: "PublisherDeps") -> str:
    from devoured_publisher.period import period_for

    return period_for(
        datetime.now(UTC),
        timezone=deps.timezone,
        cadence=deps.cadence,
        cutoff_hour=deps.cutoff_hour,
    ).edition_id


@asynccontextmanager
async def _deps(
    settings: "Settings",
) -> AsyncIterator[tuple["PublisherDeps", "async_sessionmaker[AsyncSession]"]]:
    """The publisher's dependencies on its configured database, disposed afterwards."""
    from devoured_infra.db import create_engine, create_sessionmaker
    from devoured_infra.migrate import upgrade_async
    from devoured_publisher.bootstrap import wire
    from devoured_publisher.uow import PublisherUnitOfWork

    if settings.database_url.startswith("sqlite"):
        await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    try:
        new_uow = functools.partial(PublisherUnitOfWork, sessions, service="publisher")
        yield wire(new_uow)[1], sessions
    finally:
        await engine.dispose()

"""Embedded mode: every installed service's own wiring on the in-process bus, with SQLite by
default.

Each service is bootstrapped exactly as its Kafka app bootstraps it (``descriptor.bootstrap``);
only the transport differs. A run makes one pass of every loop that feeds the pipeline (the
fetcher's scheduler polls every source), drains the stages, then one pass of every loop that
settles it (the publisher builds the edition), and drains again.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pydantic_settings import BaseSettings
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devoured_core.messages import DeadLetter, DigestPublished, Message
from devoured_infra import registry
from devoured_infra.memory_bus import InMemoryBus
from devoured_infra.migrate import upgrade_async
from devoured_infra.outbox import BeforePublish, OutboxRelay
from devoured_infra.pump import Record
from devoured_infra.service import Phase, ServiceContext, ServiceDescriptor, Wiring
from devoured_infra.settings import Settings


@dataclass
class RunReport:
    processed: dict[str, int] = field(default_factory=dict)
    editions: list[DigestPublished] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


async def run_once(
    settings: Settings,
    on_record: Callable[[Record, int], None] | None = None,
    *,
    overrides: Sequence[BaseSettings] = (),
    services: Sequence[ServiceDescriptor] | None = None,
) -> RunReport:
    """Run the pipeline once, until it is empty; ``services`` defaults to every installed one.

    ``on_record`` is told of each processed record and how many are still queued;
    ``overrides`` replace settings classes a service would read from the environment.
    """
    chosen = registry.installed() if services is None else registry.ordered(services)
    # Every installed service's migrations, whichever run: they share one version table.
    everyone = {d.name: d for d in (*registry.installed(), *chosen)}
    await upgrade_async(
        settings.database_url, locations=registry.migration_locations(list(everyone.values()))
    )
    context = ServiceContext.connect(settings, overrides, embedded=True)
    wirings: list[Wiring] = []
    try:
        for descriptor in chosen:
            wirings.append(descriptor.wire(context))
        return await _run(settings, context.sessions, wirings, registry.messages(chosen), on_record)
    finally:
        for wiring in wirings:
            for close in wiring.on_shutdown:
                await close()
        await context.engine.dispose()


async def _run(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    wirings: Sequence[Wiring],
    messages: Sequence[type[Message]],
    on_record: Callable[[Record, int], None] | None,
) -> RunReport:
    bus = InMemoryBus(max_attempts=settings.handler_max_attempts, backoff_s=0.2)
    # One relay for the one database: every stage's outbox reaches the bus after its commit,
    # and each service's before-publish hook runs just before its messages go out.
    relay = OutboxRelay(
        sessions,
        bus,
        service=None,
        before_publish=_each(w.before_publish for w in wirings),
        messages=messages,
    )
    bus.attach([s for w in wirings for s in w.stages], relay=relay.flush)
    report = RunReport()

    def count(record: Record) -> None:
        report.processed[record.topic] = report.processed.get(record.topic, 0) + 1
        if on_record is not None:
            on_record(record, bus.pending)

    def wake() -> None:
        """The relay runs on the next drain."""

    for phase in Phase:
        for loop in (loop for w in wirings for loop in w.loops if loop.phase is phase):
            await loop.once(wake)
        await bus.drain(count)
    await relay.flush()
    report.editions = [m for _, m in bus.published if isinstance(m, DigestPublished)]
    report.dead_letters = bus.dead_letters
    return report


def _each(hooks: Iterable[BeforePublish | None]) -> BeforePublish | None:
    chosen = [h for h in hooks if h is not None]
    if not chosen:
        return None

    async def before_publish(message: Message) -> None:
        for hook in chosen:
            await hook(message)

    return before_publish

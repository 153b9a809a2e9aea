"""What a service is, as the shared library sees it: the descriptor each service package exports.

A service package (``devoured_fetcher``, a tagger of yours) exports one ``ServiceDescriptor``
and names it in its ``devoured.services`` entry point. Everything that has to know which
services exist iterates the descriptors found there (``devoured_infra.registry``): ``devoured
serve``, the embedded runner, the topic list, the AsyncAPI document, the migrations, the ports,
the Kubernetes checks. Nothing in the shared library names a service.

Every service is wired the same way: ``bootstrap(context) -> Wiring``. The Kafka app
(``devoured_infra.kafka.service_app``) and the embedded runner run that wiring unchanged.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:  # imported for their types only: a descriptor loads none of them
    from pydantic_settings import BaseSettings
    from sqlalchemy import MetaData
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from devoured_core.messages import Message
    from devoured_infra.bus import Stage
    from devoured_infra.outbox import BeforePublish
    from devoured_infra.settings import Settings

Wake = Callable[[], None]
"""Tells the outbox relay that messages were committed to the outbox."""
ReadinessCheck = Callable[[], Awaitable[bool]]
Asgi = Callable[[Any, Any, Any], Awaitable[None]]
SettingsT = TypeVar("SettingsT", bound="BaseSettings")
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Phase(enum.Enum):
    """When embedded mode runs a loop's single pass: before the stages drain (a loop that feeds
    the pipeline, like the fetcher's scheduler) or after (one that settles it, like the
    publisher's edition builder)."""

    FEED = "feed"
    SETTLE = "settle"


class Loop(Protocol):
    """A service's own recurring job, beside its consumers."""

    name: str
    phase: Phase

    async def run(self, wake: Wake) -> None:
        """Run until cancelled, in a service; restarted if it raises."""

    async def once(self, wake: Wake) -> None:
        """One full pass of the job, in embedded mode (see ``Phase``)."""


@dataclass(frozen=True)
class Input:
    """A topic a service consumes (by its message type) and what handling it may emit."""

    message: type[Message]
    produces: tuple[type[Message], ...] = ()

    @property
    def topic(self) -> str:
        return self.message.TOPIC


@dataclass
class ServiceContext:
    """What a service's ``bootstrap`` is given: shared settings, the database, a clock.

    ``overrides`` replace a settings class read from the environment (the demo's fetcher
    settings, a test's); ``settings_of`` reads a service's own settings through it.
    """

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime] = utc_now
    overrides: Mapping[type[BaseSettings], BaseSettings] = field(default_factory=dict)
    embedded: bool = False

    @classmethod
    def connect(
        cls, settings: Settings, overrides: Sequence[BaseSettings] = (), *, embedded: bool = False
    ) -> ServiceContext:
        """A context on a new engine for ``settings.database_url``; whoever runs the services
        disposes of ``engine`` when they stop."""
        from devoured_infra.db import create_engine, create_sessionmaker

        engine = create_engine(
            settings.database_url,
            timeouts=settings.database_timeouts,
            pool_size=settings.db_pool_size,
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=create_sessionmaker(engine),
            overrides={type(o): o for o in overrides},
            embedded=embedded,
        )

    def settings_of(self, kind: type[SettingsT]) -> SettingsT:
        given = self.overrides.get(kind)
        if given is None:
            return kind()
        if not isinstance(given, kind):
            raise TypeError(f"override for {kind.__name__} is a {type(given).__name__}")
        return given


@dataclass
class Wiring:
    """A service, wired: what the Kafka app or the embedded runner runs.

    ``stages`` are its consumers, in the order of its descriptor's ``inputs``; ``loops`` its
    recurring jobs; ``before_publish`` runs before the relay publishes each of its messages
    (the publisher writes an edition's files there); ``web`` serves every path of its port
    that is not a service endpoint; ``on_shutdown`` closes what it opened.
    """

    stages: Sequence[Stage]
    loops: Sequence[Loop] = ()
    before_publish: BeforePublish | None = None
    web: Asgi | None = None
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = ()


Bootstrap = Callable[[ServiceContext], Wiring]


Lazy = Callable[[], T]
"""What a descriptor may name instead of a value: a function that imports it when called."""


def _resolved(value: T | Lazy[T]) -> T:
    return value() if callable(value) else value


class ServiceDescriptor:
    """One service, described once.

    ``inputs``: the first is its main input (what its autoscaler and lag alert watch).
    ``settings``: its own settings class(es), documented in docs/configuration.md.
    ``tables``: the tables it owns; ``migrations``: the folder of its Alembic revisions.
    ``commands``: builds its ``devoured <name> …`` command group (a Typer app), imported only
    by the command line.

    A descriptor is read by everything that lists the services, the command line first, so it
    is cheap to import: ``inputs``, ``settings`` and ``tables`` may each be given as a function
    that imports them when first read (then read once and kept), and ``bootstrap`` and
    ``commands`` are functions that may import their module when called. A descriptor module
    that does so loads neither pydantic models nor SQLAlchemy nor its service's dependencies
    until one of them is used (``devoured --help`` uses none).
    """

    def __init__(
        self,
        *,
        name: str,
        port: int,
        inputs: tuple[Input, ...] | Lazy[tuple[Input, ...]],
        bootstrap: Bootstrap,
        summary: str = "",
        settings: tuple[type[BaseSettings], ...] | Lazy[tuple[type[BaseSettings], ...]] = (),
        tables: MetaData | Lazy[MetaData] | None = None,
        migrations: Path | None = None,
        commands: Callable[[], Any] | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.bootstrap = bootstrap
        self.summary = summary
        self.migrations = migrations
        self.commands = commands
        self._inputs = inputs
        self._settings = settings
        self._tables = tables

    def __repr__(self) -> str:
        return f"ServiceDescriptor(name={self.name!r}, port={self.port})"

    @property
    def inputs_loaded(self) -> bool:
        """Whether ``inputs`` is known without importing anything (given, or read before)."""
        return not callable(self._inputs) or "inputs" in self.__dict__

    @functools.cached_property
    def inputs(self) -> tuple[Input, ...]:
        inputs = _resolved(self._inputs)
        if callable(self._inputs):  # given eagerly, registry.ordered checks them instead
            check_inputs(self.name, inputs)
        return inputs

    @functools.cached_property
    def settings(self) -> tuple[type[BaseSettings], ...]:
        return _resolved(self._settings)

    @functools.cached_property
    def tables(self) -> MetaData | None:
        return None if self._tables is None else _resolved(self._tables)

    @property
    def main_input(self) -> Input:
        return self.inputs[0]

    def produces(self) -> tuple[type[Message], ...]:
        seen: dict[str, type[Message]] = {}
        for each in self.inputs:
            for message in each.produces:
                seen.setdefault(message.__name__, message)
        return tuple(seen.values())

    def wire(self, context: ServiceContext) -> Wiring:
        """The service's wiring on ``context``, checked against what this descriptor says."""
        wiring = self.bootstrap(context)
        self.check(wiring.stages)
        return wiring

    def check(self, stages: Sequence[Stage]) -> None:
        """A wiring's stages must be this descriptor's inputs, in order."""
        wired = [(s.service, s.message_type) for s in stages]
        declared = [(self.name, i.message) for i in self.inputs]
        if wired != declared:
            raise ValueError(f"service {self.name!r} wires {wired}, but declares {declared}")


def check_inputs(service: str, inputs: Sequence[Input]) -> None:
    """Several services may consume one topic (each in its consumer group), but one service
    consumes a topic once."""
    unique(f"{service} input", [i.topic for i in inputs])


def unique(what: str, values: Sequence[object]) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"the {what} {value!r} is declared twice")
        seen.add(value)

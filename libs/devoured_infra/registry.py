"""The services installed here, found by their ``devoured.services`` entry points.

A service package names its descriptor in its pyproject.toml::

    [project.entry-points."devoured.services"]
    tagger = "devoured_tagger.service:SERVICE"

A service image holds one service package, so there ``installed()`` is that one service; the
full package (the ``devoured`` command, embedded mode, the migration job) holds them all.
Functions that take ``services`` default to every installed one; a test passes its own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from devoured_core.topics import dead_letter_topic
from devoured_infra.service import ServiceDescriptor, check_inputs, unique

if TYPE_CHECKING:
    from devoured_core.messages import Message

GROUP = "devoured.services"


@functools.cache
def installed() -> tuple[ServiceDescriptor, ...]:
    """Every installed service, in port order (the pipeline's order)."""
    found: list[ServiceDescriptor] = []
    for point in entry_points(group=GROUP):
        descriptor = point.load()
        if not isinstance(descriptor, ServiceDescriptor):
            raise TypeError(f"entry point {point.value} is not a ServiceDescriptor")
        if descriptor.name != point.name:
            raise ValueError(f"entry point {point.name!r} names service {descriptor.name!r}")
        found.append(descriptor)
    return ordered(found)


def ordered(services: Iterable[ServiceDescriptor]) -> tuple[ServiceDescriptor, ...]:
    """``services`` in port order, checked: names and ports are unique. Several services may
    consume one topic (each in its consumer group), but one service consumes a topic once: a
    descriptor whose inputs are only imported when read is checked when they are."""
    result = tuple(sorted(services, key=lambda d: (d.port, d.name)))
    unique("name", [d.name for d in result])
    unique("port", [d.port for d in result])
    for descriptor in result:
        if descriptor.inputs_loaded:
            check_inputs(descriptor.name, descriptor.inputs)
    return result


def names(services: Sequence[ServiceDescriptor] | None = None) -> tuple[str, ...]:
    return tuple(d.name for d in _given(services))


def find(name: str, services: Sequence[ServiceDescriptor] | None = None) -> ServiceDescriptor:
    """The service called ``name``; a ``LookupError`` that lists the installed ones."""
    for descriptor in _given(services):
        if descriptor.name == name:
            return descriptor
    choices = ", ".join(names(services)) or "none"
    raise LookupError(f"no service {name!r} is installed here (installed: {choices})")


def consumed_topics(services: Sequence[ServiceDescriptor] | None = None) -> tuple[str, ...]:
    """Every consumed topic, once: each has a dead-letter twin."""
    return tuple(dict.fromkeys(i.topic for d in _given(services) for i in d.inputs))


def main_inputs(services: Sequence[ServiceDescriptor] | None = None) -> dict[str, str]:
    """Each service's main input topic, by service name."""
    return {d.name: d.main_input.topic for d in _given(services)}


def messages(services: Sequence[ServiceDescriptor] | None = None) -> tuple[type[Message], ...]:
    """Every message type consumed or produced, once each."""
    seen: dict[str, type[Message]] = {}
    for d in _given(services):
        for each in d.inputs:
            for message in (each.message, *each.produces):
                seen.setdefault(message.TOPIC, message)
    return tuple(seen.values())


def all_topics(services: Sequence[ServiceDescriptor] | None = None) -> list[str]:
    """Every topic the pipeline uses: the consumed and produced ones and the dead-letter ones."""
    pipeline = [m.TOPIC for m in messages(services)]
    return [*pipeline, *(dead_letter_topic(t) for t in consumed_topics(services))]


def migration_locations(services: Sequence[ServiceDescriptor] | None = None) -> list[Path]:
    """The folders of the services' own Alembic revisions."""
    return [d.migrations for d in _given(services) if d.migrations is not None]


def _given(services: Sequence[ServiceDescriptor] | None) -> Sequence[ServiceDescriptor]:
    return installed() if services is None else services

"""Composition root of the publisher."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from devoured_core.messages import ArticleSummarized
from devoured_infra.bus import Stage
from devoured_infra.settings import Settings
from devoured_infra.uow import UnitOfWorkFactory
from devoured_publisher.handlers import PublisherDeps, receive_story
from devoured_publisher.sinks import EditionSink, FileSink


def bootstrap(
    settings: Settings,
    new_uow: UnitOfWorkFactory,
    *,
    sink: EditionSink | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[Stage, PublisherDeps]:
    deps = PublisherDeps(
        new_uow=new_uow,
        clock=clock,
        timezone=ZoneInfo(settings.timezone),
        digest_name=settings.digest_name,
        sink=sink or FileSink(settings.out_dir),
    )
    return Stage("publisher", ArticleSummarized, functools.partial(receive_story, deps=deps)), deps

"""Composition root of the extractor."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime

from devoured_core.messages import PageFetched
from devoured_extractor.handlers import ExtractorDeps, extract_article
from devoured_infra.bus import Stage
from devoured_infra.uow import UnitOfWorkFactory


def bootstrap(
    new_uow: UnitOfWorkFactory, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Stage:
    deps = ExtractorDeps(new_uow=new_uow, clock=clock)
    return Stage("extractor", PageFetched, functools.partial(extract_article, deps=deps))

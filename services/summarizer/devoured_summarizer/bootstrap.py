"""Composition root of the summarizer."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime

from devoured_core.messages import ArticleExtracted
from devoured_infra.bus import Stage
from devoured_infra.uow import UnitOfWorkFactory
from devoured_summarizer.handlers import SummarizerDeps, summarize_article


def bootstrap(
    new_uow: UnitOfWorkFactory, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Stage:
    deps = SummarizerDeps(new_uow=new_uow, clock=clock)
    return Stage("summarizer", ArticleExtracted, functools.partial(summarize_article, deps=deps))

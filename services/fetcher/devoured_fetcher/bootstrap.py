"""Composition root of the fetcher: concrete adapters bound to the handlers."""

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from devoured_core.messages import FetchRequested
from devoured_fetcher.handlers import FetcherDeps, fetch
from devoured_fetcher.http import HttpFetcher
from devoured_infra.bus import Stage
from devoured_infra.settings import Settings
from devoured_infra.uow import UnitOfWorkFactory


def utc_now() -> datetime:
    return datetime.now(UTC)


def bootstrap(
    settings: Settings,
    new_uow: UnitOfWorkFactory,
    *,
    http: HttpFetcher | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> tuple[Stage, FetcherDeps]:
    deps = FetcherDeps(
        new_uow=new_uow,
        http=http
        or HttpFetcher(
            timeout_s=settings.fetch_timeout_s,
            max_bytes=settings.fetch_max_bytes,
            user_agent=settings.fetch_user_agent,
            allowed_networks=settings.allowed_networks,
        ),
        clock=clock,
        rerequest_after=timedelta(seconds=settings.fetch_rerequest_after_s),
    )
    stage = Stage("fetcher", FetchRequested, functools.partial(fetch, deps=deps))
    return stage, deps

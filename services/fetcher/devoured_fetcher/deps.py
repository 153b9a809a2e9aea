"""What the fetcher's handlers are given: the unit of work, the HTTP client, the clock, and the
policies bootstrap reads from the settings."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.robots import RobotsCache
from devoured_fetcher.schedule import PollBounds
from devoured_fetcher.uow import FetcherUnitOfWork


@dataclass(frozen=True)
class FetcherDeps:
    new_uow: Callable[[], FetcherUnitOfWork]
    http: HttpFetcher
    clock: Callable[[], datetime]
    rerequest_after: timedelta
    bounds: PollBounds = field(default_factory=PollBounds)
    robots: RobotsCache | None = None
    rand: Callable[[], float] = field(default=random.random)
    lease: timedelta = timedelta(minutes=10)
    max_crawl_delay_s: float = 30.0
    max_inline_wait_s: float = 30.0
    article_max_attempts: int = 10

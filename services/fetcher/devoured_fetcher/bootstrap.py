"""Composition root of the fetcher: concrete adapters bound to the handlers.

``bootstrap`` is the service's one wiring, run by the Kafka app and by embedded mode;
``wire`` builds the stage and its dependencies with test seams (HTTP client, clock)."""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from devoured_core.messages import FetchRequested, UrlSubmitted
from devoured_core.urls import host_of
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.handlers import fetch, submit_url
from devoured_fetcher.http import HttpFetcher
from devoured_fetcher.politeness import HostLimiter
from devoured_fetcher.robots import RobotsCache
from devoured_fetcher.schedule import PollBounds
from devoured_fetcher.scheduler import SchedulerLoop
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.uow import FetcherUnitOfWork
from devoured_infra.bus import Stage
from devoured_infra.service import ServiceContext, Wiring, utc_now


def build_http(fetcher: FetcherSettings) -> HttpFetcher:
    """The service's HTTP client, politeness included (``devoured fetch`` uses it too)."""
    return HttpFetcher(
        timeout_s=fetcher.timeout_s,
        max_bytes=fetcher.max_bytes,
        user_agent=fetcher.user_agent,
        allowed_networks=fetcher.networks,
        total_timeout_s=fetcher.total_timeout_s,
        connect_timeout_s=fetcher.connect_timeout_s,
        max_redirects=fetcher.max_redirects,
        limiter=HostLimiter(concurrency=fetcher.host_concurrency, min_delay_s=fetcher.host_delay_s),
    )


def build_robots(http: HttpFetcher, fetcher: FetcherSettings) -> RobotsCache | None:
    if not fetcher.robots_enabled:
        return None

    async def get(url: str) -> tuple[int, bytes]:
        response = await http.get(url, accept="text/plain")
        return response.status, response.body

    return RobotsCache(get, user_agent=fetcher.robots_user_agent, ttl_s=fetcher.robots_ttl_s)


def bootstrap(context: ServiceContext) -> Wiring:
    """The fetcher: fetch requests and submitted URLs, and the scheduler."""
    fetcher = context.settings_of(FetcherSettings)
    stage, deps = wire(
        lambda: FetcherUnitOfWork(context.sessions, service="fetcher"),
        clock=context.clock,
        settings=fetcher,
    )
    scheduler = SchedulerLoop(
        deps,
        context.engine,
        sources_file=fetcher.sources_file,
        tick_s=fetcher.scheduler_tick_s,
        batch=fetcher.scheduler_batch,
        lease_ttl_s=context.settings.leader_ttl_s,
    )
    # Embedded mode always polls: its one pass of the scheduler is how a run starts.
    loops = [scheduler] if fetcher.scheduler_enabled or context.embedded else []
    return Wiring(
        stages=[stage, submission_stage(deps)], loops=loops, on_shutdown=[deps.http.aclose]
    )


def wire(
    new_uow: Callable[[], FetcherUnitOfWork],
    *,
    settings: FetcherSettings | None = None,
    http: HttpFetcher | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> tuple[Stage, FetcherDeps]:
    fetcher = settings or FetcherSettings()
    client = http or build_http(fetcher)
    deps = FetcherDeps(
        new_uow=new_uow,
        http=client,
        clock=clock,
        rerequest_after=timedelta(seconds=fetcher.rerequest_after_s),
        bounds=PollBounds(
            min_s=fetcher.poll_min_s,
            max_s=fetcher.poll_max_s,
            default_s=fetcher.poll_interval_s,
            jitter=fetcher.poll_jitter,
        ),
        robots=build_robots(client, fetcher) if http is None else None,
        lease=timedelta(seconds=fetcher.lease_s),
        max_crawl_delay_s=fetcher.robots_max_crawl_delay_s,
        max_inline_wait_s=fetcher.max_inline_wait_s,
        article_max_attempts=fetcher.article_max_attempts,
    )
    stage = Stage(
        "fetcher",
        FetchRequested,
        functools.partial(fetch, deps=deps),
        # Up to this many partitions of devoured.fetch_requested at once, each in its own lane
        # (keyed by host, so one host's requests stay in one lane, in order, at the host's own
        # pace), their writes committed together (pump: lanes).
        concurrency=fetcher.concurrency,
        batch=True,
        wait_of=functools.partial(host_wait, client),
    )
    return stage, deps


def host_wait(http: HttpFetcher, msg: FetchRequested) -> float:
    """Seconds before a request to ``msg``'s host may start (its pace, a Retry-After or a
    crawl-delay already seen): a lane leaves the record for a later poll rather than wait."""
    if http.limiter is None:
        return 0.0
    try:
        return http.limiter.wait_s(host_of(msg.url))
    except ValueError:
        return 0.0  # the handler records why the URL cannot be fetched


def submission_stage(deps: FetcherDeps) -> Stage:
    """The fetcher's second input: single URLs submitted on ``devoured.url_submitted``."""
    return Stage("fetcher", UrlSubmitted, functools.partial(submit_url, deps=deps))

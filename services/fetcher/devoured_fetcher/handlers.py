"""Fetcher handlers: poll a feed and request its new entries; fetch an article page.

Each handler takes its message first and its dependencies by keyword, commits its own unit of
work, and returns the messages to publish (the transport publishes them after the commit).
A feed poll never raises for a bad feed or a network failure: it records the reason and plans
the next attempt (backoff), so a feed is never lost and never disabled for good.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from devoured_core.errors import DevouredError, PermanentError
from devoured_core.messages import (
    FeedEntry,
    FetchRequested,
    Message,
    PageFetched,
    SourceInfo,
    UrlSubmitted,
)
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url, host_of
from devoured_fetcher.decode import decode_body
from devoured_fetcher.feeds import ParsedFeed, parse_document
from devoured_fetcher.http import FetchFailed, HttpFetcher, HttpResponse
from devoured_fetcher.outcome import canonical_link, judge
from devoured_fetcher.robots import RobotsCache
from devoured_fetcher.schedule import (
    NextPoll,
    PollBounds,
    PollOutcome,
    plan_next_poll,
    retry_after_s,
)
from devoured_infra import metrics
from devoured_infra.repositories.fetcher import PollSchedule
from devoured_infra.uow import UnitOfWorkFactory

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
ARTICLE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FetcherDeps:
    new_uow: UnitOfWorkFactory
    http: HttpFetcher
    clock: Callable[[], datetime]
    rerequest_after: timedelta
    bounds: PollBounds = field(default_factory=PollBounds)
    robots: RobotsCache | None = None
    rand: Callable[[], float] = field(default=random.random)
    lease: timedelta = timedelta(minutes=10)
    max_crawl_delay_s: float = 30.0


async def fetch(msg: FetchRequested, *, deps: FetcherDeps) -> list[Message]:
    """Handle a fetch request of either kind."""
    if msg.kind == "feed":
        return list(await fetch_feed(msg, deps=deps))
    return list(await fetch_article(msg, deps=deps))


@dataclass
class _Poll:
    status: int | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    feed: ParsedFeed | None = None


async def fetch_feed(msg: FetchRequested, *, deps: FetcherDeps) -> list[FetchRequested]:
    """Poll a feed; request every entry not fetched yet (and not requested recently)."""
    source_id = msg.source.source_id
    async with deps.new_uow() as uow:
        state = await uow.sources.feed_state(source_id)
        settings = await uow.sources.settings_of(source_id)
    poll = await _poll(msg.url, deps, state.etag, state.last_modified, settings)
    now = deps.clock()
    errors = 0 if poll.error is None else state.error_count + 1
    entries = poll.feed.entries if poll.feed else []
    plan = plan_next_poll(
        PollOutcome(
            status=_status_for_plan(poll),
            error_count=errors,
            entry_times=[e.published_at for e in entries if e.published_at],
            headers=poll.headers,
            ttl_minutes=poll.feed.ttl_minutes if poll.feed else None,
            skip_hours=poll.feed.skip_hours if poll.feed else frozenset(),
        ),
        now=now,
        bounds=_bounds(deps.bounds, settings),
        rand=deps.rand(),
    )
    requests = await _request_new_entries(msg.source, entries, deps, now) if poll.feed else []
    async with deps.new_uow() as uow:
        await uow.sources.record_poll(
            source_id,
            at=now,
            status=poll.status,
            error=poll.error,
            etag=poll.headers.get("etag"),
            last_modified=poll.headers.get("last-modified"),
            schedule=_schedule(plan),
        )
        await uow.commit()
    result = "error" if poll.error else ("not_modified" if poll.status == 304 else "ok")
    metrics.FETCHES.labels("feed", result).inc()
    metrics.FETCH_FEED_POLLS.labels(result).inc()
    return requests


async def _poll(
    url: str,
    deps: FetcherDeps,
    etag: str | None,
    last_modified: str | None,
    settings: dict[str, Any],
) -> _Poll:
    try:
        response = await deps.http.get(
            url,
            etag=etag,
            last_modified=last_modified,
            headers=_source_headers(settings),
            accept=FEED_ACCEPT,
        )
    except DevouredError as exc:
        metrics.FETCH_SKIPS.labels(type(exc).__name__).inc()
        return _Poll(error=str(exc))
    poll = _Poll(status=response.status, headers=response.headers)
    verdict = judge(response, "feed")
    if verdict.verdict in ("error", "skipped"):
        metrics.FETCH_SKIPS.labels(verdict.code or "other").inc()
        poll.error = verdict.reason
        return poll
    if verdict.verdict == "ok":
        try:
            poll.feed = parse_document(response.body, response.final_url)
        except PermanentError as exc:
            metrics.FETCH_SKIPS.labels("malformed").inc()
            poll.error = str(exc)
    return poll


async def _request_new_entries(
    source: SourceInfo, entries: list[FeedEntry], deps: FetcherDeps, now: datetime
) -> list[FetchRequested]:
    by_id = {article_id_for(e.link): e for e in entries}
    requests = []
    async with deps.new_uow() as uow:
        wanted = await uow.article_requests.needing_request(
            by_id, now=now, rerequest_after=deps.rerequest_after
        )
        for article_id, entry in by_id.items():
            if article_id not in wanted:
                continue
            await uow.article_requests.mark_requested(
                article_id, url=entry.link, source_id=source.source_id, at=now
            )
            requests.append(
                FetchRequested(url=entry.link, kind="article", source=source, entry=entry)
            )
        await uow.commit()
    return requests


async def submit_url(msg: UrlSubmitted, *, deps: FetcherDeps) -> list[FetchRequested]:
    """A single submitted URL: request it unless it was fetched or requested recently."""
    if not msg.url.startswith(("http://", "https://")):
        raise PermanentError(f"submit: {msg.url!r} is not an http(s) URL")
    source = SourceInfo(
        source_id="submitted", name=msg.submitted_by or "Submitted", section=msg.section
    )
    entry = FeedEntry(link=canonicalize_url(msg.url))
    return await _request_new_entries(source, [entry], deps, deps.clock())


def _status_for_plan(poll: _Poll) -> int | None:
    """The status the policy should see: a 200 with an unreadable body counts as a failure."""
    if poll.error is None or (poll.status is not None and poll.status >= 400):
        return poll.status
    return None


def _bounds(default: PollBounds, settings: dict[str, Any]) -> PollBounds:
    low = float(settings.get("poll_min_s", default.min_s))
    high = max(low, float(settings.get("poll_max_s", default.max_s)))
    return PollBounds(low, high, min(max(default.default_s, low), high), default.jitter)


def _source_headers(settings: dict[str, Any]) -> dict[str, str]:
    headers = {str(k).lower(): str(v) for k, v in (settings.get("headers") or {}).items()}
    if settings.get("user_agent"):
        headers["user-agent"] = str(settings["user_agent"])
    return headers


def _schedule(plan: NextPoll) -> PollSchedule:
    return PollSchedule(next_poll_at=plan.at, interval_s=plan.interval_s, gone=plan.gone)


async def fetch_article(msg: FetchRequested, *, deps: FetcherDeps) -> list[PageFetched]:
    """Fetch an article page and hand it to the extractor; record why when we cannot.

    Server errors, 429 and network failures raise (the transport retries them); anything else
    that stops us is final for this article and recorded, so it is not requested again.
    """
    article_id = article_id_for(msg.url)
    async with deps.new_uow() as uow:
        finished_by = await uow.article_requests.finished_by(article_id)
    # Skip what another request already finished; a redelivery of the request that finished it
    # (we crashed after the commit, before the publish) must emit its page again.
    if finished_by is not None and finished_by != msg.message_id:
        metrics.FETCH_SKIPS.labels("already_fetched").inc()
        return []
    if deps.robots is not None:
        if not await deps.robots.allowed(msg.url):
            metrics.FETCH_ROBOTS_DENIALS.inc()
            return await _give_up(
                deps, msg, article_id, None, "article: disallowed by robots.txt", "robots"
            )
        if deps.http.limiter is not None:
            # Capped: requests are keyed by host, so a long delay would also hold up the other
            # hosts that share this host's partition.
            delay = min(await deps.robots.crawl_delay(msg.url), deps.max_crawl_delay_s)
            deps.http.limiter.space_host(host_of(msg.url), delay)
    try:
        response = await deps.http.get(msg.url, accept=ARTICLE_ACCEPT)
    except PermanentError as exc:
        return await _give_up(deps, msg, article_id, None, str(exc), type(exc).__name__)
    if response.status >= 500 or response.status == 429:
        _slow_down(deps, response)
        raise FetchFailed(f"article: HTTP {response.status} from {response.final_url}")
    verdict = judge(response, "article")
    if verdict.verdict != "ok":
        reason, code = verdict.reason or "", verdict.code or "other"
        return await _give_up(deps, msg, article_id, response.status, reason, code)
    metrics.FETCHES.labels("article", "ok").inc()
    metrics.FETCH_SECONDS.labels("article").observe(response.elapsed_ms / 1000)
    body = decode_body(response.content_type, response.body)
    await _record_article(deps, msg, article_id, response, body)
    return [
        PageFetched(
            article_id=article_id,
            url=msg.url,
            final_url=canonicalize_url(response.final_url),
            status=response.status,
            headers=response.headers,
            fetched_at=deps.clock(),
            body=body,
            source=msg.source,
            entry=msg.entry,
        )
    ]


def _slow_down(deps: FetcherDeps, response: HttpResponse) -> None:
    wait = retry_after_s(response.headers.get("retry-after"), now=deps.clock())
    if wait and deps.http.limiter is not None:
        deps.http.limiter.delay_host(host_of(response.final_url), min(wait, 3600.0))


async def _give_up(
    deps: FetcherDeps,
    msg: FetchRequested,
    article_id: str,
    status: int | None,
    reason: str,
    code: str,
) -> list[PageFetched]:
    metrics.FETCHES.labels("article", "skipped").inc()
    metrics.FETCH_SKIPS.labels(code).inc()
    async with deps.new_uow() as uow:
        await uow.article_requests.mark_fetched(
            article_id,
            url=msg.url,
            source_id=msg.source.source_id,
            at=deps.clock(),
            status=status,
            error=reason,
            request_id=msg.message_id,
        )
        await uow.commit()
    return []


async def _record_article(
    deps: FetcherDeps, msg: FetchRequested, article_id: str, response: HttpResponse, body: str
) -> None:
    """Mark the article fetched, under its requested, final and rel=canonical URLs alike."""
    aliases = {canonicalize_url(response.final_url)}
    canonical = canonical_link(body)
    if canonical:
        aliases.add(canonicalize_url(urljoin(response.final_url, canonical)))
    now = deps.clock()
    async with deps.new_uow() as uow:
        for url in (msg.url, *sorted(aliases)):
            if url != msg.url and article_id_for(url) == article_id:
                continue
            await uow.article_requests.mark_fetched(
                article_id_for(url),
                url=url,
                source_id=msg.source.source_id,
                at=now,
                status=response.status,
                request_id=msg.message_id,
            )
        await uow.commit()


async def poll_sources(sources: list[Source], *, deps: FetcherDeps) -> list[FetchRequested]:
    """Embedded mode's single tick: store the sources and request every enabled one now."""
    async with deps.new_uow() as uow:
        await uow.sources.save_sources(sources)
        enabled = await uow.sources.enabled_sources()
        await uow.commit()
    return [FetchRequested(url=s.url, kind=s.kind, source=s.info()) for s in enabled]


async def schedule_due(*, deps: FetcherDeps, limit: int = 500) -> list[FetchRequested]:
    """The scheduler's tick: request every enabled source whose next poll is due.

    Each emitted source is leased (its next poll pushed back by ``deps.lease``) in the same
    transaction, so the next tick does not emit it again while a worker is on it; the worker
    then records the real next poll. A lost request is simply re-emitted when the lease ends.
    Single-URL (``kind="article"``) sources are one-shot: leased far into the future.
    """
    now = deps.clock()
    async with deps.new_uow() as uow:
        due = await uow.sources.due_sources(now, limit=limit)
        for item in due:
            one_shot = item.source.kind == "article"
            until = now + (timedelta(days=3650) if one_shot else deps.lease)
            await uow.sources.lease(item.source.source_id, until)
            if item.planned_at is not None:
                metrics.FETCH_SCHEDULER_LAG.observe(
                    max(0.0, (now - item.planned_at).total_seconds())
                )
        await uow.commit()
    return [
        FetchRequested(url=d.source.url, kind=d.source.kind, source=d.source.info()) for d in due
    ]

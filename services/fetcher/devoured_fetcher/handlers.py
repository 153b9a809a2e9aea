"""Fetcher handlers: poll a feed and request its new entries; schedule due polls and send
again the article requests that are due (fetching an article page is in ``articles``).

Each handler takes its message first and its dependencies by keyword, writes what it emits to
the outbox with its state, commits, and returns those messages (the relay publishes them).
A feed poll never raises for a bad feed or a network failure: it records the reason and plans
the next attempt (backoff), so a feed is never lost and never disabled for good.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from devoured_core.errors import DevouredError, InvalidMessage, PermanentError
from devoured_core.messages import (
    FeedEntry,
    FetchArticle,
    FetchRequested,
    Message,
    PollFeed,
    SourceInfo,
    UrlSubmitted,
)
from devoured_core.model import Source, SourceSettings
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_fetcher import metrics
from devoured_fetcher.articles import fetch_article, retry_backoff_s
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.feeds import ParsedFeed, parse_document
from devoured_fetcher.outcome import judge
from devoured_fetcher.repositories import PollSchedule, RequestMark
from devoured_fetcher.schedule import (
    NextPoll,
    PollBounds,
    PollOutcome,
    plan_next_poll,
)
from devoured_fetcher.uow import FetcherUnitOfWork

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


async def fetch(msg: FetchRequested, *, deps: FetcherDeps) -> list[Message]:
    """Handle a fetch request of either kind."""
    match msg:
        case PollFeed():
            return list(await fetch_feed(msg, deps=deps))
        case FetchArticle():
            return list(await fetch_article(msg, deps=deps))
    # Validation and construction give one of the two; only ``model_construct`` could not.
    raise InvalidMessage(f"fetch: {type(msg).__name__} is neither a feed poll nor an article")


@dataclass
class _Poll:
    status: int | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    feed: ParsedFeed | None = None


async def fetch_feed(msg: PollFeed, *, deps: FetcherDeps) -> list[FetchArticle]:
    """Poll a feed; request every entry not fetched yet (and not requested recently)."""
    source_id = msg.source.source_id
    async with deps.new_uow() as uow:
        await uow.read_only()
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
    settings: SourceSettings,
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
) -> list[FetchArticle]:
    by_id = {article_id_for(e.link): e for e in entries}
    requests = []
    async with deps.new_uow() as uow:
        wanted = await uow.article_requests.needing_request(
            by_id, now=now, rerequest_after=deps.rerequest_after
        )
        marks = []
        for article_id, entry in by_id.items():
            if article_id not in wanted:
                continue
            request = FetchArticle(url=entry.link, source=source, entry=entry)
            marks.append(_mark(article_id, request, deps, now))
            requests.append(request)
        await uow.article_requests.mark_all_requested(marks)
        await uow.outbox.add(requests)
        await uow.commit()
    return requests


def _mark(
    article_id: str, request: FetchRequested, deps: FetcherDeps, now: datetime
) -> RequestMark:
    """The article marked requested, keeping the request: if it is lost (or put off), the
    scheduler sends it again once ``rerequest_after`` has passed (``resend_due``)."""
    return RequestMark(
        article_id,
        url=request.url,
        source_id=request.source.source_id,
        at=now,
        request=request.model_dump_json(),
        retry_at=now + deps.rerequest_after,
    )


async def submit_url(msg: UrlSubmitted, *, deps: FetcherDeps) -> list[FetchArticle]:
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


def _bounds(default: PollBounds, settings: SourceSettings) -> PollBounds:
    low = default.min_s if settings.poll_min_s is None else settings.poll_min_s
    high = max(low, default.max_s if settings.poll_max_s is None else settings.poll_max_s)
    return PollBounds(low, high, min(max(default.default_s, low), high), default.jitter)


def _source_headers(settings: SourceSettings) -> dict[str, str]:
    headers = {k.lower(): v for k, v in (settings.headers or {}).items()}
    if settings.user_agent:
        headers["user-agent"] = settings.user_agent
    return headers


def _request_for(source: Source) -> FetchRequested:
    """The command that fetches a source now: a feed poll, or a single article."""
    if source.kind == "article":
        return FetchArticle(url=source.url, source=source.info())
    return PollFeed(url=source.url, source=source.info())


def _schedule(plan: NextPoll) -> PollSchedule:
    return PollSchedule(next_poll_at=plan.at, interval_s=plan.interval_s, gone=plan.gone)


async def poll_sources(sources: list[Source], *, deps: FetcherDeps) -> list[FetchRequested]:
    """Embedded mode's single tick: store the sources and request every enabled one now."""
    async with deps.new_uow() as uow:
        await uow.sources.save_sources(sources)
        enabled = await uow.sources.enabled_sources()
        requests = [_request_for(s) for s in enabled]
        await uow.outbox.add(requests)
        await uow.commit()
    return requests


async def schedule_due(*, deps: FetcherDeps, limit: int = 500) -> list[FetchRequested]:
    """The scheduler's tick: request every enabled source whose next poll is due, and send
    again every article request that was lost or put off and is due now.

    Each emitted source is leased (its next poll pushed back by ``deps.lease``) in the same
    transaction, so the next tick does not emit it again while a worker is on it; the worker
    then records the real next poll. A lost poll is simply re-emitted when the lease ends.
    Single-URL (``kind="article"``) sources are one-shot: leased far into the future, and
    tracked as article requests, so a lost one is sent again like any article.
    """
    now = deps.clock()
    async with deps.new_uow() as uow:
        due = await uow.sources.due_sources(now, limit=limit)
        requests, marks = [], []
        for item in due:
            request = _request_for(item.source)
            one_shot = isinstance(request, FetchArticle)
            until = now + (timedelta(days=3650) if one_shot else deps.lease)
            await uow.sources.lease(item.source.source_id, until)
            if item.planned_at is not None:
                metrics.FETCH_SCHEDULER_LAG.observe(
                    max(0.0, (now - item.planned_at).total_seconds())
                )
            if one_shot:
                marks.append(_mark(article_id_for(request.url), request, deps, now))
            requests.append(request)
        await uow.article_requests.mark_all_requested(marks)
        requests += await _resend_due(uow, deps, now, limit=limit)
        await uow.outbox.add(requests)
        await uow.commit()
    return requests


async def _resend_due(
    uow: FetcherUnitOfWork, deps: FetcherDeps, now: datetime, *, limit: int
) -> list[FetchRequested]:
    """Article requests whose retry time has come, as new messages; each is due again after
    a backoff that doubles with every attempt, in case this one is lost too."""
    resent = []
    for due in await uow.article_requests.due_requests(now, limit=limit):
        earlier = FetchRequested.model_validate_json(due.request)
        # The same command as a new message: a new id and time, of the same type.
        request = FetchRequested.model_validate(
            earlier.model_dump(include={"kind", "url", "source", "entry"})
        )
        retry_at = now + timedelta(seconds=retry_backoff_s(deps.rerequest_after, due.attempts + 2))
        await uow.article_requests.resent(due.article_id, at=now, retry_at=retry_at)
        resent.append(request)
    if resent:
        metrics.FETCH_RESENT.inc(len(resent))
    return resent

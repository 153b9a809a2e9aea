"""Fetcher handlers: poll a feed and request its new entries; fetch an article page.

Each handler takes its message first and its dependencies by keyword, commits its own unit of
work, and returns the messages to publish (the transport publishes them after the commit).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from devoured_core.errors import PermanentError
from devoured_core.messages import FeedEntry, FetchRequested, Message, PageFetched
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_fetcher.decode import decode_body
from devoured_fetcher.feeds import parse_feed
from devoured_fetcher.http import FetchFailed, HttpFetcher, HttpResponse
from devoured_infra import metrics
from devoured_infra.uow import UnitOfWorkFactory

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FetcherDeps:
    new_uow: UnitOfWorkFactory
    http: HttpFetcher
    clock: Callable[[], datetime]
    rerequest_after: timedelta


async def fetch(msg: FetchRequested, *, deps: FetcherDeps) -> list[Message]:
    """Handle a fetch request of either kind."""
    if msg.kind == "feed":
        return list(await fetch_feed(msg, deps=deps))
    return list(await fetch_article(msg, deps=deps))


async def fetch_feed(msg: FetchRequested, *, deps: FetcherDeps) -> list[FetchRequested]:
    """Poll a feed; request every entry not fetched yet (and not requested recently)."""
    source_id = msg.source.source_id
    async with deps.new_uow() as uow:
        state = await uow.sources.feed_state(source_id)
    try:
        response = await deps.http.get(msg.url, etag=state.etag, last_modified=state.last_modified)
        entries = [] if response.status == 304 else _entries(response)
    except PermanentError as exc:
        await _record_poll(deps, source_id, status=None, error=str(exc))
        metrics.FETCHES.labels("feed", "error").inc()
        return []
    metrics.FETCHES.labels("feed", "not_modified" if response.status == 304 else "ok").inc()
    metrics.FETCH_SECONDS.labels("feed").observe(response.elapsed_ms / 1000)
    now = deps.clock()
    by_id = {article_id_for(e.link): e for e in entries}
    async with deps.new_uow() as uow:
        wanted = await uow.article_requests.needing_request(
            by_id, now=now, rerequest_after=deps.rerequest_after
        )
        requests = []
        for article_id, entry in by_id.items():
            if article_id not in wanted:
                continue
            await uow.article_requests.mark_requested(
                article_id, url=entry.link, source_id=source_id, at=now
            )
            requests.append(
                FetchRequested(url=entry.link, kind="article", source=msg.source, entry=entry)
            )
        await uow.sources.record_poll(
            source_id,
            at=now,
            status=response.status,
            error=None,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        await uow.commit()
    return requests


def _entries(response: HttpResponse) -> list[FeedEntry]:
    if response.status >= 400:
        raise PermanentError(f"feed: HTTP {response.status}")
    return parse_feed(response.body, response.final_url)


async def fetch_article(msg: FetchRequested, *, deps: FetcherDeps) -> list[PageFetched]:
    """Fetch an article page and hand it to the extractor; record why when we cannot.

    Server errors and network failures raise (the transport retries them); anything else that
    stops us is final for this article and recorded, so it is not requested again.
    """
    article_id = article_id_for(msg.url)
    try:
        response = await deps.http.get(msg.url)
    except PermanentError as exc:
        return await _give_up(deps, msg, article_id, status=None, reason=str(exc))
    if response.status >= 500:
        raise FetchFailed(f"article: HTTP {response.status} from {response.final_url}")
    reason = _skip_reason(response)
    if reason is not None:
        return await _give_up(deps, msg, article_id, status=response.status, reason=reason)
    metrics.FETCHES.labels("article", "ok").inc()
    metrics.FETCH_SECONDS.labels("article").observe(response.elapsed_ms / 1000)
    await _record_article(deps, msg, article_id, status=response.status, error=None)
    return [
        PageFetched(
            article_id=article_id,
            url=msg.url,
            final_url=canonicalize_url(response.final_url),
            status=response.status,
            headers=response.headers,
            fetched_at=deps.clock(),
            body=decode_body(response.content_type, response.body),
            source=msg.source,
            entry=msg.entry,
        )
    ]


def _skip_reason(response: HttpResponse) -> str | None:
    if response.status >= 400:
        return f"article: HTTP {response.status}"
    content_type = response.content_type.split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        return f"article: content type {content_type!r} is not HTML"
    return None


async def _give_up(
    deps: FetcherDeps, msg: FetchRequested, article_id: str, *, status: int | None, reason: str
) -> list[PageFetched]:
    metrics.FETCHES.labels("article", "skipped").inc()
    await _record_article(deps, msg, article_id, status=status, error=reason)
    return []


async def _record_poll(
    deps: FetcherDeps, source_id: str, *, status: int | None, error: str
) -> None:
    async with deps.new_uow() as uow:
        await uow.sources.record_poll(source_id, at=deps.clock(), status=status, error=error)
        await uow.commit()


async def _record_article(
    deps: FetcherDeps,
    msg: FetchRequested,
    article_id: str,
    *,
    status: int | None,
    error: str | None,
) -> None:
    async with deps.new_uow() as uow:
        await uow.article_requests.mark_fetched(
            article_id,
            url=msg.url,
            source_id=msg.source.source_id,
            at=deps.clock(),
            status=status,
            error=error,
        )
        await uow.commit()


async def poll_sources(sources: list[Source], *, deps: FetcherDeps) -> list[FetchRequested]:
    """The scheduler's tick: store the configured sources and request every enabled feed."""
    async with deps.new_uow() as uow:
        await uow.sources.save_sources(sources)
        enabled = await uow.sources.enabled_sources()
        await uow.commit()
    return [FetchRequested(url=s.url, kind=s.kind, source=s.info()) for s in enabled]

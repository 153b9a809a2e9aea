"""Fetching one article page: fetch it, put it off while its site cannot answer, or record why
it cannot be had.

The page goes into the outbox with the mark that the article was fetched, in one transaction.
"""

from datetime import timedelta
from urllib.parse import urljoin

from devoured_core.errors import PermanentError, TransientError
from devoured_core.messages import FetchArticle, PageFetched
from devoured_core.urls import article_id_for, canonicalize_url, host_of, trusted_canonical
from devoured_fetcher import metrics
from devoured_fetcher.decode import decode_body
from devoured_fetcher.deps import FetcherDeps
from devoured_fetcher.http import HttpResponse
from devoured_fetcher.outcome import canonical_link, judge
from devoured_fetcher.schedule import retry_after_s

ARTICLE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
ROBOTS_RETRY_S = 300.0  # how long a robots.txt failure is remembered (robots.py)


async def fetch_article(msg: FetchArticle, *, deps: FetcherDeps) -> list[PageFetched]:
    """Fetch an article page and hand it to the extractor; record why when we cannot.

    When the site cannot answer now (server errors, 429, network failures, robots.txt
    unavailable, a Retry-After or crawl delay longer than ``max_inline_wait_s``) the article is
    put off, never slept on: the scheduler sends its request again when it is due, and gives it
    up after ``article_max_attempts``. Anything else that stops us is final and recorded.
    """
    article_id = article_id_for(msg.url)
    async with deps.new_uow() as uow:
        await uow.read_only()
        finished_by = await uow.article_requests.finished_by(article_id)
    # Skip what a request already finished, this one included: a redelivery after a crash
    # between the commit and the publish finds its page in the outbox, committed with the mark.
    if finished_by is not None:
        metrics.FETCH_SKIPS.labels("already_fetched").inc()
        return []
    host = host_of(msg.url)
    if deps.robots is not None:
        robots = await deps.robots.verdict(msg.url)
        if robots == "unavailable":
            return await _defer(deps, msg, ROBOTS_RETRY_S, "article: robots.txt unavailable")
        if robots == "disallowed":
            metrics.FETCH_ROBOTS_DENIALS.inc()
            return await _give_up(
                deps, msg, article_id, None, "article: disallowed by robots.txt", "robots"
            )
        if deps.http.limiter is not None:
            # Capped: requests are keyed by host, so a long delay would also hold up the other
            # hosts that share this host's partition.
            delay = min(await deps.robots.crawl_delay(msg.url), deps.max_crawl_delay_s)
            deps.http.limiter.space_host(host, delay)
    if deps.http.limiter is not None:
        wait = deps.http.limiter.wait_s(host)
        if wait > deps.max_inline_wait_s:
            return await _defer(deps, msg, wait, f"article: {host} asked us to wait {wait:.0f} s")
    try:
        response = await deps.http.get(msg.url, accept=ARTICLE_ACCEPT)
    except PermanentError as exc:
        return await _give_up(deps, msg, article_id, None, str(exc), type(exc).__name__)
    except TransientError as exc:
        return await _defer(deps, msg, None, str(exc))
    if response.status >= 500 or response.status == 429:
        reason = f"article: HTTP {response.status} from {response.final_url}"
        return await _defer(deps, msg, _slow_down(deps, response), reason)
    verdict = judge(response, "article")
    if verdict.verdict != "ok":
        reason, code = verdict.reason or "", verdict.code or "other"
        return await _give_up(deps, msg, article_id, response.status, reason, code)
    metrics.FETCHES.labels("article", "ok").inc()
    metrics.FETCH_SECONDS.labels("article").observe(response.elapsed_ms / 1000)
    body = decode_body(response.content_type, response.body)
    page = PageFetched(
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
    await _record_article(deps, msg, page, response)
    return [page]


def _slow_down(deps: FetcherDeps, response: HttpResponse) -> float | None:
    """Honour the response's Retry-After for its host; returns it (capped at an hour)."""
    wait = retry_after_s(response.headers.get("retry-after"), now=deps.clock())
    if not wait:
        return None
    wait = min(wait, 3600.0)
    if deps.http.limiter is not None:
        deps.http.limiter.delay_host(host_of(response.final_url), wait)
    return wait


async def _defer(
    deps: FetcherDeps, msg: FetchArticle, wait_s: float | None, reason: str
) -> list[PageFetched]:
    """Put the article off: the scheduler sends ``msg`` again after ``wait_s`` (or a backoff
    that grows with each attempt), until ``article_max_attempts`` is reached."""
    article_id, now = article_id_for(msg.url), deps.clock()
    async with deps.new_uow() as uow:
        attempts = await uow.article_requests.attempts_of(article_id) + 1
        if attempts <= deps.article_max_attempts:
            delay = max(wait_s or 0.0, retry_backoff_s(deps.rerequest_after, attempts))
            await uow.article_requests.defer(
                article_id,
                url=msg.url,
                source_id=msg.source.source_id,
                request=msg.model_dump_json(),
                until=now + timedelta(seconds=delay),
                error=reason,
            )
            await uow.commit()
            metrics.FETCHES.labels("article", "deferred").inc()
            return []
    reason = f"gave up after {attempts - 1} attempts: {reason}"
    return await _give_up(deps, msg, article_id, None, reason, "gave_up")


def retry_backoff_s(base: timedelta, attempts: int) -> float:
    """How long an article waits before its ``attempts``-th try: doubling from ``base``,
    at most a day."""
    doubling: float = base.total_seconds() * 2.0 ** min(max(attempts - 1, 0), 16)
    return min(86_400.0, doubling)


async def _give_up(
    deps: FetcherDeps,
    msg: FetchArticle,
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
    deps: FetcherDeps, msg: FetchArticle, page: PageFetched, response: HttpResponse
) -> None:
    """Mark the article fetched, under its requested, final and rel=canonical URLs alike, and
    queue its page in the same transaction. A rel=canonical on another site is ignored (the
    extractor's rule: ``trusted_canonical``), or any page could suppress other sites' articles."""
    article_id = page.article_id
    aliases = {canonicalize_url(response.final_url)}
    canonical = canonical_link(page.body)
    if canonical:
        claimed = urljoin(response.final_url, canonical)
        aliases.add(canonicalize_url(trusted_canonical(claimed, response.final_url)))
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
        await uow.outbox.add([page])
        await uow.commit()

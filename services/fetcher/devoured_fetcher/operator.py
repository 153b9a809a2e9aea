"""Operator commands behind the CLI: one-off fetch, OPML import/export, sources list, submit."""

import time
from collections.abc import Callable
from typing import Any

from devoured_core.errors import DevouredError, PermanentError
from devoured_core.model import Source
from devoured_core.urls import article_id_for, canonicalize_url
from devoured_fetcher.bootstrap import build_http
from devoured_fetcher.feeds import parse_document
from devoured_fetcher.handlers import FEED_ACCEPT
from devoured_fetcher.opml import OpmlFeed, parse_opml, render_opml, slug
from devoured_fetcher.outcome import HTML_TYPES, Kind, judge
from devoured_fetcher.repositories import SourceStatus
from devoured_fetcher.settings import FetcherSettings
from devoured_fetcher.uow import FetcherUnitOfWork


async def fetch_report(url: str, fetcher: FetcherSettings) -> dict[str, Any]:
    """Fetch ``url`` with the service's own client and verdicts; one JSON-able object."""
    http = build_http(fetcher)
    started = time.perf_counter()
    report: dict[str, Any] = {"url": url, "outcome": "error", "reason": None, "status": None}
    try:
        response = await http.get(url, accept=FEED_ACCEPT)
    except DevouredError as exc:
        report["reason"] = str(exc)
        report["elapsed_ms"] = int((time.perf_counter() - started) * 1000)
        return report
    finally:
        await http.aclose()
    kind: Kind = "article" if response.media_type in HTML_TYPES else "feed"
    verdict = judge(response, kind)
    report |= {
        "outcome": verdict.verdict,
        "reason": verdict.reason,
        "status": response.status,
        "final_url": response.final_url,
        "content_type": response.content_type,
        "bytes": len(response.body),
        "elapsed_ms": response.elapsed_ms,
        "kind": kind,
        "redirects": response.redirects,
    }
    if verdict.verdict == "ok" and kind == "feed":
        try:
            parsed = parse_document(response.body, response.final_url)
            report |= {"feed_format": parsed.kind, "entries": len(parsed.entries)}
            report["entries_without_link"] = parsed.dropped
        except PermanentError as exc:
            report |= {"outcome": "error", "reason": str(exc)}
    return report


async def import_opml(body: bytes, new_uow: Callable[[], FetcherUnitOfWork]) -> list[Source]:
    feeds = parse_opml(body)
    sources = [
        Source(source_id=slug(f.title), name=f.title, url=f.url, section=f.category) for f in feeds
    ]
    unique = {s.source_id: s for s in sources}
    async with new_uow() as uow:
        await uow.sources.save_sources(unique.values())
        await uow.commit()
    return list(unique.values())


async def export_opml(new_uow: Callable[[], FetcherUnitOfWork]) -> str:
    async with new_uow() as uow:
        statuses = await uow.sources.statuses()
    feeds = [
        OpmlFeed(s.source.name, s.source.url, s.source.section)
        for s in statuses
        if s.source.kind == "feed"
    ]
    return render_opml(feeds)


async def list_sources(new_uow: Callable[[], FetcherUnitOfWork]) -> list[SourceStatus]:
    async with new_uow() as uow:
        return await uow.sources.statuses()


async def submit_url(url: str, new_uow: Callable[[], FetcherUnitOfWork]) -> Source:
    """A one-shot article source; the scheduler emits it on its next tick."""
    if not url.startswith(("http://", "https://")):
        raise PermanentError(f"submit: {url!r} is not an http(s) URL")
    canonical = canonicalize_url(url)
    source = Source(
        source_id=f"submitted-{article_id_for(canonical)}",
        name=f"Submitted: {canonical}"[:500],
        url=canonical,
        kind="article",
    )
    async with new_uow() as uow:
        await uow.sources.save_sources([source])
        await uow.commit()
    return source

"""The publisher's website and JSON API (Starlette): archive, editions, articles, feeds, search.

Pages are server-rendered and work without JavaScript. Reads go through the unit of work's
repositories, so the site shows exactly what the publisher stored.

An edition's page and API body are the ones its last build rendered and stored with it
(``EditionRepository.pages``): a request reads one row, whatever the edition's size. An edition
built before those were stored is assembled (clustering, the editor's cut) and rendered in a
worker thread, never on the event loop: an edition of thousands of stories takes seconds to
assemble, and the loop also answers health probes and keeps the Kafka consumers' heartbeats.
At most ``RENDER_THREADS`` editions render at once.

``/status`` is for operators: the pipeline's status (``devoured_infra.status``: lag, rate,
dead letters, leases) plus the latest edition, as JSON, the same as ``devoured status --json``.
It answers only with ``DEVOURED_PUBLISHER_STATUS_TOKEN`` (``Authorization: Bearer <token>`` or
``?token=<token>``); without a token configured it does not exist (404).
"""

import asyncio
import functools
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from devoured_core.model import EditionRecord, Story
from devoured_infra.db import create_engine
from devoured_infra.settings import Settings
from devoured_infra.status import PipelineStatus, pipeline_status, problem
from devoured_publisher.edition import Edition
from devoured_publisher.feeds import atom_feed, rss_feed
from devoured_publisher.handlers import PublisherDeps, assemble_stored_edition
from devoured_publisher.headers import SecurityHeaders
from devoured_publisher.pages import (
    render_archive,
    render_article_page,
    render_html,
    render_search,
)
from devoured_publisher.repositories import EditionPages
from devoured_publisher.settings import PublisherSettings
from devoured_publisher.uow import PublisherUnitOfWork

API_LIMIT = 100
ARCHIVE_PAGE = 50
RENDER_THREADS = 2
T = TypeVar("T")


class LatestEdition(BaseModel):
    edition_id: str
    title: str
    story_count: int
    item_count: int
    built_at: datetime


class OperatorStatus(PipelineStatus):
    """The pipeline's status and the publisher's latest edition."""

    latest_edition: LatestEdition | None = None


async def latest_edition(new_uow: Callable[[], PublisherUnitOfWork]) -> LatestEdition | None:
    async with new_uow() as uow:
        record = await uow.editions.latest()
    if record is None:
        return None
    return LatestEdition(
        edition_id=record.edition_id,
        title=record.title,
        story_count=record.story_count,
        item_count=record.item_count,
        built_at=record.built_at,
    )


async def operator_status(
    settings: Settings,
    new_uow: Callable[[], PublisherUnitOfWork],
    *,
    interval_s: float,
) -> OperatorStatus:
    """``pipeline_status`` on ``settings`` (its own connections, closed afterwards) and the
    latest edition read through ``new_uow``; a part that cannot be read goes to ``problems``."""
    engine = create_engine(settings.database_url)
    try:
        pipeline = await pipeline_status(settings, engine, interval_s=interval_s)
    finally:
        await engine.dispose()
    status = OperatorStatus(**dict(pipeline))
    try:
        status.latest_edition = await latest_edition(new_uow)
    except Exception as exc:
        status.problems.append(problem("database", exc))
    return status


@dataclass(frozen=True)
class StatusPage:
    """What ``/status`` needs: the token it asks for (None: no page), the shared settings
    (broker, database) and the interval its rates are measured over."""

    token: SecretStr | None
    settings: Settings
    interval_s: float = 1.0

    @classmethod
    def from_environment(cls) -> "StatusPage":
        return cls(token=PublisherSettings().status_token, settings=Settings())


def create_web_app(
    deps: PublisherDeps, *, base_url: str, status: StatusPage | None = None
) -> Starlette:
    """The website; ``status`` configures ``/status`` (by default read from the environment
    on its first request)."""
    site = _Site(deps, base_url.rstrip("/"), status)
    return Starlette(
        routes=[
            Route("/", site.archive),
            Route("/editions/{edition_id}", site.edition),
            Route("/articles/{article_id}", site.article),
            Route("/search", site.search),
            Route("/feed.xml", site.rss),
            Route("/atom.xml", site.atom),
            Route("/api/editions", site.api_editions),
            Route("/api/editions/{edition_id}", site.api_edition),
            Route("/api/articles", site.api_articles),
            Route("/status", site.status),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )


class _Site:
    def __init__(self, deps: PublisherDeps, base_url: str, status: StatusPage | None) -> None:
        self._deps = deps
        self._base_url = base_url
        self._status = status

    async def status(self, request: Request) -> Response:
        """The operators' status; 404 without a configured token, 401 without a token in the
        request, 403 with another one. Never cached."""
        if self._status is None:
            self._status = StatusPage.from_environment()
        page = self._status
        expected = page.token.get_secret_value() if page.token is not None else ""
        if not expected:
            raise HTTPException(404)
        given = _request_token(request)
        if given is None:
            raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise HTTPException(403)
        report = await operator_status(
            page.settings, self._deps.new_uow, interval_s=page.interval_s
        )
        return JSONResponse(report.model_dump(mode="json"), headers={"Cache-Control": "no-store"})

    async def archive(self, request: Request) -> Response:
        """Newest first, a page at a time: "Older editions" continues below the last one."""
        editions = await self._recent(ARCHIVE_PAGE, request.query_params.get("before"))
        older = _next_page(request.url, editions, ARCHIVE_PAGE)
        return HTMLResponse(
            render_archive(editions, digest_name=self._deps.digest_name, older=older)
        )

    async def edition(self, request: Request) -> Response:
        page = await self._rendered(
            request.path_params["edition_id"],
            stored=lambda pages: pages.web_html,
            render=lambda edition: render_html(edition, web=True),
        )
        return HTMLResponse(page)

    async def article(self, request: Request) -> Response:
        story = await self._story(request.path_params["article_id"])
        async with self._deps.new_uow() as uow:
            record = await uow.editions.get(story.edition_key)
        title = record.title if record else story.edition_key
        return HTMLResponse(
            render_article_page(
                story,
                edition_id=story.edition_key,
                edition_title=title,
                digest_name=self._deps.digest_name,
            )
        )

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        results = await self._search(query, None) if query else []
        return HTMLResponse(render_search(query, results, digest_name=self._deps.digest_name))

    async def rss(self, request: Request) -> Response:
        body = rss_feed(
            await self._recent(30), title=self._deps.digest_name, base_url=self._base_url
        )
        return Response(body, media_type="application/rss+xml; charset=utf-8")

    async def atom(self, request: Request) -> Response:
        body = atom_feed(
            await self._recent(30), title=self._deps.digest_name, base_url=self._base_url
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    async def api_editions(self, request: Request) -> Response:
        """A page of editions, newest first; ``?before=<edition_id>&limit=<1-100>`` pages back,
        and the ``Link: <...>; rel="next"`` header gives the next page while there is one."""
        limit = _limit(request.query_params.get("limit"))
        editions = await self._recent(limit, request.query_params.get("before"))
        older = _next_page(request.url, editions, limit)
        headers = {"Link": f'<{older}>; rel="next"'} if older else None
        return JSONResponse([_edition_summary(e) for e in editions], headers=headers)

    async def api_edition(self, request: Request) -> Response:
        body = await self._rendered(
            request.path_params["edition_id"],
            stored=lambda pages: pages.api_json,
            render=lambda edition: edition.to_message().model_dump_json(),
        )
        return Response(body, media_type="application/json")

    async def _rendered(
        self,
        edition_id: str,
        *,
        stored: Callable[[EditionPages], str],
        render: Callable[[Edition], str],
    ) -> str:
        """The ``stored`` part of what the edition's last build rendered for the site; for an
        edition built before 0016, ``render`` of it assembled again (off the event loop)."""
        async with self._deps.new_uow() as uow:
            pages = await uow.editions.pages(edition_id)
        if pages is not None:
            return stored(pages)
        edition = await self._edition(edition_id)
        return await self._in_worker(lambda: render(edition))

    async def api_articles(self, request: Request) -> Response:
        query = request.query_params.get("q") or None
        section = request.query_params.get("section") or None
        stories = await self._search(query, section)
        return JSONResponse([_story_json(s) for s in stories])

    async def _edition(self, edition_id: str) -> Edition:
        """A published edition assembled again, for one built before its pages were stored
        (off the event loop, on the editions' own thread, never in a process of its own:
        starting one takes longer than a page may); 404 when there is none."""
        async with self._deps.new_uow() as uow:
            if await uow.editions.get(edition_id) is None:
                raise HTTPException(404, f"no edition {edition_id}")
            edition, _ = await assemble_stored_edition(uow, edition_id, self._deps, worker=False)
            return edition

    async def _in_worker(self, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread, at most ``RENDER_THREADS`` at a time."""
        async with self._limiter:
            return await run_in_threadpool(work)

    @functools.cached_property
    def _limiter(self) -> asyncio.Semaphore:
        return asyncio.Semaphore(RENDER_THREADS)

    async def _recent(self, limit: int, before: str | None = None) -> list[EditionRecord]:
        async with self._deps.new_uow() as uow:
            return await uow.editions.recent(limit, before)

    async def _search(self, query: str | None, section: str | None) -> list[Story]:
        async with self._deps.new_uow() as uow:
            return await uow.stories.search(query, section=section, limit=API_LIMIT)

    async def _story(self, article_id: str) -> Story:
        async with self._deps.new_uow() as uow:
            story = await uow.stories.get(article_id)
        if story is None:
            raise HTTPException(404, f"no article {article_id}")
        return story


def _request_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, else of ``?token=``."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.query_params.get("token") or None


def _limit(raw: str | None) -> int:
    try:
        return max(1, min(API_LIMIT, int(raw))) if raw else API_LIMIT
    except ValueError:
        raise HTTPException(400, "limit must be a whole number") from None


def _next_page(url: URL, page: list[EditionRecord], size: int) -> str | None:
    """The same address for the editions after this page's last, or None on the last page."""
    if len(page) < size:
        return None
    return str(url.include_query_params(before=page[-1].edition_id).replace(scheme="", netloc=""))


def _edition_summary(edition: EditionRecord) -> dict[str, Any]:
    return {
        "edition_id": edition.edition_id,
        "date": edition.edition_date.isoformat(),
        "title": edition.title,
        "overview": edition.overview,
        "item_count": edition.item_count,
        "story_count": edition.story_count,
        "built_at": edition.built_at.isoformat(),
    }


def _story_json(story: Story) -> dict[str, Any]:
    return story.model_dump(mode="json", exclude={"text"}) | {"edition_id": story.edition_key}

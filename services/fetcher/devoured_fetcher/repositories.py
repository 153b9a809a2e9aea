"""The fetcher's repositories: sources with their polling state, and the articles it has
requested. The SQL here is the only implementation; unit tests run it on SQLite."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.model import FeedState, Source, SourceSettings
from devoured_fetcher.tables import fetcher_articles, fetcher_sources
from devoured_infra.db import as_utc, upsert, upsert_many

_SOURCE_FIELDS = ("name", "url", "kind", "section", "weight", "enabled")


@dataclass(frozen=True)
class DueSource:
    """A source whose next poll is due, with the time it was planned for (None: never polled)."""

    source: Source
    planned_at: datetime | None
    settings: SourceSettings


@dataclass(frozen=True)
class SourceStatus:
    """What an operator sees of a source (``devoured sources list``)."""

    source: Source
    settings: SourceSettings
    last_polled_at: datetime | None
    last_status: int | None
    last_error: str | None
    error_count: int
    next_poll_at: datetime | None
    poll_interval_s: float | None
    gone: bool


@dataclass(frozen=True)
class PollSchedule:
    """Where the scheduling policy put a source after a poll."""

    next_poll_at: datetime
    interval_s: float
    gone: bool = False


@dataclass(frozen=True)
class DueRequest:
    """An article request to send again: lost, or deferred until now."""

    article_id: str
    request: str  # the FetchRequested as JSON
    attempts: int


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_sources(self, sources: Iterable[Source]) -> None:
        for source in sources:
            await upsert(
                self._session,
                fetcher_sources,
                {"source_id": source.source_id, **source.model_dump(include=set(_SOURCE_FIELDS))},
                keys=["source_id"],
            )

    async def enabled_sources(self) -> list[Source]:
        columns = [fetcher_sources.c.source_id, *(fetcher_sources.c[f] for f in _SOURCE_FIELDS)]
        rows = await self._session.execute(
            select(*columns)
            .where(fetcher_sources.c.enabled.is_(True))
            .order_by(fetcher_sources.c.source_id)
        )
        return [Source.model_validate(dict(row._mapping)) for row in rows]

    async def feed_state(self, source_id: str) -> FeedState:
        c = fetcher_sources.c
        row = (
            await self._session.execute(
                select(c.etag, c.last_modified, c.last_polled_at, c.error_count).where(
                    c.source_id == source_id
                )
            )
        ).first()
        return FeedState.model_validate(dict(row._mapping)) if row else FeedState()

    async def record_poll(
        self,
        source_id: str,
        *,
        at: datetime,
        status: int | None,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        schedule: PollSchedule | None = None,
    ) -> None:
        c = fetcher_sources.c
        values: dict[str, object] = {
            "last_polled_at": at,
            "last_status": status,
            "last_error": error,
        }
        if error is None:
            values["error_count"] = 0
            values["last_success_at"] = at
            if status == 200:
                values |= {"etag": etag, "last_modified": last_modified}
        else:
            values["error_count"] = c.error_count + 1
        if schedule is not None:
            values |= {
                "next_poll_at": schedule.next_poll_at,
                "poll_interval_s": schedule.interval_s,
                "gone": schedule.gone,
            }
        await self._session.execute(
            update(fetcher_sources).where(c.source_id == source_id).values(**values)
        )

    async def save_settings(self, source_id: str, settings: SourceSettings) -> None:
        await self._session.execute(
            update(fetcher_sources)
            .where(fetcher_sources.c.source_id == source_id)
            .values(settings=settings.stored())
        )

    async def settings_of(self, source_id: str) -> SourceSettings:
        c = fetcher_sources.c
        value = (
            await self._session.execute(select(c.settings).where(c.source_id == source_id))
        ).scalar()
        return SourceSettings.from_stored(value)

    async def due_sources(self, now: datetime, *, limit: int = 500) -> list[DueSource]:
        c = fetcher_sources.c
        rows = await self._session.execute(
            select(c.source_id, *(c[f] for f in _SOURCE_FIELDS), c.next_poll_at, c.settings)
            .where(c.enabled.is_(True), or_(c.next_poll_at.is_(None), c.next_poll_at <= now))
            .order_by(c.next_poll_at.nulls_first(), c.source_id)
            .limit(limit)
        )
        due = []
        for row in rows:
            values = dict(row._mapping)
            planned, settings = values.pop("next_poll_at"), values.pop("settings")
            due.append(
                DueSource(
                    Source.model_validate(values),
                    as_utc(planned) if planned else None,
                    SourceSettings.from_stored(settings),
                )
            )
        return due

    async def lease(self, source_id: str, until: datetime) -> None:
        await self._session.execute(
            update(fetcher_sources)
            .where(fetcher_sources.c.source_id == source_id)
            .values(next_poll_at=until)
        )

    async def statuses(self) -> list[SourceStatus]:
        c = fetcher_sources.c
        rows = await self._session.execute(select(fetcher_sources).order_by(c.source_id))
        out = []
        for row in rows:
            m = dict(row._mapping)
            out.append(
                SourceStatus(
                    source=Source.model_validate({k: m[k] for k in ("source_id", *_SOURCE_FIELDS)}),
                    settings=SourceSettings.from_stored(m["settings"]),
                    last_polled_at=_utc_or_none(m["last_polled_at"]),
                    last_status=m["last_status"],
                    last_error=m["last_error"],
                    error_count=m["error_count"],
                    next_poll_at=_utc_or_none(m["next_poll_at"]),
                    poll_interval_s=m["poll_interval_s"],
                    gone=bool(m["gone"]),
                )
            )
        return out


def _utc_or_none(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


@dataclass(frozen=True)
class RequestMark:
    """An article requested at ``at``; ``request`` is sent again at ``retry_at`` unless the
    article is fetched by then."""

    article_id: str
    url: str
    source_id: str
    at: datetime
    request: str | None = None
    retry_at: datetime | None = None


class ArticleRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def finished_by(self, article_id: str) -> str | None:
        """The request (message id) whose fetch of the article ended for good, success or
        permanent failure; "" when unknown; None while it is not finished."""
        row = (await self._session.execute(_FINISHED_BY, {"article_id": article_id})).first()
        if row is None or row.fetched_at is None:
            return None
        return row.fetched_by or ""

    async def needing_request(
        self, article_ids: Iterable[str], *, now: datetime, rerequest_after: timedelta
    ) -> set[str]:
        """Ids never fetched and not requested recently (a lost request is re-sent later)."""
        wanted = set(article_ids)
        if not wanted:
            return set()
        c = fetcher_articles.c
        rows = await self._session.execute(
            select(c.article_id, c.requested_at, c.fetched_at).where(c.article_id.in_(wanted))
        )
        cutoff = now - rerequest_after
        for article_id, requested_at, fetched_at in rows:
            recent = requested_at is not None and as_utc(requested_at) > cutoff
            if fetched_at is not None or recent:
                wanted.discard(article_id)
        return wanted

    async def mark_requested(
        self,
        article_id: str,
        *,
        url: str,
        source_id: str,
        at: datetime,
        request: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record that the article was requested; with ``request`` and ``retry_at``, the
        scheduler sends ``request`` again at ``retry_at`` unless the article was fetched."""
        await self.mark_all_requested(
            [RequestMark(article_id, url, source_id, at, request, retry_at)]
        )

    async def mark_all_requested(self, marks: Sequence[RequestMark]) -> None:
        """``mark_requested`` for every mark, in one statement."""
        await upsert_many(
            self._session,
            fetcher_articles,
            [
                {
                    "article_id": m.article_id,
                    "url": m.url,
                    "source_id": m.source_id,
                    "first_seen_at": m.at,
                    "requested_at": m.at,
                    "request": m.request,
                    "retry_at": m.retry_at,
                }
                for m in marks
            ],
            keys=["article_id"],
            update=["requested_at", "request", "retry_at"],
        )

    async def attempts_of(self, article_id: str) -> int:
        """How often the article was put off or sent again (0 when unknown)."""
        c = fetcher_articles.c
        query = select(c.attempts).where(c.article_id == article_id)
        return int((await self._session.execute(query)).scalar() or 0)

    async def defer(
        self,
        article_id: str,
        *,
        url: str,
        source_id: str,
        request: str,
        until: datetime,
        error: str,
    ) -> None:
        """Put the article's request off until ``until`` (the site cannot answer now) and
        count the attempt; the scheduler sends ``request`` again then."""
        c = fetcher_articles.c
        changes = {"retry_at": until, "error": error, "request": request}
        result = await self._session.execute(
            update(fetcher_articles)
            .where(c.article_id == article_id)
            .values(attempts=c.attempts + 1, **changes)
        )
        if getattr(result, "rowcount", 0):
            return
        await self._session.execute(
            insert(fetcher_articles).values(
                article_id=article_id,
                url=url,
                source_id=source_id,
                first_seen_at=until,
                requested_at=until,
                attempts=1,
                **changes,
            )
        )

    async def due_requests(self, now: datetime, *, limit: int) -> list[DueRequest]:
        """Unfinished requests whose retry time has come, oldest first."""
        c = fetcher_articles.c
        rows = await self._session.execute(
            select(c.article_id, c.request, c.attempts)
            .where(c.fetched_at.is_(None), c.request.is_not(None), c.retry_at <= now)
            .order_by(c.retry_at)
            .limit(limit)
        )
        return [DueRequest(a, r, n) for a, r, n in rows]

    async def resent(self, article_id: str, *, at: datetime, retry_at: datetime) -> None:
        c = fetcher_articles.c
        await self._session.execute(
            update(fetcher_articles)
            .where(c.article_id == article_id)
            .values(requested_at=at, retry_at=retry_at, attempts=c.attempts + 1)
        )

    async def mark_fetched(
        self,
        article_id: str,
        *,
        url: str,
        source_id: str,
        at: datetime,
        status: int | None,
        error: str | None = None,
        request_id: str | None = None,
    ) -> None:
        await upsert(
            self._session,
            fetcher_articles,
            {
                "article_id": article_id,
                "url": url,
                "source_id": source_id,
                "first_seen_at": at,
                "fetched_at": at,
                "fetched_by": request_id,
                "status": status,
                "error": error,
            },
            keys=["article_id"],
            update=["fetched_at", "fetched_by", "status", "error"],
        )


# Built once (every article's fetch reads it): building a statement costs more CPU than
# sending it.
_FINISHED_BY = select(fetcher_articles.c.fetched_at, fetcher_articles.c.fetched_by).where(
    fetcher_articles.c.article_id == bindparam("article_id")
)

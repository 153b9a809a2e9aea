"""In-memory fakes of the repository ports and the unit of work.

``FakeDatabase`` holds the committed rows of every service's tables. Each ``FakeUnitOfWork`` works
on a private copy of them: ``commit()`` publishes the copy, and leaving the ``async with`` block
without committing throws it away, just as ``SqlUnitOfWork`` rolls back. The repositories mirror
the SQL implementations' documented semantics (upserts, kept columns, ordering), so handler tests
can assert on stored state instead of on calls.
"""

import copy
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from devoured_core.errors import StaleLeader
from devoured_core.messages import ArticleExtracted, ArticleSummarized, Message
from devoured_core.model import EditionRecord, FeedState, Source, SourceSettings, Story
from devoured_infra.leader import LeaderTerm, LeaseRepository
from devoured_infra.repositories.extractor import ExtractionRepository
from devoured_infra.repositories.fetcher import (
    ArticleRequestRepository,
    DueRequest,
    DueSource,
    PollSchedule,
    SourceRepository,
    SourceStatus,
)
from devoured_infra.repositories.outbox import OutboxRepository
from devoured_infra.repositories.publisher import (
    DeliveryRepository,
    EditionRepository,
    StoryRepository,
)
from devoured_infra.repositories.summarizer import LlmLedgerRepository, SummaryRepository


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- rows ---------------------------------------------------------------------------------


@dataclass
class SourceRow:
    source: Source
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_count: int = 0
    settings: object = None  # as the JSON column holds it (SourceSettings.stored)
    next_poll_at: datetime | None = None
    poll_interval_s: float | None = None
    gone: bool = False


@dataclass
class ArticleRequestRow:
    article_id: str
    url: str
    source_id: str
    first_seen_at: datetime
    requested_at: datetime | None = None
    fetched_at: datetime | None = None
    fetched_by: str | None = None
    status: int | None = None
    error: str | None = None
    request: str | None = None
    retry_at: datetime | None = None
    attempts: int = 0


@dataclass
class ExtractionRow:
    article: ArticleExtracted
    fetched_article_id: str
    extracted_at: datetime
    version: datetime | None = None


@dataclass
class SummaryRow:
    summary: ArticleSummarized
    content_hash: str
    summarized_at: datetime
    version: datetime | None = None


@dataclass
class Tables:
    """Every table of every service, as plain dictionaries keyed by primary key."""

    sources: dict[str, SourceRow] = field(default_factory=dict)
    article_requests: dict[str, ArticleRequestRow] = field(default_factory=dict)
    extractions: dict[str, ExtractionRow] = field(default_factory=dict)
    summaries: dict[str, SummaryRow] = field(default_factory=dict)
    llm_answers: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    llm_budget: dict[str, int] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    story_versions: dict[str, datetime] = field(default_factory=dict)
    editions: dict[str, EditionRecord] = field(default_factory=dict)
    deliveries: dict[tuple[str, str, str], tuple[datetime | None, int, str | None]] = field(
        default_factory=dict
    )
    delivery_claims: dict[tuple[str, str, str], tuple[int, str]] = field(default_factory=dict)
    leases: dict[str, tuple[str, int]] = field(default_factory=dict)  # name: (holder, epoch)
    outbox: list[Message] = field(default_factory=list)


# --- fetcher ------------------------------------------------------------------------------


class FakeSourceRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.sources

    async def save_sources(self, sources: Iterable[Source]) -> None:
        for source in sources:
            row = self._rows.get(source.source_id)
            if row is None:
                self._rows[source.source_id] = SourceRow(source)
            else:
                row.source = source

    async def enabled_sources(self) -> list[Source]:
        return [row.source for _, row in sorted(self._rows.items()) if row.source.enabled]

    async def feed_state(self, source_id: str) -> FeedState:
        row = self._rows.get(source_id)
        if row is None:
            return FeedState()
        return FeedState(
            etag=row.etag,
            last_modified=row.last_modified,
            last_polled_at=row.last_polled_at,
            error_count=row.error_count,
        )

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
        row = self._rows.get(source_id)
        if row is None:  # like SQL UPDATE ... WHERE source_id = ?: nothing to update
            return
        row.last_polled_at, row.last_status, row.last_error = at, status, error
        if error is None:
            row.error_count = 0
            if status == 200:
                row.etag, row.last_modified = etag, last_modified
        else:
            row.error_count += 1
        if schedule is not None:
            row.next_poll_at, row.poll_interval_s = schedule.next_poll_at, schedule.interval_s
            row.gone = schedule.gone

    async def save_settings(self, source_id: str, settings: SourceSettings) -> None:
        if source_id in self._rows:
            self._rows[source_id].settings = settings.stored()

    async def settings_of(self, source_id: str) -> SourceSettings:
        row = self._rows.get(source_id)
        return SourceSettings.from_stored(row.settings if row else None)

    async def due_sources(self, now: datetime, *, limit: int = 500) -> list[DueSource]:
        due = [
            row
            for row in self._rows.values()
            if row.source.enabled and (row.next_poll_at is None or _utc(row.next_poll_at) <= now)
        ]
        due.sort(
            key=lambda r: (r.next_poll_at is not None, r.next_poll_at or now, r.source.source_id)
        )
        return [
            DueSource(r.source, r.next_poll_at, SourceSettings.from_stored(r.settings))
            for r in due[:limit]
        ]

    async def lease(self, source_id: str, until: datetime) -> None:
        if source_id in self._rows:
            self._rows[source_id].next_poll_at = until

    async def statuses(self) -> list[SourceStatus]:
        return [
            SourceStatus(
                r.source,
                SourceSettings.from_stored(r.settings),
                r.last_polled_at,
                r.last_status,
                r.last_error,
                r.error_count,
                r.next_poll_at,
                r.poll_interval_s,
                r.gone,
            )
            for _, r in sorted(self._rows.items())
        ]


class FakeArticleRequestRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.article_requests

    async def finished_by(self, article_id: str) -> str | None:
        row = self._rows.get(article_id)
        if row is None or row.fetched_at is None:
            return None
        return row.fetched_by or ""

    async def needing_request(
        self, article_ids: Iterable[str], *, now: datetime, rerequest_after: timedelta
    ) -> set[str]:
        cutoff = now - rerequest_after
        wanted = set()
        for article_id in article_ids:
            row = self._rows.get(article_id)
            if row is None:
                wanted.add(article_id)
                continue
            recent = row.requested_at is not None and _utc(row.requested_at) > cutoff
            if row.fetched_at is None and not recent:
                wanted.add(article_id)
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
        row = self._rows.setdefault(
            article_id, ArticleRequestRow(article_id, url, source_id, first_seen_at=at)
        )
        row.requested_at, row.request, row.retry_at = at, request, retry_at

    async def attempts_of(self, article_id: str) -> int:
        row = self._rows.get(article_id)
        return 0 if row is None else row.attempts

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
        row = self._rows.setdefault(
            article_id,
            ArticleRequestRow(article_id, url, source_id, first_seen_at=until, requested_at=until),
        )
        row.retry_at, row.error, row.request = until, error, request
        row.attempts += 1

    async def due_requests(self, now: datetime, *, limit: int) -> list[DueRequest]:
        due = [
            row
            for row in self._rows.values()
            if row.fetched_at is None
            and row.request is not None
            and row.retry_at is not None
            and _utc(row.retry_at) <= now
        ]
        due.sort(key=lambda row: _utc(row.retry_at or now))
        return [DueRequest(r.article_id, r.request or "", r.attempts) for r in due[:limit]]

    async def resent(self, article_id: str, *, at: datetime, retry_at: datetime) -> None:
        row = self._rows[article_id]
        row.requested_at, row.retry_at = at, retry_at
        row.attempts += 1

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
        row = self._rows.setdefault(
            article_id, ArticleRequestRow(article_id, url, source_id, first_seen_at=at)
        )
        row.fetched_at, row.fetched_by = at, request_id
        row.status, row.error = status, error


# --- extractor and summarizer -------------------------------------------------------------


class FakeExtractionRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.extractions

    async def save(
        self, article: ArticleExtracted, *, fetched_article_id: str, at: datetime, version: datetime
    ) -> bool:
        if not _not_older(version, self._rows.get(article.article_id)):
            return False
        self._rows[article.article_id] = ExtractionRow(article, fetched_article_id, at, version)
        return True


class FakeSummaryRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.summaries

    async def save(
        self, summary: ArticleSummarized, *, content_hash: str, at: datetime, version: datetime
    ) -> bool:
        if not _not_older(version, self._rows.get(summary.article_id)):
            return False
        self._rows[summary.article_id] = SummaryRow(summary, content_hash, at, version)
        return True


def _not_older(version: datetime, row: ExtractionRow | SummaryRow | None) -> bool:
    """The SQL upserts' version guard: a row is replaced only by a message not older than its
    own (or when it has no version, as rows written before the guard)."""
    return row is None or row.version is None or _utc(row.version) <= _utc(version)


class FakeLlmLedgerRepository:
    def __init__(self, tables: Tables) -> None:
        self._answers = tables.llm_answers
        self._budget = tables.llm_budget

    async def answer(self, key: str) -> str | None:
        found = self._answers.get(key)
        return found[0] if found else None

    async def remember(self, key: str, answer: str, *, at: datetime) -> None:
        self._answers[key] = (answer, at)

    async def forget_before(self, cutoff: datetime) -> int:
        old = [k for k, (_, at) in self._answers.items() if at < cutoff]
        for key in old:
            del self._answers[key]
        return len(old)

    async def reserve(self, day: str, tokens: int, *, limit: int) -> bool:
        spent = self._budget.get(day, 0)
        if spent + tokens > limit:
            return False
        self._budget[day] = spent + tokens
        return True

    async def adjust(self, day: str, tokens: int) -> None:
        self._budget[day] = self._budget.get(day, 0) + tokens

    async def spent(self, day: str) -> int:
        return self._budget.get(day, 0)


# --- publisher ----------------------------------------------------------------------------


class FakeStoryRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.stories
        self._versions = tables.story_versions
        self._editions = tables.editions

    async def save(self, story: Story, *, version: datetime) -> bool:
        """Upsert; a replayed story keeps its first edition and receive time, and an older one
        (by ``version``) changes nothing."""
        stored = self._versions.get(story.article_id)
        if stored is not None and _utc(stored) > _utc(version):
            return False
        self._versions[story.article_id] = version
        first = self._rows.get(story.article_id)
        if first is not None:
            story = story.model_copy(
                update={
                    "edition_date": first.edition_date,
                    "edition_id": first.edition_key,
                    "received_at": first.received_at,
                }
            )
        self._rows[story.article_id] = story.model_copy(update={"edition_id": story.edition_key})
        return True

    async def for_edition(self, edition_id: str) -> list[Story]:
        stories = [s for s in self._rows.values() if s.edition_key == edition_id]
        return sorted(stories, key=lambda s: (s.received_at, s.article_id))

    async def editions_needing_build(self) -> list[str]:
        by_edition: dict[str, list[Story]] = {}
        for story in self._rows.values():
            by_edition.setdefault(story.edition_key, []).append(story)
        needing = []
        for edition_id, stories in sorted(by_edition.items()):
            edition = self._editions.get(edition_id)
            received = max(_utc(s.received_at) for s in stories)
            if (
                edition is None
                or len(stories) != edition.story_count
                or received > _utc(edition.built_at)
            ):
                needing.append(edition_id)
        return needing

    async def get(self, article_id: str) -> Story | None:
        return self._rows.get(article_id)

    async def search(
        self, query: str | None, *, section: str | None = None, limit: int = 50
    ) -> list[Story]:
        words = (query or "").lower().split()
        found = [
            s
            for s in self._rows.values()
            if (section is None or s.section == section)
            and all(w in f"{s.title} {s.tldr} {s.text}".lower() for w in words)
        ]
        return sorted(found, key=lambda s: s.received_at, reverse=True)[:limit]


class FakeEditionRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.editions

    async def save(self, edition: EditionRecord) -> None:
        self._rows[edition.edition_id] = edition

    async def get(self, edition_id: str) -> EditionRecord | None:
        return self._rows.get(edition_id)

    async def latest(self) -> EditionRecord | None:
        return max(self._rows.values(), key=lambda e: e.edition_id, default=None)

    async def recent(self, limit: int = 30, before: str | None = None) -> list[EditionRecord]:
        older = [e for e in self._rows.values() if before is None or e.edition_id < before]
        return sorted(older, key=lambda e: e.edition_id, reverse=True)[:limit]


class FakeDeliveryRepository:
    def __init__(self, tables: Tables) -> None:
        self._rows = tables.deliveries
        self._claims = tables.delivery_claims

    async def delivered(self, edition_id: str, channel: str, target: str) -> bool:
        row = self._rows.get((edition_id, channel, target))
        return row is not None and row[0] is not None

    async def claim(
        self, edition_id: str, channel: str, target: str, *, epoch: int, by: str, at: datetime
    ) -> bool:
        key = (edition_id, channel, target)
        if await self.delivered(*key) or key in self._claims:
            return False
        self._claims[key] = (epoch, by)
        return True

    async def unclaim(
        self, edition_id: str, channel: str, target: str, *, epoch: int, by: str
    ) -> None:
        key = (edition_id, channel, target)
        if self._claims.get(key) == (epoch, by):
            del self._claims[key]

    async def record(
        self, edition_id: str, channel: str, target: str, *, at: datetime, error: str | None
    ) -> None:
        attempts = self._rows.get((edition_id, channel, target), (None, 0, None))[1]
        self._rows[(edition_id, channel, target)] = (None if error else at, attempts + 1, error)


class FakeLeaseRepository:
    """Fences against ``tables.leases``, which tests fill in (a ``LeaderLease`` needs SQL)."""

    def __init__(self, tables: Tables) -> None:
        self._leases = tables.leases

    async def fence(self, term: LeaderTerm) -> None:
        if self._leases.get(term.name) != (term.holder, term.epoch):
            raise StaleLeader(f"leader: {term.name} epoch {term.epoch} is no longer current")


# --- unit of work -------------------------------------------------------------------------


# --- outbox -------------------------------------------------------------------------------


class FakeOutboxRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    async def add(
        self,
        messages: Sequence[Message],
        *,
        topic: str | None = None,
        dedupe_key: str | None = None,
    ) -> None:
        self._tables.outbox.extend(messages)


class FakeOutboxRelay:
    """``OutboxRelay.flush`` over a ``FakeDatabase``: publishes committed outbox messages not
    sent yet, in order, calling ``before_publish`` first as the real relay does."""

    def __init__(
        self,
        database: "FakeDatabase",
        publisher: Any,
        before_publish: Callable[[Message], Awaitable[None]] | None = None,
    ) -> None:
        self._database = database
        self._publisher = publisher
        self._before_publish = before_publish
        self._sent = 0

    async def flush(self) -> int:
        pending = self._database.tables.outbox[self._sent :]
        for message in pending:
            if self._before_publish is not None:
                await self._before_publish(message)
            await self._publisher.publish([message])
            self._sent += 1
        return len(pending)


class FakeDatabase:
    """The committed state shared by every unit of work it hands out."""

    def __init__(self) -> None:
        self.tables = Tables()
        self.units: list[FakeUnitOfWork] = []

    def new_uow(self) -> "FakeUnitOfWork":
        """A ``UnitOfWorkFactory``: pass ``db.new_uow`` wherever a service wants one."""
        uow = FakeUnitOfWork(self)
        self.units.append(uow)
        return uow

    @property
    def commits(self) -> int:
        return sum(1 for uow in self.units if uow.committed)


class FakeUnitOfWork:
    """Implements ``devoured_infra.uow.UnitOfWork`` on a private copy of the database's tables."""

    sources: SourceRepository
    article_requests: ArticleRequestRepository
    extractions: ExtractionRepository
    summaries: SummaryRepository
    llm_ledger: LlmLedgerRepository
    stories: StoryRepository
    editions: EditionRepository
    deliveries: DeliveryRepository
    leases: LeaseRepository
    outbox: OutboxRepository

    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database or FakeDatabase()
        self.committed = False
        self.rolled_back = False

    async def __aenter__(self) -> Self:
        self._working = copy.deepcopy(self.database.tables)
        self.committed = False
        self.rolled_back = False
        self.sources = FakeSourceRepository(self._working)
        self.article_requests = FakeArticleRequestRepository(self._working)
        self.extractions = FakeExtractionRepository(self._working)
        self.summaries = FakeSummaryRepository(self._working)
        self.llm_ledger = FakeLlmLedgerRepository(self._working)
        self.stories = FakeStoryRepository(self._working)
        self.editions = FakeEditionRepository(self._working)
        self.deliveries = FakeDeliveryRepository(self._working)
        self.leases = FakeLeaseRepository(self._working)
        self.outbox = FakeOutboxRepository(self._working)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is lost: start over from the committed state.
        self._working = copy.deepcopy(self.database.tables)
        self.rolled_back = True

    async def commit(self) -> None:
        self.database.tables = copy.deepcopy(self._working)
        self.committed = True


# --- clock --------------------------------------------------------------------------------


class FakeClock:
    """A clock that only moves when told to; call it like ``datetime.now``."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


# --- transport ----------------------------------------------------------------------------


class RecordingPublisher:
    """A ``Publisher`` that remembers what it was asked to publish, and where."""

    def __init__(self) -> None:
        self.published: list[tuple[str, Message]] = []

    async def publish(self, messages: Sequence[Message], *, topic: str | None = None) -> None:
        self.published.extend((topic or m.TOPIC, m) for m in messages)

    def on(self, topic: str) -> list[Message]:
        return [m for t, m in self.published if t == topic]

"""The publisher's repositories: stories it received, editions it built, deliveries it made.

The only implementation of each: handlers reach them through ``PublisherUnitOfWork``, and
unit tests run them on SQLite (the ``database`` fixture).
"""

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    String,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from devoured_core.model import EditionRecord, Story
from devoured_infra.db import as_utc, as_version, upsert, utc_row
from devoured_publisher.editor import Classification
from devoured_publisher.features import (
    TextFeatures,
    decode_terms,
    encode_terms,
    signed,
    text_features,
    unsigned,
)
from devoured_publisher.tables import (
    publisher_deliveries,
    publisher_delivery_claims,
    publisher_editions,
    publisher_items,
)

edition_key: ColumnElement[str] = func.coalesce(
    publisher_items.c.edition_id, cast(publisher_items.c.edition_date, String(32))
)


class StoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(
        self,
        story: Story,
        *,
        version: datetime,
        note: Classification | None = None,
        features: TextFeatures | None = None,
    ) -> bool:
        """Insert a story, with the editor's ``note`` on it and its text's ``features``
        (computed here when not given); a replayed one keeps its first edition and receive
        time, and an older one (by ``version``, the ``occurred_at`` of its message) changes
        nothing: False when the stored row was kept."""
        features = features or text_features(story.text)
        values = story.model_dump(exclude={"text_words"})
        values |= {
            "text_simhash": signed(features.simhash),
            "text_words": features.words,
            "text_terms": encode_terms(features.terms),
        }
        if note is not None:
            values |= {
                "relevance": note.relevance,
                "section_confidence": note.confidence,
                "editor_reason": note.reason,
                "language": note.language,
            }
        values["decoder"] = [term.model_dump() for term in story.decoder]
        values["edition_id"] = story.edition_key
        values["message_occurred_at"] = as_version(version)
        kept = {"article_id", "edition_date", "edition_id", "received_at"}
        update = [k for k in values if k not in kept]
        return await upsert(
            self._session,
            publisher_items,
            values,
            keys=["article_id"],
            update=update,
            version="message_occurred_at",
        )

    async def for_edition(self, edition_id: str) -> list[Story]:
        rows = await self._session.execute(
            select(publisher_items)
            .where(edition_key == edition_id)
            .order_by(publisher_items.c.received_at, publisher_items.c.article_id)
        )
        records = [dict(row._mapping) for row in rows.all()]
        # Thousands of stories take long enough to validate to stall the event loop (the
        # website serves while the builder runs): a worker thread builds them.
        return await asyncio.to_thread(_stories, records)

    async def count_for_edition(self, edition_id: str) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(publisher_items).where(edition_key == edition_id)
        )
        return count or 0

    async def heads_for_edition(
        self, edition_id: str
    ) -> tuple[list[Story], dict[str, TextFeatures]]:
        """The edition's stories read without their texts and glossaries, and their texts'
        features (``assemble_edition``'s ``features``): what an edition build needs of every
        story; ``shown`` reads the ones it shows in full. A story stored without features
        (before 0015) is read with its text."""
        c = publisher_items.c
        featured = c.text_terms.is_not(None)
        rows = await self._session.execute(
            select(
                *(column for column in publisher_items.c if column.name not in _UNREAD),
                case((featured, literal("")), else_=c.text).label("text"),
                c.text_simhash,
                c.text_terms,
            )
            .where(edition_key == edition_id)
            .order_by(c.received_at, c.article_id)
        )
        records = [dict(row._mapping) for row in rows.all()]
        return await asyncio.to_thread(_heads, records)

    async def shown(self, article_ids: Sequence[str]) -> dict[str, Story]:
        """The stories ``article_ids`` in full, by article id."""
        found: dict[str, Story] = {}
        for start in range(0, len(article_ids), 500):  # bound the statement's parameters
            rows = await self._session.execute(
                select(publisher_items).where(
                    publisher_items.c.article_id.in_(list(article_ids[start : start + 500]))
                )
            )
            for row in rows:
                story = Story.model_validate(utc_row(dict(row._mapping)))
                found[story.article_id] = story
        return found

    async def notes_for_edition(self, edition_id: str) -> dict[str, Classification]:
        """The editor's notes on the edition's stories (stories stored before it have none)."""
        c = publisher_items.c
        rows = await self._session.execute(
            select(
                c.article_id,
                c.section,
                c.relevance,
                c.section_confidence,
                c.editor_reason,
                c.language,
            ).where(edition_key == edition_id, c.relevance.is_not(None))
        )
        return {
            article_id: Classification(
                relevance=relevance,
                section=section or "",
                confidence=confidence or 0.0,
                reason=reason or "",
                language=language,
            )
            for article_id, section, relevance, confidence, reason, language in rows
        }

    async def titles_before(self, edition_id: str, *, editions: int = 3) -> list[str]:
        """Headlines of the ``editions`` editions before ``edition_id`` (the editor's novelty
        check)."""
        key = edition_key.label("edition_id")
        earlier = (
            (
                await self._session.execute(
                    select(key)
                    .where(edition_key < edition_id)
                    .group_by(key)
                    .order_by(key.desc())
                    .limit(editions)
                )
            )
            .scalars()
            .all()
        )
        if not earlier:
            return []
        rows = await self._session.execute(
            select(publisher_items.c.title).where(edition_key.in_(list(earlier)))
        )
        return [title for (title,) in rows]

    async def editions_needing_build(self) -> list[str]:
        """Editions whose stories changed since they were last built: more stories than the
        edition holds, or stories received after it was built."""
        key = edition_key.label("edition_id")
        latest = (
            select(
                key,
                func.max(publisher_items.c.received_at).label("received"),
                func.count().label("stories"),
            )
            .group_by(key)
            .subquery()
        )
        editions = publisher_editions.c
        rows = await self._session.execute(
            select(
                latest.c.edition_id,
                latest.c.received,
                latest.c.stories,
                editions.built_at,
                editions.story_count,
            )
            .outerjoin(publisher_editions, editions.edition_id == latest.c.edition_id)
            .order_by(latest.c.edition_id)
        )
        return [
            edition_id
            for edition_id, received, stories, built, count in rows
            if built is None or stories != count or as_utc(received) > as_utc(built)
        ]

    async def get(self, article_id: str) -> Story | None:
        row = (
            await self._session.execute(
                select(publisher_items).where(publisher_items.c.article_id == article_id)
            )
        ).first()
        return Story.model_validate(utc_row(dict(row._mapping))) if row else None

    async def search(
        self, query: str | None, *, section: str | None = None, limit: int = 50
    ) -> list[Story]:
        """Stories matching ``query`` (PostgreSQL full-text search; word match on SQLite),
        best first, optionally in one ``section``."""
        statement = select(publisher_items)
        if section:
            statement = statement.where(publisher_items.c.section == section)
        if query and query.strip():
            statement = self._matching(statement, query.strip())
        else:
            statement = statement.order_by(publisher_items.c.received_at.desc())
        rows = await self._session.execute(statement.limit(limit))
        return [Story.model_validate(utc_row(dict(row._mapping))) for row in rows]

    def _matching(self, statement: Select[Any], query: str) -> Select[Any]:
        c = publisher_items.c
        if self._session.get_bind().dialect.name == "postgresql":
            document: ColumnElement[Any] = literal_column(
                "to_tsvector('english', coalesce(publisher_items.title, '') || ' ' || "
                "coalesce(publisher_items.tldr, '') || ' ' || coalesce(publisher_items.text, ''))"
            )
            tsquery = func.websearch_to_tsquery("english", query)
            return statement.where(document.op("@@")(tsquery)).order_by(
                func.ts_rank(document, tsquery).desc(), c.received_at.desc()
            )
        for word in query.split()[:8]:
            pattern = f"%{word}%"
            statement = statement.where(
                or_(c.title.ilike(pattern), c.tldr.ilike(pattern), c.text.ilike(pattern))
            )
        return statement.order_by(c.received_at.desc())


class EditionPages(NamedTuple):
    """An edition's website page and API body, rendered by its build."""

    web_html: str
    api_json: str


# An edition's record without its pages, which only the website reads, one at a time.
_RECORD_COLUMNS = [c for c in publisher_editions.c if c.name not in ("web_html", "api_json")]


class EditionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, edition: EditionRecord, pages: EditionPages | None = None) -> None:
        """Store ``edition``, with the ``pages`` its build rendered for the website (None
        leaves none: the site then assembles the edition per request)."""
        values = edition.model_dump() | {
            "web_html": pages.web_html if pages else None,
            "api_json": pages.api_json if pages else None,
        }
        await upsert(self._session, publisher_editions, values, keys=["edition_id"])

    async def get(self, edition_id: str) -> EditionRecord | None:
        row = (
            await self._session.execute(
                select(*_RECORD_COLUMNS).where(publisher_editions.c.edition_id == edition_id)
            )
        ).first()
        return EditionRecord.model_validate(utc_row(dict(row._mapping))) if row else None

    async def pages(self, edition_id: str) -> EditionPages | None:
        """The pages stored with edition ``edition_id``; None when there is no such edition or
        it was stored without them (built before 0016)."""
        e = publisher_editions.c
        row = (
            await self._session.execute(
                select(e.web_html, e.api_json).where(e.edition_id == edition_id)
            )
        ).first()
        if row is None or row.web_html is None or row.api_json is None:
            return None
        return EditionPages(web_html=row.web_html, api_json=row.api_json)

    async def latest(self) -> EditionRecord | None:
        editions = await self.recent(1)
        return editions[0] if editions else None

    async def recent(self, limit: int = 30, before: str | None = None) -> list[EditionRecord]:
        """The newest ``limit`` editions, or those older than edition ``before`` (one page)."""
        query = select(*_RECORD_COLUMNS)
        if before is not None:
            query = query.where(publisher_editions.c.edition_id < before)
        rows = await self._session.execute(
            query.order_by(publisher_editions.c.edition_id.desc()).limit(limit)
        )
        return [EditionRecord.model_validate(utc_row(dict(row._mapping))) for row in rows]


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def delivered(self, edition_id: str, channel: str, target: str) -> bool:
        d = publisher_deliveries.c
        row = (
            await self._session.execute(
                select(d.delivered_at).where(
                    d.edition_id == edition_id, d.channel == channel, d.target == target
                )
            )
        ).first()
        return row is not None and row[0] is not None

    async def claim(
        self, edition_id: str, channel: str, target: str, *, epoch: int, by: str, at: datetime
    ) -> bool:
        """Claim the next attempt before sending; False when the target already has the
        edition or an attempt is claimed (in flight, or its sender died: never sent again)."""
        if await self.delivered(edition_id, channel, target):
            return False
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        c = publisher_delivery_claims.c
        statement = (
            insert(publisher_delivery_claims)
            .values(
                edition_id=edition_id,
                channel=channel,
                target=target,
                epoch=epoch,
                claimed_by=by,
                claimed_at=at,
            )
            .on_conflict_do_nothing(index_elements=[c.edition_id, c.channel, c.target])
            .returning(c.epoch)
        )
        return (await self._session.execute(statement)).first() is not None

    async def unclaim(
        self, edition_id: str, channel: str, target: str, *, epoch: int, by: str
    ) -> None:
        """Drop the claim of an attempt that failed, so a later round tries again."""
        c = publisher_delivery_claims.c
        await self._session.execute(
            delete(publisher_delivery_claims).where(
                c.edition_id == edition_id,
                c.channel == channel,
                c.target == target,
                c.epoch == epoch,
                c.claimed_by == by,
            )
        )

    async def record(
        self, edition_id: str, channel: str, target: str, *, at: datetime, error: str | None
    ) -> None:
        d = publisher_deliveries.c
        await upsert(
            self._session,
            publisher_deliveries,
            {
                "edition_id": edition_id,
                "channel": channel,
                "target": target,
                "delivered_at": None if error else at,
                "attempts": 0,
                "error": error,
            },
            keys=["edition_id", "channel", "target"],
            update=["delivered_at", "error"],
        )
        await self._session.execute(
            update(publisher_deliveries)
            .where(d.edition_id == edition_id, d.channel == channel, d.target == target)
            .values(attempts=d.attempts + 1)
        )


def _stories(records: list[dict[str, Any]]) -> list[Story]:
    return [Story.model_validate(utc_row(record)) for record in records]


# What an edition build does not read of every story (``heads_for_edition``).
_UNREAD = {"text", "decoder", "text_simhash", "text_terms"}


def _heads(records: list[dict[str, Any]]) -> tuple[list[Story], dict[str, TextFeatures]]:
    stories, features = [], {}
    for record in records:
        simhash, terms = record.pop("text_simhash"), record.pop("text_terms")
        story = Story.model_validate(utc_row(record | {"decoder": []}))
        stories.append(story)
        if terms is not None:
            features[story.article_id] = TextFeatures(
                simhash=unsigned(simhash), words=record["text_words"], terms=decode_terms(terms)
            )
    return stories, features

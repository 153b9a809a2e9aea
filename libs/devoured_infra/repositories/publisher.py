"""The publisher's store: the stories it has received and the editions it has built."""

from datetime import date
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_core.model import EditionRecord, Story
from devoured_infra.db import as_utc, upsert, utc_row
from devoured_infra.tables import publisher_editions, publisher_items


class StoryRepository(Protocol):
    async def save(self, story: Story) -> None: ...
    async def for_edition(self, edition_date: date) -> list[Story]: ...
    async def dates_needing_build(self) -> list[date]: ...


class EditionRepository(Protocol):
    async def save(self, edition: EditionRecord) -> None: ...
    async def get(self, edition_id: str) -> EditionRecord | None: ...
    async def latest(self) -> EditionRecord | None: ...


class SqlStoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, story: Story) -> None:
        """Insert a story; a replayed one keeps its first edition date and receive time."""
        values = story.model_dump()
        values["decoder"] = [term.model_dump() for term in story.decoder]
        update = [k for k in values if k not in {"article_id", "edition_date", "received_at"}]
        await upsert(self._session, publisher_items, values, keys=["article_id"], update=update)

    async def for_edition(self, edition_date: date) -> list[Story]:
        rows = await self._session.execute(
            select(publisher_items)
            .where(publisher_items.c.edition_date == edition_date)
            .order_by(publisher_items.c.received_at, publisher_items.c.article_id)
        )
        return [Story.model_validate(utc_row(dict(row._mapping))) for row in rows]

    async def dates_needing_build(self) -> list[date]:
        """Edition dates whose stories changed since the edition was last built: more stories
        than it holds, or stories received after it was built."""
        items, editions = publisher_items.c, publisher_editions.c
        latest = (
            select(
                items.edition_date,
                func.max(items.received_at).label("received"),
                func.count().label("stories"),
            )
            .group_by(items.edition_date)
            .subquery()
        )
        rows = await self._session.execute(
            select(
                latest.c.edition_date,
                latest.c.received,
                latest.c.stories,
                editions.built_at,
                editions.item_count,
            )
            .outerjoin(publisher_editions, editions.edition_date == latest.c.edition_date)
            .order_by(latest.c.edition_date)
        )
        return [
            day
            for day, received, stories, built, count in rows
            if built is None or stories != count or as_utc(received) > as_utc(built)
        ]


class SqlEditionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, edition: EditionRecord) -> None:
        await upsert(self._session, publisher_editions, edition.model_dump(), keys=["edition_id"])

    async def get(self, edition_id: str) -> EditionRecord | None:
        row = (
            await self._session.execute(
                select(publisher_editions).where(publisher_editions.c.edition_id == edition_id)
            )
        ).first()
        return EditionRecord.model_validate(utc_row(dict(row._mapping))) if row else None

    async def latest(self) -> EditionRecord | None:
        row = (
            await self._session.execute(
                select(publisher_editions)
                .order_by(publisher_editions.c.edition_date.desc())
                .limit(1)
            )
        ).first()
        return EditionRecord.model_validate(utc_row(dict(row._mapping))) if row else None

"""The tagger's table, its repository and its unit of work."""

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.ext.asyncio import AsyncSession

from devoured_infra.uow import UnitOfWorkBase

metadata = MetaData()

tagger_tags = Table(
    "tagger_tags",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("tags", JSON, nullable=False),
    Column("tagged_at", DateTime(timezone=True), nullable=False),
)


class TagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, article_id: str, tags: list[str], *, at: datetime) -> None:
        """Store (or replace) an article's tags; a replayed message writes the same row."""
        statement = insert(tagger_tags).values(article_id=article_id, tags=tags, tagged_at=at)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["article_id"], set_={"tags": tags, "tagged_at": at}
            )
        )

    async def all(self) -> dict[str, list[str]]:
        rows = await self._session.execute(select(tagger_tags.c.article_id, tagger_tags.c.tags))
        return {article_id: tags for article_id, tags in rows.all()}


class TaggerUnitOfWork(UnitOfWorkBase):
    tags: TagRepository

    def bind(self, session: AsyncSession) -> None:
        self.tags = TagRepository(session)

"""The extractor's tables, on its own metadata (``SERVICE.tables``); its migrations create them."""

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

extractor_articles = Table(
    "extractor_articles",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("fetched_article_id", String(64), nullable=False),
    Column("canonical_url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("author", Text),
    Column("published_at", DateTime(timezone=True)),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("reading_minutes", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
    # 0009_version_guard: occurred_at of the message the row was written from; an older
    # message never overwrites it (devoured_infra.db.upsert's ``version``). NULL before 0009.
    Column("message_occurred_at", DateTime(timezone=True)),
)

"""The fetcher's tables: sources with their polling state, and the articles it has requested.

Copied verbatim from the shared schema: the fetcher's migrations (``migrations/``) create
exactly these, and tests/integration/test_migrations*.py keep the two equal."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

fetcher_sources = Table(
    "fetcher_sources",
    metadata,
    Column("source_id", String(200), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("section", String(200)),
    Column("weight", Float, nullable=False, default=1.0),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, default=0),
    # 0002_fetcher: per-source settings and adaptive scheduling state
    Column("settings", JSON),
    Column("next_poll_at", DateTime(timezone=True), index=True),
    Column("poll_interval_s", Float),
    Column("last_success_at", DateTime(timezone=True)),
    Column("gone", Boolean, nullable=False, default=False, server_default=false()),
)

fetcher_articles = Table(
    "fetcher_articles",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("requested_at", DateTime(timezone=True)),
    Column("fetched_at", DateTime(timezone=True)),
    Column("fetched_by", String(64)),
    Column("status", Integer),
    Column("error", Text),
    # 0010_fetcher_retry: the request as sent, so that the scheduler can send it again when it
    # was lost or deferred (a site's 5xx, Retry-After, robots.txt unavailable), and when.
    Column("request", Text),
    Column("retry_at", DateTime(timezone=True), index=True),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
)

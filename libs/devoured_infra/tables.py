"""Database tables. Each service owns the tables named after it and never writes another's."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData()

# fetcher
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

# extractor
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

# summarizer
summarizer_summaries = Table(
    "summarizer_summaries",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("tldr", Text, nullable=False),
    Column("deep_dive", JSON, nullable=False),
    Column("decoder", JSON, nullable=False),
    Column("backend", String(100), nullable=False),
    Column("summarized_at", DateTime(timezone=True), nullable=False),
    Column("message_occurred_at", DateTime(timezone=True)),  # 0009, as in extractor_articles
)

# The LLM backend's answers and token spend live in the database, so a replay costs nothing
# after a restart or on another replica, and the daily budget holds for all replicas together.
summarizer_llm_answers = Table(
    "summarizer_llm_answers",
    metadata,
    Column("cache_key", Text, primary_key=True),
    Column("answer", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

summarizer_llm_budget = Table(
    "summarizer_llm_budget",
    metadata,
    Column("day", String(10), primary_key=True),  # UTC day, YYYY-MM-DD
    Column("tokens", BigInteger, nullable=False),
)

# publisher
publisher_items = Table(
    "publisher_items",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("edition_date", Date, nullable=False, index=True),
    Column("edition_id", String(32), index=True),
    Column("section", String(200)),
    Column("title", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("source_name", String(500), nullable=False),
    Column("source_weight", Float, nullable=False),
    Column("reading_minutes", Integer, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("tldr", Text, nullable=False),
    Column("deep_dive", JSON, nullable=False),
    Column("decoder", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("message_occurred_at", DateTime(timezone=True)),  # 0009, as in extractor_articles
)

publisher_editions = Table(
    "publisher_editions",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("edition_date", Date, nullable=False),
    Column("title", Text, nullable=False),
    Column("overview", Text, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("story_count", Integer, nullable=False, server_default="0"),
    Column("markdown", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False),
)

publisher_deliveries = Table(
    "publisher_deliveries",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("target", String(500), primary_key=True),
    Column("delivered_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
)

# 0008_leader_lease: a delivery attempt is claimed (under the edition builder's lease epoch)
# before it is sent, so a target is never sent the same edition twice. A failed attempt drops
# its claim; a claim with no recorded outcome (the sender died mid-send) is never sent again.
publisher_delivery_claims = Table(
    "publisher_delivery_claims",
    metadata,
    Column("edition_id", String(32), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("target", String(500), primary_key=True),
    Column("epoch", BigInteger, nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)

# Every service's outgoing messages, written in the same transaction as the state they
# describe and published by that service's relay (devoured_infra.outbox) after the commit, so a
# crash between the commit and the publish never loses a message: the relay sends what is unsent.
outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("service", String(50), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("message_type", String(100), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("message_key", LargeBinary),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    # 0012_outbox_dedupe: a message that must be queued once however often its cause is
    # handled (a dead letter of a record delivered again) carries a key; NULLs never collide.
    Column("dedupe_key", String(300)),
    UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    Index(
        "ix_outbox_unsent",
        "service",
        "id",
        postgresql_where=text("sent_at IS NULL"),
        sqlite_where=text("sent_at IS NULL"),
    ),
)

# Leader leases of the singleton jobs (devoured_infra.leader): one row per job; ``epoch`` goes
# up whenever the holder changes and fences a former leader's late writes.
leader_leases = Table(
    "leader_leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("epoch", BigInteger, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

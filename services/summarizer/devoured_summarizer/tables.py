"""The summarizer's tables, on its own metadata (``SERVICE.tables``).

Its migrations (``migrations/``) create exactly these; tests/integration/test_migrations*.py
keep the two equal.
"""

from sqlalchemy import JSON, BigInteger, Column, DateTime, MetaData, String, Table, Text

metadata = MetaData()

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
    # 0009_summarizer_version_guard: occurred_at of the message the row was written from; an
    # older message never overwrites it (devoured_infra.db.upsert's ``version``). NULL before.
    Column("message_occurred_at", DateTime(timezone=True)),
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

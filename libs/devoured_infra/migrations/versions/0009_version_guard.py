"""extractor, summarizer, publisher: the time of the message each row was written from

A redelivered or replayed older message must not overwrite a row written from a newer one, so
each upserted row keeps its message's ``occurred_at``. Nullable: rows written before this
revision have none, and any message may update them.

Revision ID: 0009_version_guard
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_version_guard"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("extractor_articles", "summarizer_summaries", "publisher_items")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("message_occurred_at", sa.DateTime(timezone=True), nullable=True)
            )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("message_occurred_at")

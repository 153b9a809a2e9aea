"""extractor: the time of the message each article was written from

A redelivered or replayed older message must not overwrite a row written from a newer one, so
each upserted row keeps its message's ``occurred_at``. Nullable: rows written before this
revision have none, and any message may update them.

Split out of ``0009_version_guard``, which now depends on this revision: a database that
recorded that one has this column, and Alembic counts this revision as applied.

Revision ID: 0009_extractor_version_guard
Revises: 0001_extractor_tables
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_extractor_version_guard"
down_revision = "0001_extractor_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("extractor_articles") as batch:
        batch.add_column(
            sa.Column("message_occurred_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("extractor_articles") as batch:
        batch.drop_column("message_occurred_at")

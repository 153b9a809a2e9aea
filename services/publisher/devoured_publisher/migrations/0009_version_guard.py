"""publisher: the time of the message each story was written from

A redelivered or replayed older message must not overwrite a row written from a newer one, so
each upserted row keeps its message's ``occurred_at``. Nullable: rows written before this
revision have none, and any message may update them.

Before the migrations were split by owner this revision added the column to the extractor's and
the summarizer's tables too; those parts are now their own revisions on their branches. A
database migrated before the split records this id and not theirs, so this revision keeps the
id and ``depends_on`` both: Alembic counts the dependencies of a recorded revision as applied
and does not run them again. It follows ``0008_publisher_claims`` for the same reason (that
table came with this release). It must not descend from ``0003_publisher``,
``0005_summarizer_llm`` or ``0008_leader_lease``: a database migrated before the split records
them next to this one, and Alembic refuses recorded revisions that descend from one another.

Revision ID: 0009_version_guard
Revises: 0008_publisher_claims
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_version_guard"
down_revision = "0008_publisher_claims"
branch_labels = None
depends_on = ("0009_extractor_version_guard", "0009_summarizer_version_guard")


def upgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.add_column(
            sa.Column("message_occurred_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.drop_column("message_occurred_at")

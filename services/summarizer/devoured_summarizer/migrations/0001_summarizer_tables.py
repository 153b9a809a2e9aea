"""summarizer: its first table, the summaries

Made by the shared root revision ``0001`` before the migrations were split by owner. A database
migrated since ``0005_summarizer_llm`` records this revision as applied through it; one migrated
before already has the table, so a table present is left as it is.

Revision ID: 0001_summarizer_tables
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_summarizer_tables"
down_revision = "0001"
branch_labels = ("summarizer",)
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("summarizer_summaries"):
        return
    op.create_table(
        "summarizer_summaries",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("tldr", sa.Text(), nullable=False),
        sa.Column("deep_dive", sa.JSON(), nullable=False),
        sa.Column("decoder", sa.JSON(), nullable=False),
        sa.Column("backend", sa.String(length=100), nullable=False),
        sa.Column("summarized_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("summarizer_summaries")

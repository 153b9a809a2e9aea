"""extractor: its first table, the extracted articles

Made by the shared root revision ``0001`` before the migrations were split by owner. A database
migrated since ``0009_version_guard`` records this revision as applied through it (it depends on
this branch); one migrated before already has the table, so a table present is left as it is.

Revision ID: 0001_extractor_tables
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_extractor_tables"
down_revision = "0001"
branch_labels = ("extractor",)
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("extractor_articles"):
        return
    op.create_table(
        "extractor_articles",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("fetched_article_id", sa.String(length=64), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("reading_minutes", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("extractor_articles")

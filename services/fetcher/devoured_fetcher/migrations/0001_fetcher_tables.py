"""fetcher: its first tables, the sources and the articles found in them

Made by the shared root revision ``0001`` before the migrations were split by owner. A database
migrated since ``0002_fetcher`` records this revision as applied through it; one migrated
before (only the root) already has the tables, so the tables present are left as they are.

Revision ID: 0001_fetcher_tables
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_fetcher_tables"
down_revision = "0001"
branch_labels = ("fetcher",)
depends_on = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "fetcher_articles" not in present:
        op.create_table(
            "fetcher_articles",
            sa.Column("article_id", sa.String(length=64), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("source_id", sa.String(length=200), nullable=False),
            sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("status", sa.Integer(), nullable=True),
            sa.Column("error", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("article_id"),
        )
    if "fetcher_sources" not in present:
        op.create_table(
            "fetcher_sources",
            sa.Column("source_id", sa.String(length=200), nullable=False),
            sa.Column("name", sa.String(length=500), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("kind", sa.String(length=20), nullable=False),
            sa.Column("section", sa.String(length=200), nullable=True),
            sa.Column("weight", sa.Float(), nullable=False),
            sa.Column("enabled", sa.Boolean(), nullable=False),
            sa.Column("etag", sa.Text(), nullable=True),
            sa.Column("last_modified", sa.Text(), nullable=True),
            sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_status", sa.Integer(), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=True),
            sa.Column("error_count", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("source_id"),
        )


def downgrade() -> None:
    op.drop_table("fetcher_sources")
    op.drop_table("fetcher_articles")

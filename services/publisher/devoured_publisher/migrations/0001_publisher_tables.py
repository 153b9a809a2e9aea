"""publisher: its first tables, the editions and the stories in them

Made by the shared root revision ``0001`` before the migrations were split by owner. A database
migrated since ``0003_publisher`` records this revision as applied through it; one migrated
before (only the root) already has the tables, so the tables present are left as they are.

Revision ID: 0001_publisher_tables
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_publisher_tables"
down_revision = "0001"
branch_labels = ("publisher",)
depends_on = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "publisher_editions" not in present:
        op.create_table(
            "publisher_editions",
            sa.Column("edition_id", sa.String(length=32), nullable=False),
            sa.Column("edition_date", sa.Date(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("overview", sa.Text(), nullable=False),
            sa.Column("item_count", sa.Integer(), nullable=False),
            sa.Column("markdown", sa.Text(), nullable=False),
            sa.Column("html", sa.Text(), nullable=False),
            sa.Column("content_hash", sa.String(length=64), nullable=False),
            sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("edition_id"),
        )
    if "publisher_items" not in present:
        op.create_table(
            "publisher_items",
            sa.Column("article_id", sa.String(length=64), nullable=False),
            sa.Column("edition_date", sa.Date(), nullable=False),
            sa.Column("section", sa.String(length=200), nullable=True),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("source_name", sa.String(length=500), nullable=False),
            sa.Column("source_weight", sa.Float(), nullable=False),
            sa.Column("reading_minutes", sa.Integer(), nullable=False),
            sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("tldr", sa.Text(), nullable=False),
            sa.Column("deep_dive", sa.JSON(), nullable=False),
            sa.Column("decoder", sa.JSON(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("article_id"),
        )
        op.create_index(
            "ix_publisher_items_edition_date", "publisher_items", ["edition_date"], unique=False
        )


def downgrade() -> None:
    op.drop_index("ix_publisher_items_edition_date", table_name="publisher_items")
    op.drop_table("publisher_items")
    op.drop_table("publisher_editions")

"""publisher: edition ids on stories, full-text search index, deliveries

Revision ID: 0003_publisher
Revises: 0001_publisher_tables
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_publisher"
down_revision = "0001_publisher_tables"
branch_labels = None
depends_on = None

_SEARCH_DOCUMENT = (
    "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(tldr, '') || ' ' || "
    "coalesce(text, ''))"
)


def upgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.add_column(sa.Column("edition_id", sa.String(length=32), nullable=True))
        batch.create_index("ix_publisher_items_edition_id", ["edition_id"])
    op.execute("UPDATE publisher_items SET edition_id = CAST(edition_date AS VARCHAR(32))")
    with op.batch_alter_table("publisher_editions") as batch:
        batch.add_column(sa.Column("story_count", sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX ix_publisher_items_search ON publisher_items USING GIN "
            f"({_SEARCH_DOCUMENT})"
        )
    op.create_table(
        "publisher_deliveries",
        sa.Column("edition_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("edition_id", "channel", "target"),
    )


def downgrade() -> None:
    op.drop_table("publisher_deliveries")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_publisher_items_search")
    with op.batch_alter_table("publisher_editions") as batch:
        batch.drop_column("story_count")
    with op.batch_alter_table("publisher_items") as batch:
        batch.drop_index("ix_publisher_items_edition_id")
        batch.drop_column("edition_id")

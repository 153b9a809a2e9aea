"""fetcher: per-source settings, adaptive scheduling state, gone flag

Revision ID: 0002_fetcher
Revises: 0001_fetcher_tables
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_fetcher"
down_revision = "0001_fetcher_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fetcher_sources") as batch:
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("poll_interval_s", sa.Float(), nullable=True))
        batch.add_column(sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("gone", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        "ix_fetcher_sources_next_poll_at", "fetcher_sources", ["next_poll_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_fetcher_sources_next_poll_at", table_name="fetcher_sources")
    with op.batch_alter_table("fetcher_sources") as batch:
        for column in ("gone", "last_success_at", "poll_interval_s", "next_poll_at", "settings"):
            batch.drop_column(column)

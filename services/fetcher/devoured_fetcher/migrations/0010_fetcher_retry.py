"""fetcher: keep each article request, to re-send it when lost or deferred

Revision ID: 0010_fetcher_retry
Revises: 0006_fetcher_request
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_fetcher_retry"
down_revision = "0006_fetcher_request"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fetcher_articles") as batch:
        batch.add_column(sa.Column("request", sa.Text(), nullable=True))
        batch.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_fetcher_articles_retry_at", "fetcher_articles", ["retry_at"])


def downgrade() -> None:
    op.drop_index("ix_fetcher_articles_retry_at", table_name="fetcher_articles")
    with op.batch_alter_table("fetcher_articles") as batch:
        batch.drop_column("attempts")
        batch.drop_column("retry_at")
        batch.drop_column("request")

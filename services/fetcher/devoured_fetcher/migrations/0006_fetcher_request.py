"""fetcher: remember which request finished each article

Revision ID: 0006_fetcher_request
Revises: 0002_fetcher
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_fetcher_request"
down_revision = "0002_fetcher"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fetcher_articles") as batch:
        batch.add_column(sa.Column("fetched_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fetcher_articles") as batch:
        batch.drop_column("fetched_by")

"""every service: a dead letter is queued once, however often its record is delivered

Revision ID: 0012_outbox_dedupe
Revises: 0007_outbox
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_outbox_dedupe"
down_revision = "0007_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("dedupe_key", sa.String(length=300), nullable=True))
        batch.create_unique_constraint("uq_outbox_dedupe_key", ["dedupe_key"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_dedupe_key", type_="unique")
        batch.drop_column("dedupe_key")

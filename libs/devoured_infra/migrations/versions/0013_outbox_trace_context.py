"""every service: an outbox row keeps the trace context of the span that queued it

Revision ID: 0013_outbox_trace_context
Revises: 0012_outbox_dedupe
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_outbox_trace_context"
down_revision = "0012_outbox_dedupe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("trace_context", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("trace_context")

"""leader leases with fencing epochs

Before the migrations were split by owner this revision also created a service's table (the
claims its leader takes). That table now comes from the service's own revision: a database
that recorded this revision before the split also recorded a later one of that service which
descends from it, so Alembic counts the table's revision as applied and does not make it twice.

Revision ID: 0008_leader_lease
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_leader_lease"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leader_leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("leader_leases")

"""publisher: the claims a delivery takes under its leader's fencing epoch

Created by the shared ``0008_leader_lease`` before the migrations were split by owner. Every
database that recorded that revision also recorded ``0009_version_guard`` (both came in one
release), which descends from this one, so Alembic counts this revision as applied there. It
depends on neither ``0008_leader_lease`` nor ``0003_publisher``: such a database records those
next to ``0009_version_guard``, and Alembic refuses recorded revisions that descend from one
another.

Revision ID: 0008_publisher_claims
Revises: 0001_publisher_tables
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_publisher_claims"
down_revision = "0001_publisher_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publisher_delivery_claims",
        sa.Column("edition_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("edition_id", "channel", "target"),
    )


def downgrade() -> None:
    op.drop_table("publisher_delivery_claims")

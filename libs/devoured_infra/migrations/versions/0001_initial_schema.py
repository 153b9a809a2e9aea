"""the root every branch starts from

The shared library's revisions and each service's own branch all descend from this one. It
creates nothing: the tables it made before the migrations were split by owner are now made by
each owner's first revision, which a database migrated before the split records as applied.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 03:09:28.993439
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

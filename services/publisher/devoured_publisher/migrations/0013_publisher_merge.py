"""publisher: one head for the branch

Joins ``0009_version_guard`` and ``0011_redacted_targets``, which stay apart because a database
migrated before the migrations were split by owner records both. Changes nothing, so it runs
harmlessly on any database; new publisher revisions follow it (``publisher@head``).

Revision ID: 0013_publisher_merge
Revises: 0009_version_guard, 0011_redacted_targets
Create Date: 2026-11-30
"""

revision = "0013_publisher_merge"
down_revision = ("0009_version_guard", "0011_redacted_targets")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

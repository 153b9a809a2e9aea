"""summarizer: one head for the branch

Joins ``0005_summarizer_llm`` and ``0009_summarizer_version_guard``, which stay apart so that a
database migrated before the migrations were split by owner (it records ``0005_summarizer_llm``
and ``0009_version_guard``) stays valid. Changes nothing, so it runs harmlessly on any database;
new summarizer revisions follow it (``summarizer@head``).

Revision ID: 0013_summarizer_merge
Revises: 0005_summarizer_llm, 0009_summarizer_version_guard
Create Date: 2026-11-30
"""

revision = "0013_summarizer_merge"
down_revision = ("0005_summarizer_llm", "0009_summarizer_version_guard")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

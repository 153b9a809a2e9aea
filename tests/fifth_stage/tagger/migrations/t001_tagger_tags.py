"""tagger: the tags of each article

Revision ID: t001_tagger_tags
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "t001_tagger_tags"
down_revision = "0001"
branch_labels = ("tagger",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tagger_tags",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("tagger_tags")

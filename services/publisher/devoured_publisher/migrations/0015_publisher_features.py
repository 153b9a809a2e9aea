"""publisher: each story's text features

The SimHash, word count and term counts of a story's text, computed when it arrives, so an
edition build reads them instead of every story's text (``features.TextFeatures``). All
nullable: stories stored before this revision have none, and a build reads their texts.

Revision ID: 0015_publisher_features
Revises: 0014_publisher_editor
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_publisher_features"
down_revision = "0014_publisher_editor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.add_column(sa.Column("text_simhash", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("text_words", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("text_terms", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.drop_column("text_terms")
        batch.drop_column("text_words")
        batch.drop_column("text_simhash")

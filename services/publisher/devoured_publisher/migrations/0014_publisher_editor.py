"""publisher: the editor's notes on each story

What the editor made of a story when it arrived: its relevance to the edition's scope, the
confidence of its section, why it went there, and the language the extractor found. All
nullable: stories stored before this revision have none and keep their stored section.

Revision ID: 0014_publisher_editor
Revises: 0013_publisher_merge
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_publisher_editor"
down_revision = "0013_publisher_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.add_column(sa.Column("relevance", sa.Float(), nullable=True))
        batch.add_column(sa.Column("section_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("editor_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publisher_items") as batch:
        batch.drop_column("language")
        batch.drop_column("editor_reason")
        batch.drop_column("section_confidence")
        batch.drop_column("relevance")

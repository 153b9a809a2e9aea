"""summarizer: LLM answer cache and daily token spend, shared by every replica

Revision ID: 0005_summarizer_llm
Revises: 0001_summarizer_tables
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_summarizer_llm"
down_revision = "0001_summarizer_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summarizer_llm_answers",
        sa.Column("cache_key", sa.Text(), primary_key=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_summarizer_llm_answers_created_at", "summarizer_llm_answers", ["created_at"]
    )
    op.create_table(
        "summarizer_llm_budget",
        sa.Column("day", sa.String(length=10), primary_key=True),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("summarizer_llm_budget")
    op.drop_index("ix_summarizer_llm_answers_created_at", table_name="summarizer_llm_answers")
    op.drop_table("summarizer_llm_answers")

"""extractor: each article's text compressed with lz4 on PostgreSQL

PostgreSQL compresses large values (TOAST) with pglz by default; lz4 costs it about a third of
that CPU for nearly the same size, and every article's text is written here. Only values
written from now on change; servers without lz4 (before 14, or built without it) and SQLite are
left as they are.

Revision ID: 0017_extractor_lz4
Revises: 0009_extractor_version_guard
Create Date: 2026-12-01
"""

from devoured_infra.migrate import toast_compression

revision = "0017_extractor_lz4"
down_revision = "0009_extractor_version_guard"
branch_labels = None
depends_on = None

EXTRACTOR_ARTICLES = ("text",)


def upgrade() -> None:
    toast_compression("extractor_articles", EXTRACTOR_ARTICLES, "lz4")


def downgrade() -> None:
    toast_compression("extractor_articles", EXTRACTOR_ARTICLES, "default")

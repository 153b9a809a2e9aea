"""publisher: stories' texts and editions' renderings compressed with lz4 on PostgreSQL

PostgreSQL compresses large values (TOAST) with pglz by default; lz4 costs it about a third of
that CPU for nearly the same size, and every story's text is written here, every edition's
renderings at each build. Only values written from now on change; servers without lz4 (before
14, or built without it) and SQLite are left as they are.

Revision ID: 0017_publisher_lz4
Revises: 0016_publisher_pages
Create Date: 2026-12-01
"""

from devoured_infra.migrate import toast_compression

revision = "0017_publisher_lz4"
down_revision = "0016_publisher_pages"
branch_labels = None
depends_on = None

PUBLISHER_ITEMS = ("text",)
PUBLISHER_EDITIONS = ("markdown", "html", "web_html", "api_json")


def upgrade() -> None:
    toast_compression("publisher_items", PUBLISHER_ITEMS, "lz4")
    toast_compression("publisher_editions", PUBLISHER_EDITIONS, "lz4")


def downgrade() -> None:
    toast_compression("publisher_items", PUBLISHER_ITEMS, "default")
    toast_compression("publisher_editions", PUBLISHER_EDITIONS, "default")

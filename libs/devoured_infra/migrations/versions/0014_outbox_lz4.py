"""every service: the outbox's payloads compressed with lz4 on PostgreSQL

PostgreSQL compresses large values (TOAST) with pglz by default; lz4 costs it about a third of
that CPU for nearly the same size. Every page fetched passes through an outbox: about 1 CPU ms
of the server's saved per page. Only values written from now on change; servers without
lz4 (before 14, or built without it) and SQLite are left as they are.

Revision ID: 0014_outbox_lz4
Revises: 0013_outbox_trace_context
Create Date: 2026-12-01
"""

from devoured_infra.migrate import toast_compression

revision = "0014_outbox_lz4"
down_revision = "0013_outbox_trace_context"
branch_labels = None
depends_on = None

OUTBOX = ("payload",)


def upgrade() -> None:
    toast_compression("outbox", OUTBOX, "lz4")


def downgrade() -> None:
    toast_compression("outbox", OUTBOX, "default")

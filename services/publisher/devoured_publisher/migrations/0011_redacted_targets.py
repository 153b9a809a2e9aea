"""delivery targets stored by a non-secret id, not by their URL

A webhook URL is a credential (Slack, Discord), and it was the key of a delivery and its
claim, and appeared in the stored error. Since this revision the publisher stores
``target_id(url)`` (origin plus a SHA-256 prefix, ``devoured_publisher.delivery``); this
rewrites the rows stored before, so they keep counting as delivered (no edition is posted
twice) and no URL stays in the database. Email addresses are kept as they are.

It used to revise ``0008_leader_lease`` and depend on ``0003_publisher``. Both stay its
ancestors, so a database that recorded it counts them (and the claims table it rewrites,
``0008_publisher_claims``) as applied. It must not descend from ``0009_version_guard``: a
database migrated before the split records both, and Alembic refuses recorded revisions that
descend from one another; ``0013_publisher_merge`` joins the two.

Revision ID: 0011_redacted_targets
Revises: 0003_publisher, 0008_publisher_claims
Create Date: 2026-11-30
"""

import hashlib
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0011_redacted_targets"
down_revision = ("0003_publisher", "0008_publisher_claims")
branch_labels = None
depends_on = "0008_leader_lease"


def _target_id(target: str) -> str:
    """A frozen copy of ``devoured_publisher.delivery.target_id`` (migrations import no
    service)."""
    if "://" not in target:
        return target
    parts = urlsplit(target)
    digest = hashlib.sha256(target.encode()).hexdigest()[:12]
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or '?'}{port}/…#{digest}"


def upgrade() -> None:
    bind = op.get_bind()
    for name in ("publisher_deliveries", "publisher_delivery_claims"):
        table = sa.table(name, sa.column("target", sa.String), sa.column("error", sa.Text))
        targets = bind.execute(
            sa.select(table.c.target).distinct().where(table.c.target.like("%://%"))
        ).scalars()
        for target in list(targets):
            new = _target_id(target)
            if "/…#" in target or new == target:
                continue  # already an id
            values: dict[str, object] = {"target": new}
            if name == "publisher_deliveries":
                values["error"] = sa.func.replace(table.c.error, target, new)
            bind.execute(sa.update(table).where(table.c.target == target).values(**values))


def downgrade() -> None:
    """The URLs cannot be recovered from their ids; the rows stay as they are."""

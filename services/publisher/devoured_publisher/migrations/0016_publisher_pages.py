"""publisher: each edition's web page and API body, as the build rendered them

The website and the JSON API serve an edition from these instead of assembling it again on
every request (clustering and the editor's cut take seconds for thousands of stories). NULL
for editions built before this revision: those are assembled on request, as before.

Revision ID: 0016_publisher_pages
Revises: 0015_publisher_features
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_publisher_pages"
down_revision = "0015_publisher_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publisher_editions") as batch:
        batch.add_column(sa.Column("web_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("api_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publisher_editions") as batch:
        batch.drop_column("api_json")
        batch.drop_column("web_html")

"""claims.destination: the ISO 3166-1 alpha-2 code of the country people crossed into (issue #31; required for
refugees_crossed, empty for a metric outside the refugees family).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("destination", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("claims", "destination")

"""claims.retracted: the day a reviewer retracted a claim (empty while it is in force).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("retracted", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("claims", "retracted")

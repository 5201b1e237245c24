"""users: the role of each verified email (viewer, analyst, reviewer, admin).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("users", sa.Column("email", sa.Text, primary_key=True), sa.Column("role", sa.Text, nullable=False))


def downgrade() -> None:
    op.drop_table("users")

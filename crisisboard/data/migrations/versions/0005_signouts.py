"""signouts: when each verified email last signed out; a sign-in issued before it gives no role (issue #30).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("signouts", sa.Column("email", sa.Text, primary_key=True),
                    sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("signouts")

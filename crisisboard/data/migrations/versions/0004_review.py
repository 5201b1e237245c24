"""proposals (draft → review → published) and settings (the two-person rule).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("kind", "target", "summary", "payload", "proposed_by", "proposed_at", "reason", "status", "decided_by",
           "decided_at", "decision_reason")


def upgrade() -> None:
    op.create_table("proposals", sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
                    sa.Column("proposal_id", sa.Text, nullable=False, unique=True),
                    *[sa.Column(c, sa.Text, nullable=False, server_default="") for c in COLUMNS])
    op.create_index("proposals_status", "proposals", ["status", "proposed_at"])
    op.create_table("settings", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_index("proposals_status", "proposals")
    op.drop_table("proposals")

"""crises: one database, several crises (issue #31). Every row of a crisis's data, history, proposals,
settings and data version carries the crisis's key (its slug, crisisboard.data.crisis.crisis_slug), and the
keys, unique constraints and indexes are per crisis: the same claim_id may be in two crises. A role (users)
is given for one crisis or, with the key empty, for all.

The rows already here are the default crisis's: the ``slug`` of the crisis.toml the database holds when it
has one, else the default crisis folder's slug (crisisboard.data.crisis.default_slug, data/'s). The roles
already given stay roles on that crisis only: a migration never widens a role to crises it was not given for.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crisisboard.data.crisis import default_slug, slug_of_text

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# each table's key before and after (the crisis first: a crisis's rows are read together)
KEYS = {
    "sources": ("source_id",),
    "claims": ("claim_id",),
    "places": ("place_id",),
    "incidents": ("incident_id",),
    "files": ("name",),
    "documents": ("name",),
    "meta": ("key",),
    "settings": ("key",),
    "users": ("email",),
}
DATA = ("sources", "claims", "places", "incidents")


def existing_slug() -> str:
    text = op.get_bind().execute(sa.text("SELECT text FROM documents WHERE name = 'crisis.toml'")).scalar()
    return (slug_of_text(text) if text else None) or default_slug()


def upgrade() -> None:
    slug = existing_slug()
    for table in (*KEYS, "history", "proposals"):
        op.add_column(table, sa.Column("crisis", sa.Text, nullable=False, server_default=slug))
        op.alter_column(table, "crisis", server_default=None)  # every new row names its crisis
    for table, key in KEYS.items():
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, ["crisis", *key] if table != "users" else [*key, "crisis"])
    for table in DATA:
        op.create_index(f"{table}_position", table, ["crisis", "position"])
    op.drop_index("history_row", "history")
    op.create_index("history_row", "history", ["crisis", "table_name", "row_id"])
    op.drop_constraint("proposals_proposal_id_key", "proposals", type_="unique")
    op.create_unique_constraint("proposals_proposal_id_key", "proposals", ["crisis", "proposal_id"])
    op.drop_index("proposals_status", "proposals")
    op.create_index("proposals_status", "proposals", ["crisis", "status", "proposed_at"])


def downgrade() -> None:
    bind = op.get_bind()
    held = set()
    for table in (*KEYS, "history", "proposals"):
        held |= set(bind.execute(sa.text(f"SELECT DISTINCT crisis FROM {table}")).scalars())  # noqa: S608
    if len(held - {""}) > 1 or "" in set(bind.execute(sa.text("SELECT crisis FROM users")).scalars()):
        raise RuntimeError(f"cannot go back to one crisis: the database holds {sorted(held)} or roles for all "
                           "crises; export each crisis (db export) and start again")
    op.drop_index("proposals_status", "proposals")
    op.create_index("proposals_status", "proposals", ["status", "proposed_at"])
    op.drop_constraint("proposals_proposal_id_key", "proposals", type_="unique")
    op.create_unique_constraint("proposals_proposal_id_key", "proposals", ["proposal_id"])
    op.drop_index("history_row", "history")
    op.create_index("history_row", "history", ["table_name", "row_id"])
    for table in DATA:
        op.drop_index(f"{table}_position", table)
    for table, key in KEYS.items():
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, list(key))
    for table in (*KEYS, "history", "proposals"):
        op.drop_column(table, "crisis")

"""The first schema: the four tables of the dataset as their CSV files have them, crisis.toml, how each file
is written (so that an export reproduces it byte for byte), the history and the data version.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# the columns as they were when this revision was written (a later change of schema.py is a new revision)
TABLES = {
    "sources": ("source_id", "publisher", "publisher_type", "title", "url", "archive_url", "published",
                "published_precision", "language", "corpus_file", "notes"),
    "claims": ("claim_id", "source_id", "statement_id", "quote", "figure_text", "metric", "population", "low", "high",
               "qualifier", "vague_term", "as_of", "as_of_precision", "place_id", "claimant", "claimant_type",
               "relayed_by", "status_in_text", "claim_kind", "scope", "source_reliability", "info_credibility",
               "grade_rationale", "notes"),
    "places": ("place_id", "name", "kind", "country", "admin1", "lat", "lon", "precision", "geonames_id",
               "coord_source"),
    "incidents": ("incident_id", "date_start", "date_end", "date_precision", "place_id", "kind", "summary",
                  "source_ids"),
}


def upgrade() -> None:
    for name, columns in TABLES.items():
        op.create_table(name, sa.Column("position", sa.Integer, nullable=False),
                        *[sa.Column(column, sa.Text, nullable=False, server_default="", primary_key=i == 0)
                          for i, column in enumerate(columns)],
                        sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.create_table("files", sa.Column("name", sa.Text, primary_key=True), sa.Column("header", sa.Text, nullable=False),
                    sa.Column("line_end", sa.Text, nullable=False), sa.Column("bom", sa.Boolean, nullable=False))
    op.create_table("documents", sa.Column("name", sa.Text, primary_key=True), sa.Column("text", sa.Text, nullable=False))
    op.create_table("history", sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
                    *[sa.Column(column, sa.Text, nullable=False, server_default="")
                      for column in ("at", "who", "action", "table_name", "row_id", "field", "old", "new", "reason")])
    op.create_index("history_row", "history", ["table_name", "row_id"])
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text, nullable=False))
    op.execute("INSERT INTO meta (key, value) VALUES ('data_version', '0')")


def downgrade() -> None:
    for name in ("meta", "history", "documents", "files", *TABLES):
        op.drop_table(name)

"""The PostgreSQL store, used when ``CRISISBOARD_DATABASE_URL`` is set (SQLAlchemy 2 Core, psycopg 3; the
schema is Alembic's, ``crisisboard/data/migrations``).

The database holds the dataset's rows (one table per CSV file, in file order, with how each file is
written: an export gives back the very bytes imported), crisis.toml, the history of every change and a data
version that every change raises. A change runs in one transaction under an advisory lock: it exports the
data to a scratch folder, makes the change there with the CSV store's own code (the same validation, the
same refusals) and writes the result and its history back, or nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from crisisboard.data import schema
from crisisboard.data.folder import TableFile, read_folder, write_folder
from crisisboard.data.history import Change, now
from crisisboard.data.private import open_private
from crisisboard.data.review import COLUMNS as PROPOSAL_COLUMNS
from crisisboard.data.review import Proposal

ENV_URL = "CRISISBOARD_DATABASE_URL"
MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_KEY = 2010_06_10  # the advisory lock every change holds
TABLES = {"sources.csv": "sources", "claims.csv": "claims", "places.csv": "places", "incidents.csv": "incidents"}
CRISIS_DOCUMENT = "crisis.toml"


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and its pool of connections) per URL and process."""
    return sa.create_engine(url, pool_pre_ping=True)


def upgrade(url: str) -> None:
    """Create or migrate the schema to the newest revision (``python -m crisisboard db upgrade``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def columns_of(name: str) -> tuple[str, ...]:
    """The columns the database keeps for a file: its required ones, then its optional ones."""
    return schema.FILES[name] + schema.OPTIONAL_COLUMNS.get(name, ())


def _table(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    return sa.table(name, sa.column("position"), *[sa.column(c) for c in columns], sa.column("version"))


def data_version(connection: Connection) -> int:
    return int(connection.execute(sa.text("SELECT value FROM meta WHERE key = 'data_version'")).scalar_one())


def read_tables(connection: Connection, names: tuple[str, ...] = tuple(TABLES)) -> tuple[dict[str, TableFile], str]:
    """The dataset as the database holds it (the files `names`): each file's rows in order, and crisis.toml."""
    formats = {row.name: row for row in connection.execute(sa.text("SELECT name, header, line_end, bom FROM files"))}
    tables = {}
    for name in names:
        table = TABLES[name]
        fmt = formats[name]
        header = tuple(fmt.header.split(","))
        columns = columns_of(name)
        rows = connection.execute(sa.select(*[sa.column(c) for c in columns]).select_from(sa.table(table))
                                  .order_by(sa.column("position")))
        kept = [i for i, column in enumerate(columns) if column in header]  # the file's own columns
        tables[name] = TableFile(name, header, fmt.line_end, fmt.bom,
                                 tuple({columns[i]: values[i] for i in kept} for values in rows))
    crisis = connection.execute(sa.text("SELECT text FROM documents WHERE name = :name"),
                                {"name": CRISIS_DOCUMENT}).scalar_one()
    return tables, crisis


def has_data(connection: Connection) -> bool:
    return connection.execute(sa.text("SELECT count(*) FROM files")).scalar_one() > 0


def write_tables(connection: Connection, tables: dict[str, TableFile], crisis_text: str) -> None:
    """Replace the dataset's rows, formats and crisis.toml with `tables` (inside the caller's transaction)."""
    for name, table in tables.items():
        columns = columns_of(name)
        connection.execute(sa.text(f"DELETE FROM {TABLES[name]}"))  # noqa: S608 - a fixed table name
        # COPY, not INSERT: a million rows in seconds, not minutes
        with _cursor(connection).copy(f"COPY {TABLES[name]} (position, {_names(columns)}, version) FROM STDIN") \
                as copy:
            for i, row in enumerate(table.rows):
                copy.write_row((i, *[row.get(c, "") for c in columns], 1))
        connection.execute(sa.text("DELETE FROM files WHERE name = :name"), {"name": name})
        connection.execute(sa.text("INSERT INTO files (name, header, line_end, bom) VALUES (:n, :h, :l, :b)"),
                           {"n": name, "h": ",".join(table.header), "l": table.line_end, "b": table.bom})
    connection.execute(sa.text("DELETE FROM documents WHERE name = :name"), {"name": CRISIS_DOCUMENT})
    connection.execute(sa.text("INSERT INTO documents (name, text) VALUES (:n, :t)"),
                       {"n": CRISIS_DOCUMENT, "t": crisis_text})


def add_history(connection: Connection, changes: list[Change]) -> None:
    """Append `changes` to the history table (by COPY: an import records a row per row imported)."""
    columns = ("at", "who", "action", "table_name", "row_id", "field", "old", "new", "reason")
    with _cursor(connection).copy(f"COPY history ({_names(columns)}) FROM STDIN") as copy:
        for change in changes:
            copy.write_row((change.at, change.who, change.action, change.table, change.row_id, change.field,
                            change.old, change.new, change.reason))


def bump_version(connection: Connection) -> int:
    return int(connection.execute(sa.text("UPDATE meta SET value = (value::bigint + 1)::text "
                                          "WHERE key = 'data_version' RETURNING value")).scalar_one())


def read_history(connection: Connection, row_id: str | None = None) -> list[Change]:
    query = "SELECT at, who, action, table_name, row_id, field, old, new, reason FROM history"
    query += " WHERE row_id = :row_id ORDER BY id" if row_id is not None else " ORDER BY id"
    return [Change(*row) for row in connection.execute(sa.text(query), {"row_id": row_id})]


def removed_users(connection: Connection) -> set[str]:
    """The emails whose role the history says was removed (crisisboard.data.review.removed_roles, in SQL)."""
    return set(connection.execute(sa.text("SELECT DISTINCT row_id FROM history WHERE table_name = 'users' "
                                          "AND new = '(removed)'")).scalars())


def read_users(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(sa.text("SELECT email, role FROM users ORDER BY email")).all())


def write_user(connection: Connection, email: str, role: str | None) -> None:
    connection.execute(sa.text("DELETE FROM users WHERE email = :email"), {"email": email})
    if role:
        connection.execute(sa.text("INSERT INTO users (email, role) VALUES (:email, :role)"),
                           {"email": email, "role": role})


def read_signout(connection: Connection, email: str) -> datetime | None:
    return connection.execute(sa.text("SELECT signed_out_at FROM signouts WHERE email = :email"),
                              {"email": email}).scalar()


def write_signout(connection: Connection, email: str, when: datetime, keep: timedelta) -> None:
    """Record that `email` signed out at `when` (the later of two), dropping sign-outs older than `keep` before."""
    connection.execute(sa.text("DELETE FROM signouts WHERE signed_out_at < :oldest"), {"oldest": when - keep})
    connection.execute(sa.text("INSERT INTO signouts (email, signed_out_at) VALUES (:email, :when) "
                               "ON CONFLICT (email) DO UPDATE SET signed_out_at = "
                               "GREATEST(signouts.signed_out_at, excluded.signed_out_at)"),
                       {"email": email, "when": when})


def read_proposals(connection: Connection, proposal_id: str | None = None) -> list[Proposal]:
    query = f"SELECT {_names(PROPOSAL_COLUMNS)} FROM proposals"
    query += " WHERE proposal_id = :id ORDER BY id" if proposal_id is not None else " ORDER BY id"
    return [Proposal(*row) for row in connection.execute(sa.text(query), {"id": proposal_id})]


def add_proposal(connection: Connection, proposal: Proposal) -> None:
    connection.execute(sa.text(f"INSERT INTO proposals ({_names(PROPOSAL_COLUMNS)}) "  # noqa: S608 - fixed names
                               f"VALUES ({', '.join(':' + c for c in PROPOSAL_COLUMNS)})"), asdict(proposal))


def update_proposal(connection: Connection, proposal: Proposal) -> None:
    connection.execute(sa.text("UPDATE proposals SET status = :status, decided_by = :decided_by, "
                               "decided_at = :decided_at, decision_reason = :decision_reason "
                               "WHERE proposal_id = :proposal_id"), asdict(proposal))


def read_setting(connection: Connection, key: str, default: str) -> str:
    value = connection.execute(sa.text("SELECT value FROM settings WHERE key = :key"), {"key": key}).scalar()
    return default if value is None else str(value)


def write_setting(connection: Connection, key: str, value: str) -> None:
    connection.execute(sa.text("INSERT INTO settings (key, value) VALUES (:key, :value) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"key": key, "value": value})


def locked(connection: Connection) -> None:
    """Hold the store's advisory lock until the transaction ends: changes are serialised."""
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def export_to(connection: Connection, folder: Path) -> None:
    """Write the dataset into `folder`, each file byte for byte as imported. A file with Python's CSV dialect
    as written here ("\n" line ends, no byte-order mark) is streamed by PostgreSQL's own COPY, whose quoting
    is the same (a field is quoted when it holds a comma, a quote or a line break; empty fields stay bare
    because NULL is written as a string no field holds); any other is written row by row."""
    formats = {row.name: row for row in connection.execute(sa.text("SELECT name, header, line_end, bom FROM files"))}
    slow, crisis = read_tables(connection, tuple(n for n, f in formats.items() if f.line_end != "\n" or f.bom))
    write_folder(folder, slow, crisis)
    for name, fmt in formats.items():
        if name in slow:
            continue
        header = fmt.header.split(",")
        created = open_private(Path(folder) / name, os.O_WRONLY | os.O_TRUNC)  # 0600
        with os.fdopen(created, "wb") as out, _cursor(connection).copy(
                f"COPY (SELECT {_names(header)} FROM {TABLES[name]} ORDER BY position) "
                "TO STDOUT (FORMAT csv, NULL '\\N')") as copy:
            out.write(TableFile(name, tuple(header), "\n", False, ()).text().encode("utf-8"))
            for block in copy:
                out.write(block)


def _cursor(connection: Connection):  # noqa: ANN202 - psycopg's cursor, in the connection's transaction
    return connection.connection.cursor()


def _names(columns: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def diff_changes(before: dict[str, TableFile], after: dict[str, TableFile], who: str, reason: str) -> list[Change]:
    """What an import changes, row by row and field by field (sources and claims added as such; a row the
    import leaves out is recorded as removed by the import)."""
    at, changes = now(), []
    for name, table in after.items():
        short, key = TABLES[name], schema.FILES[name][0]
        old = {row[key]: row for row in before[name].rows} if name in before else {}
        new = {row[key]: row for row in table.rows}
        for row_id, row in new.items():
            if row_id not in old:
                action = {"sources": "add_source", "claims": "add_claim"}.get(short, "import")
                changes.append(Change(at, who, action, short, row_id, new="imported", reason=reason))
                continue
            changes += [Change(at, who, "edit", short, row_id, column, old[row_id].get(column, ""), value, reason)
                        for column, value in row.items() if old[row_id].get(column, "") != value]
        changes += [Change(at, who, "import", short, row_id, "", "present", "removed", reason)
                    for row_id in old if row_id not in new]
    return changes


def scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="crisisboard-db-")



"""The PostgreSQL store, used when ``CRISISBOARD_DATABASE_URL`` is set (SQLAlchemy 2 Core, psycopg 3; the
schema is Alembic's, ``crisisboard/data/migrations``).

The database holds the dataset's rows (one table per CSV file, in file order, with how each file is
written: an export gives back the very bytes imported), crisis.toml, the history of every change and a data
version that every change raises, for each crisis apart: every row of a crisis's data, history, proposals,
settings and version carries the crisis's key (its slug, crisisboard.data.crisis.crisis_slug), and every
function here takes it. A role (``users``) is given for one crisis or, with the key empty (:data:`ALL`), for
all; sign-outs are the identity's, whatever the crisis. A change runs in one transaction under an advisory lock: it exports the
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
from crisisboard.data.crisis import SLUG_PATTERN
from crisisboard.data.folder import TableFile, read_folder, write_folder
from crisisboard.data.history import Change, now
from crisisboard.data.private import open_private
from crisisboard.data.review import COLUMNS as PROPOSAL_COLUMNS
from crisisboard.data.review import Proposal
from crisisboard.data.users import Grant, roles_on

ENV_URL = "CRISISBOARD_DATABASE_URL"
MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_KEY = 2010_06_10  # the advisory lock every change holds
TABLES = {"sources.csv": "sources", "claims.csv": "claims", "places.csv": "places", "incidents.csv": "incidents"}
CRISIS_DOCUMENT = "crisis.toml"
ALL = ""  # the crisis key of a role given for every crisis


def checked_crisis(crisis: str) -> str:
    """`crisis` when it is a crisis key (crisisboard.data.crisis.SLUG_PATTERN), else ValueError: a key is
    written into SQL text only once it has passed this."""
    if not isinstance(crisis, str) or not SLUG_PATTERN.match(crisis):
        raise ValueError(f"not a crisis key: {crisis!r} (a-z, 0-9, _ and -, at most 64, starting a-z or 0-9)")
    return crisis


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and its pool of connections) per URL and process."""
    return sa.create_engine(url, pool_pre_ping=True)


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the schema to the newest revision (``python -m crisisboard db upgrade``), or to
    `revision`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)


def columns_of(name: str) -> tuple[str, ...]:
    """The columns the database keeps for a file: its required ones, then its optional ones."""
    return schema.FILES[name] + schema.OPTIONAL_COLUMNS.get(name, ())


def _table(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    return sa.table(name, sa.column("position"), *[sa.column(c) for c in columns], sa.column("version"))


def data_version(connection: Connection, crisis: str) -> int:
    """The crisis's data version (0 before its first import)."""
    return int(connection.execute(sa.text("SELECT value FROM meta WHERE crisis = :crisis AND key = 'data_version'"),
                                  {"crisis": crisis}).scalar() or 0)


def _formats(connection: Connection, crisis: str) -> dict:
    return {row.name: row for row in connection.execute(
        sa.text("SELECT name, header, line_end, bom FROM files WHERE crisis = :crisis"), {"crisis": crisis})}


def crises(connection: Connection) -> list[str]:
    """The crises the database holds data of."""
    return list(connection.execute(sa.text("SELECT DISTINCT crisis FROM files ORDER BY crisis")).scalars())


def read_tables(connection: Connection, crisis: str, names: tuple[str, ...] = tuple(TABLES)
                ) -> tuple[dict[str, TableFile], str]:
    """A crisis's dataset as the database holds it (the files `names`): each file's rows in order, and
    crisis.toml."""
    formats = _formats(connection, crisis)
    tables = {}
    for name in names:
        table = TABLES[name]
        fmt = formats[name]
        header = tuple(fmt.header.split(","))
        columns = columns_of(name)
        rows = connection.execute(sa.select(*[sa.column(c) for c in columns]).select_from(sa.table(table))
                                  .where(sa.column("crisis") == crisis).order_by(sa.column("position")))
        kept = [i for i, column in enumerate(columns) if column in header]  # the file's own columns
        tables[name] = TableFile(name, header, fmt.line_end, fmt.bom,
                                 tuple({columns[i]: values[i] for i in kept} for values in rows))
    text = connection.execute(sa.text("SELECT text FROM documents WHERE crisis = :crisis AND name = :name"),
                              {"crisis": crisis, "name": CRISIS_DOCUMENT}).scalar_one()
    return tables, text


def has_data(connection: Connection, crisis: str) -> bool:
    return connection.execute(sa.text("SELECT count(*) FROM files WHERE crisis = :crisis"),
                              {"crisis": crisis}).scalar_one() > 0


def write_tables(connection: Connection, crisis: str, tables: dict[str, TableFile], crisis_text: str) -> None:
    """Replace a crisis's rows, formats and crisis.toml with `tables` (inside the caller's transaction)."""
    crisis = checked_crisis(crisis)
    for name, table in tables.items():
        columns = columns_of(name)
        connection.execute(sa.text(f"DELETE FROM {TABLES[name]} WHERE crisis = :crisis"),  # noqa: S608 - fixed name
                           {"crisis": crisis})
        # COPY, not INSERT: a million rows in seconds, not minutes
        with _cursor(connection).copy(f"COPY {TABLES[name]} (crisis, position, {_names(columns)}, version) "
                                      "FROM STDIN") as copy:
            for i, row in enumerate(table.rows):
                copy.write_row((crisis, i, *[row.get(c, "") for c in columns], 1))
        connection.execute(sa.text("DELETE FROM files WHERE crisis = :crisis AND name = :name"),
                           {"crisis": crisis, "name": name})
        connection.execute(sa.text("INSERT INTO files (crisis, name, header, line_end, bom) "
                                   "VALUES (:c, :n, :h, :l, :b)"),
                           {"c": crisis, "n": name, "h": ",".join(table.header), "l": table.line_end, "b": table.bom})
    connection.execute(sa.text("DELETE FROM documents WHERE crisis = :crisis AND name = :name"),
                       {"crisis": crisis, "name": CRISIS_DOCUMENT})
    connection.execute(sa.text("INSERT INTO documents (crisis, name, text) VALUES (:c, :n, :t)"),
                       {"c": crisis, "n": CRISIS_DOCUMENT, "t": crisis_text})


def add_history(connection: Connection, crisis: str, changes: list[Change]) -> None:
    """Append `changes` to a crisis's history (by COPY: an import records a row per row imported); `crisis`
    :data:`ALL` for a change of a role given for all crises."""
    columns = ("crisis", "at", "who", "action", "table_name", "row_id", "field", "old", "new", "reason")
    with _cursor(connection).copy(f"COPY history ({_names(columns)}) FROM STDIN") as copy:
        for change in changes:
            copy.write_row((crisis, change.at, change.who, change.action, change.table, change.row_id, change.field,
                            change.old, change.new, change.reason))


def bump_version(connection: Connection, crisis: str) -> int:
    return int(connection.execute(sa.text(
        "INSERT INTO meta (crisis, key, value) VALUES (:crisis, 'data_version', '1') "
        "ON CONFLICT (crisis, key) DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value"),
        {"crisis": crisis}).scalar_one())


def read_history(connection: Connection, crisis: str, row_id: str | None = None) -> list[Change]:
    """A crisis's history (with the changes of roles given for all crises), oldest first."""
    query = ("SELECT at, who, action, table_name, row_id, field, old, new, reason FROM history "
             "WHERE (crisis = :crisis OR (crisis = '' AND table_name = 'users'))")
    query += " AND row_id = :row_id ORDER BY id" if row_id is not None else " ORDER BY id"
    return [Change(*row) for row in connection.execute(sa.text(query), {"crisis": crisis, "row_id": row_id})]


def removed_users(connection: Connection, crisis: str) -> set[str]:
    """The emails whose role on `crisis` (or on all crises) the history says was removed
    (crisisboard.data.review.removed_roles, in SQL)."""
    return set(connection.execute(sa.text("SELECT DISTINCT row_id FROM history WHERE table_name = 'users' "
                                          "AND new = '(removed)' AND crisis IN (:crisis, '')"),
                                  {"crisis": crisis}).scalars())


def read_grants(connection: Connection) -> list[Grant]:
    """Every role given, for one crisis or (crisis :data:`ALL`) for all."""
    return [Grant(*row) for row in connection.execute(sa.text("SELECT email, role, crisis FROM users "
                                                              "ORDER BY email, crisis"))]


def read_users(connection: Connection, crisis: str) -> dict[str, str]:
    """Each email's role on `crisis` (crisisboard.data.users.roles_on)."""
    return roles_on(read_grants(connection), crisis)


def write_user(connection: Connection, email: str, role: str | None, crisis: str) -> None:
    """Give `email` the `role` on `crisis` (:data:`ALL`: on every crisis), or take it (None)."""
    connection.execute(sa.text("DELETE FROM users WHERE email = :email AND crisis = :crisis"),
                       {"email": email, "crisis": crisis})
    if role:
        connection.execute(sa.text("INSERT INTO users (email, role, crisis) VALUES (:email, :role, :crisis)"),
                           {"email": email, "role": role, "crisis": crisis})


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


def read_proposals(connection: Connection, crisis: str, proposal_id: str | None = None) -> list[Proposal]:
    query = f"SELECT {_names(PROPOSAL_COLUMNS)} FROM proposals WHERE crisis = :crisis"  # noqa: S608 - fixed names
    query += " AND proposal_id = :id ORDER BY id" if proposal_id is not None else " ORDER BY id"
    return [Proposal(*row) for row in connection.execute(sa.text(query), {"crisis": crisis, "id": proposal_id})]


def add_proposal(connection: Connection, crisis: str, proposal: Proposal) -> None:
    connection.execute(sa.text(f"INSERT INTO proposals (crisis, {_names(PROPOSAL_COLUMNS)}) "  # noqa: S608
                               f"VALUES (:crisis, {', '.join(':' + c for c in PROPOSAL_COLUMNS)})"),
                       {"crisis": crisis, **asdict(proposal)})


def update_proposal(connection: Connection, crisis: str, proposal: Proposal) -> None:
    connection.execute(sa.text("UPDATE proposals SET status = :status, decided_by = :decided_by, "
                               "decided_at = :decided_at, decision_reason = :decision_reason "
                               "WHERE crisis = :crisis AND proposal_id = :proposal_id"),
                       {"crisis": crisis, **asdict(proposal)})


def read_setting(connection: Connection, crisis: str, key: str, default: str) -> str:
    value = connection.execute(sa.text("SELECT value FROM settings WHERE crisis = :crisis AND key = :key"),
                               {"crisis": crisis, "key": key}).scalar()
    return default if value is None else str(value)


def write_setting(connection: Connection, crisis: str, key: str, value: str) -> None:
    connection.execute(sa.text("INSERT INTO settings (crisis, key, value) VALUES (:crisis, :key, :value) "
                               "ON CONFLICT (crisis, key) DO UPDATE SET value = excluded.value"),
                       {"crisis": crisis, "key": key, "value": value})


def locked(connection: Connection) -> None:
    """Hold the store's advisory lock until the transaction ends: changes are serialised."""
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def export_to(connection: Connection, crisis: str, folder: Path) -> None:
    """Write a crisis's dataset into `folder`, each file byte for byte as imported. A file with Python's CSV dialect
    as written here ("\n" line ends, no byte-order mark) is streamed by PostgreSQL's own COPY, whose quoting
    is the same (a field is quoted when it holds a comma, a quote or a line break; empty fields stay bare
    because NULL is written as a string no field holds); any other is written row by row."""
    crisis = checked_crisis(crisis)  # written into the COPY's text below
    formats = _formats(connection, crisis)
    slow, text = read_tables(connection, crisis, tuple(n for n, f in formats.items() if f.line_end != "\n" or f.bom))
    write_folder(folder, slow, text)
    for name, fmt in formats.items():
        if name in slow:
            continue
        header = fmt.header.split(",")
        created = open_private(Path(folder) / name, os.O_WRONLY | os.O_TRUNC)  # 0600
        with os.fdopen(created, "wb") as out, _cursor(connection).copy(
                f"COPY (SELECT {_names(header)} FROM {TABLES[name]} WHERE crisis = '{crisis}' ORDER BY position) "
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



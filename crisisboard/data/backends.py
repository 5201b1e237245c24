"""One store interface, two backends: the CSV files of a data folder (the embedded default: ``make run`` needs
no server) and PostgreSQL when ``CRISISBOARD_DATABASE_URL`` is set. tests/test_store_contract.py runs the same
tests against both.

Either way a change is validated like a save, refused whole with the usual ``file:line: field: rule``
problems, and recorded in the history with who made it and why (crisisboard.data.history).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Protocol

from crisisboard.data import database as db
from crisisboard.data.folder import not_reproduced, read_folder, write_folder
from crisisboard.data.history import Change, read_history
from crisisboard.data.load import dataset_version
from crisisboard.data.store import (
    SaveError,
    SaveReport,
    append_release,
    change_claim,
    check_version,
    claim_version,
    restore_claim,
    retract_claim,
)
from crisisboard.data.users import Actor, checked_user, read_users, require, role_change, set_role
from crisisboard.data.validate import Problem, validate_dataset


class Store(Protocol):
    """Every write takes the Actor who makes it and checks its role first (crisisboard.data.users)."""

    def append_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                       today: date | None = None) -> SaveReport: ...

    def edit_claim(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                   expected_version: int | None) -> list[Change]: ...

    def retract_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]: ...

    def restore_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]: ...

    def users(self) -> dict[str, str]: ...

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]: ...

    def claim_version(self, claim_id: str) -> int: ...

    def history(self, row_id: str | None = None) -> list[Change]: ...

    def export(self, folder: Path) -> None: ...

    def version(self) -> str: ...


@dataclass
class ImportReport:
    changes: list[Change] = field(default_factory=list)
    unchanged: bool = False
    rewritten: list[str] = field(default_factory=list)  # files an export writes in canonical CSV, not as given

    def sentence(self) -> str:
        if self.unchanged:
            return "already up to date: nothing changed"
        said = f"imported: {len(self.changes)} change(s) recorded in the history"
        if self.rewritten:
            said += f"; {', '.join(self.rewritten)} will be exported in canonical CSV (not byte for byte as given)"
        return said


@dataclass(frozen=True)
class CsvStore:
    """The data folder's CSV files, written under its lock; the history in its history.csv."""

    data_dir: Path

    def append_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                       today: date | None = None) -> SaveReport:
        who = require(actor, "propose").email
        return append_release(self.data_dir, source, claims, today, who=who, reason=reason)

    def edit_claim(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                   expected_version: int | None) -> list[Change]:
        who = require(actor, "edit").email
        return change_claim(self.data_dir, claim_id, fields, who, reason, expected_version)

    def retract_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]:
        return retract_claim(self.data_dir, claim_id, require(actor, "retract").email, reason, expected_version)

    def restore_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]:
        return restore_claim(self.data_dir, claim_id, require(actor, "retract").email, reason, expected_version)

    def users(self) -> dict[str, str]:
        return read_users(self.data_dir)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]:
        who = require(actor, "manage_users").email
        email, role = checked_user(email, role) if role else (email.strip().lower(), None)
        return set_role(self.data_dir, email, role, who, reason)

    def claim_version(self, claim_id: str) -> int:
        return claim_version(self.data_dir, claim_id)

    def history(self, row_id: str | None = None) -> list[Change]:
        return read_history(self.data_dir, row_id)

    def export(self, folder: Path) -> None:
        write_folder(folder, *read_folder(self.data_dir))

    def version(self) -> str:
        return dataset_version(self.data_dir)


@dataclass(frozen=True)
class PgStore:
    """The dataset in PostgreSQL (crisisboard.data.database)."""

    url: str

    @property
    def engine(self):  # noqa: ANN201 - an SQLAlchemy Engine
        return db.engine_for(self.url)

    def import_folder(self, folder: Path, who: str, reason: str, today: date | None = None) -> ImportReport:
        """Validate `folder`, then make the database hold exactly its data, recording what changed.
        Importing the same folder again changes nothing (and raises no version)."""
        problems = validate_dataset(Path(folder), today).problems
        if problems:
            raise SaveError(f"nothing was imported: {folder} breaks these rules", problems)
        tables, crisis = read_folder(folder)
        unkept = [Problem(name, 1, column, "is not a column of the data model: the database would not keep it")
                  for name, table in tables.items() for column in table.header if column not in db.columns_of(name)]
        if unkept:
            raise SaveError(f"nothing was imported: {folder} has columns the database does not keep", unkept)
        with self.engine.begin() as connection:
            db.locked(connection)
            before, before_crisis = db.read_tables(connection) if db.has_data(connection) else ({}, "")
            if before == tables and before_crisis == crisis:
                return ImportReport(unchanged=True)
            changes = db.diff_changes(before, tables, who, reason)
            db.write_tables(connection, tables, crisis)
            db.add_history(connection, changes)
            db.bump_version(connection)
        return ImportReport(changes=changes, rewritten=not_reproduced(Path(folder)))

    def append_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                       today: date | None = None) -> SaveReport:
        """The CSV store's save, made on a scratch export inside one transaction, then written back whole."""
        who = require(actor, "propose").email
        with self.engine.begin() as connection, db.scratch() as folder:
            db.locked(connection)
            db.export_to(connection, Path(folder))
            report = append_release(Path(folder), source, claims, today, who=who, reason=reason)
            if report.claim_ids or report.source_added:
                db.write_tables(connection, *read_folder(Path(folder)))
                db.add_history(connection, read_history(Path(folder)))
                db.bump_version(connection)
        report.backups, report.pruned = [], 0  # the database keeps the history; the scratch folder is gone
        return report

    def _change(self, claim_id: str, expected_version: int | None, change: Callable[[Path], list[Change]]
                ) -> list[Change]:
        """`change` made by the CSV store's code on a scratch export, under the lock, checked against the
        version in the database's history, and written back with its history in the same transaction."""
        with self.engine.begin() as connection, db.scratch() as folder:
            db.locked(connection)
            check_version(db.read_history(connection, claim_id), claim_id, expected_version)
            db.export_to(connection, Path(folder))
            changes = change(Path(folder))
            if changes:
                db.write_tables(connection, *read_folder(Path(folder)))
                db.add_history(connection, changes)
                db.bump_version(connection)
        return changes

    def edit_claim(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                   expected_version: int | None) -> list[Change]:
        who = require(actor, "edit").email
        return self._change(claim_id, expected_version,
                            lambda folder: change_claim(folder, claim_id, fields, who, reason, None))

    def retract_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]:
        who = require(actor, "retract").email
        return self._change(claim_id, expected_version,
                            lambda folder: retract_claim(folder, claim_id, who, reason, None))

    def restore_claim(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> list[Change]:
        who = require(actor, "retract").email
        return self._change(claim_id, expected_version,
                            lambda folder: restore_claim(folder, claim_id, who, reason, None))

    def users(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return db.read_users(connection)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]:
        who = require(actor, "manage_users").email
        email, role = checked_user(email, role) if role else (email.strip().lower(), None)
        if not reason.strip():
            raise SaveError("nothing was saved: say why in a line (the reason goes into the history)")
        with self.engine.begin() as connection:
            db.locked(connection)
            changes = role_change(db.read_users(connection), email, role, who, reason)
            if changes:
                db.write_user(connection, email, role)
                db.add_history(connection, changes)
        return changes

    def claim_version(self, claim_id: str) -> int:
        return len(self.history(claim_id))

    def history(self, row_id: str | None = None) -> list[Change]:
        with self.engine.connect() as connection:
            return db.read_history(connection, row_id)

    def export(self, folder: Path) -> None:
        with self.engine.connect() as connection:
            db.export_to(connection, Path(folder))

    def version(self) -> str:
        with self.engine.connect() as connection:
            return f"db-{db.data_version(connection)}"


def open_store(data_dir: Path) -> Store:
    """PostgreSQL when CRISISBOARD_DATABASE_URL is set, else the CSV files of `data_dir`."""
    url = os.environ.get(db.ENV_URL, "").strip()
    return PgStore(url) if url else CsvStore(Path(data_dir))

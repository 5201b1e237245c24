"""One store interface, two backends: the CSV files of a data folder (the embedded default: ``make run`` needs
no server) and PostgreSQL when ``CRISISBOARD_DATABASE_URL`` is set. tests/test_store_contract.py runs the same
tests against both.

Either way a change is validated like a save, refused whole with the usual ``file:line: field: rule``
problems, and recorded in the history with who made it and why (crisisboard.data.history).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

from crisisboard.data import database as db
from crisisboard.data.folder import not_reproduced, read_folder, write_folder
from crisisboard.data.history import Change, read_history
from crisisboard.data.load import dataset_version
from crisisboard.data.review import (
    PERMISSION_OF,
    TWO_PERSON,
    CsvReview,
    Outcome,
    Proposal,
    apply,
    claim_proposal,
    decided,
    decision_changes,
    may_decide,
    proposed_change,
    Unreadable,
    proposal_problem,
    read_proposals,
    read_proposals_file,
    read_two_person,
    release_proposal,
    required_reason,
    setting_change,
    withdrawer,
)
from crisisboard.data.sessions import read_signout, record_signout
from crisisboard.data.store import SaveError, check_version, claim_version
from crisisboard.data.users import Actor, checked_user, read_users, require, role_change, set_role
from crisisboard.data.validate import Problem, validate_dataset


class Store(Protocol):
    """Every write takes the Actor who makes it and checks its role first (crisisboard.data.users). The data is
    changed only by approving a proposal (crisisboard.data.review): nothing is published unreviewed."""

    def propose_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                        today: date | None = None) -> Outcome: ...

    def propose_edit(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                     expected_version: int | None) -> Outcome: ...

    def propose_retract(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome: ...

    def propose_restore(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome: ...

    def approve(self, proposal_id: str, actor: Actor, reason: str, today: date | None = None) -> Outcome: ...

    def reject(self, proposal_id: str, actor: Actor, reason: str) -> Outcome: ...

    def withdraw(self, proposal_id: str, actor: Actor, reason: str) -> Outcome: ...

    def proposals(self) -> list[Proposal]: ...

    def unreadable_proposals(self) -> list[Unreadable]: ...

    def claim_row(self, claim_id: str) -> dict[str, str] | None: ...

    def source_row(self, source_id: str, url: str) -> dict[str, str] | None: ...

    def preview(self, proposal_id: str, folder: Path) -> Outcome: ...

    def two_person_rule(self) -> bool: ...

    def set_two_person_rule(self, on: bool, actor: Actor, reason: str) -> list[Change]: ...

    def users(self) -> dict[str, str]: ...

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]: ...

    def signed_out_at(self, email: str) -> datetime | None: ...  # crisisboard.data.sessions

    def sign_out(self, email: str, when: datetime, keep: timedelta) -> None: ...

    def claim_version(self, claim_id: str) -> int: ...

    def history(self, row_id: str | None = None) -> list[Change]: ...

    def export(self, folder: Path) -> None: ...

    def version(self) -> str: ...


class _Proposing:
    """The proposing half of both stores: a proposal is built from the claim as the store holds it."""

    def propose_release(self, source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str,
                        today: date | None = None) -> Outcome:
        return self._propose(release_proposal(source, claims, actor, reason), today)

    def propose_edit(self, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
                     expected_version: int | None) -> Outcome:
        return self._claim("edit", claim_id, fields, actor, reason, expected_version)

    def propose_retract(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome:
        return self._claim("retract", claim_id, {}, actor, reason, expected_version)

    def propose_restore(self, claim_id: str, actor: Actor, reason: str, expected_version: int | None) -> Outcome:
        return self._claim("restore", claim_id, {}, actor, reason, expected_version)

    def _claim(self, kind: str, claim_id: str, fields: dict[str, str], actor: Actor, reason: str,
               expected_version: int | None) -> Outcome:
        require(actor, PERMISSION_OF[kind])
        row = self.claim_row(claim_id)
        if row is None:
            raise SaveError(f"nothing was proposed: the data has no claim {claim_id}")
        return self._propose(claim_proposal(kind, claim_id, row, fields, actor, reason, expected_version))

    def approve(self, proposal_id: str, actor: Actor, reason: str, today: date | None = None) -> Outcome:
        return self._decide(proposal_id, "approved", actor, reason, today)

    def reject(self, proposal_id: str, actor: Actor, reason: str) -> Outcome:
        return self._decide(proposal_id, "rejected", actor, reason)

    def withdraw(self, proposal_id: str, actor: Actor, reason: str) -> Outcome:
        return self._decide(proposal_id, "withdrawn", actor, reason)

    def preview(self, proposal_id: str, folder: Path) -> Outcome:
        """Write the data as it would be with the proposal approved into `folder` (to show its proposer or a
        reviewer; nothing is published)."""
        found = [p for p in self.proposals() if p.proposal_id == proposal_id]
        if not found:
            raise SaveError(f"there is no proposal {proposal_id}")
        self.export(folder)
        return apply(Path(folder), found[0], check=False)


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
class CsvStore(_Proposing):
    """The data folder's CSV files, written under its lock; the history in its history.csv."""

    data_dir: Path

    def _propose(self, proposal: Proposal, today: date | None = None) -> Outcome:
        return CsvReview(self.data_dir).propose(proposal, today)

    def _decide(self, proposal_id: str, status: str, actor: Actor, reason: str, today: date | None = None
                ) -> Outcome:
        return CsvReview(self.data_dir).decide(proposal_id, status, actor, reason, today)

    def claim_row(self, claim_id: str) -> dict[str, str] | None:
        with (self.data_dir / "claims.csv").open(encoding="utf-8-sig", newline="") as handle:
            return next((row for row in csv.DictReader(handle) if row["claim_id"] == claim_id), None)

    def source_row(self, source_id: str, url: str) -> dict[str, str] | None:
        """The stored source a release would attach to (same URL or id), or None."""
        with (self.data_dir / "sources.csv").open(encoding="utf-8-sig", newline="") as handle:
            return next((row for row in csv.DictReader(handle)
                         if row["source_id"] == source_id or row["url"].strip() == url.strip()), None)

    def proposals(self) -> list[Proposal]:
        return read_proposals(self.data_dir)

    def unreadable_proposals(self) -> list[Unreadable]:
        return [p for p in read_proposals_file(self.data_dir) if isinstance(p, Unreadable)]

    def two_person_rule(self) -> bool:
        return read_two_person(self.data_dir)

    def set_two_person_rule(self, on: bool, actor: Actor, reason: str) -> list[Change]:
        return CsvReview(self.data_dir).set_two_person(on, actor, reason)

    def users(self) -> dict[str, str]:
        return read_users(self.data_dir)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]:
        who = require(actor, "manage_users").email
        email, role = checked_user(email, role)
        return set_role(self.data_dir, email, role, who, required_reason(reason))

    def signed_out_at(self, email: str) -> datetime | None:
        return read_signout(self.data_dir, email)

    def sign_out(self, email: str, when: datetime, keep: timedelta) -> None:
        record_signout(self.data_dir, email, when, keep)

    def claim_version(self, claim_id: str) -> int:
        return claim_version(self.data_dir, claim_id)

    def history(self, row_id: str | None = None) -> list[Change]:
        return read_history(self.data_dir, row_id)

    def export(self, folder: Path) -> None:
        write_folder(folder, *read_folder(self.data_dir))

    def version(self) -> str:
        return dataset_version(self.data_dir)


@dataclass(frozen=True)
class PgStore(_Proposing):
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

    def _propose(self, proposal: Proposal, today: date | None = None) -> Outcome:
        """The proposal tried with the CSV store's code on a scratch export (a draft that would break a rule is
        refused now), then kept, in one transaction under the lock."""
        with self.engine.begin() as connection, db.scratch() as folder:
            db.locked(connection)
            if proposal.kind != "release":
                check_version(db.read_history(connection, proposal.target), proposal.target,
                              proposal.data.get("expected_version"))
            db.export_to(connection, Path(folder))
            trial = apply(Path(folder), proposal, today, check=False)
            db.add_proposal(connection, proposal)
            db.add_history(connection, [proposed_change(proposal)])
        if trial.report:
            trial.report.backups, trial.report.pruned = [], 0
        return trial

    def _decide(self, proposal_id: str, status: str, actor: Actor, reason: str, today: date | None = None
                ) -> Outcome:
        """The decision, and for an approval the change made by the CSV store's code on a scratch export,
        checked against the claim's history in the database, written back with both histories in one
        transaction."""
        reason = required_reason(reason)
        with self.engine.begin() as connection, db.scratch() as folder:
            db.locked(connection)
            found = db.read_proposals(connection, proposal_id)
            if not found:
                raise SaveError(f"nothing was saved: there is no proposal {proposal_id}")
            proposal = found[0]
            if proposal_problem(proposal):
                raise SaveError(f"nothing was saved: proposal {proposal_id} cannot be read: {proposal_problem(proposal)}")
            if status == "withdrawn":
                withdrawer(proposal, actor)
            else:
                users = db.read_users(connection)
                may_decide(proposal, actor, db.read_setting(connection, TWO_PERSON, "on") != "off",
                           "approve" if status == "approved" else "reject",
                           (users, set() if users else db.removed_users(connection)))
            made = None
            if status == "approved":
                if proposal.kind != "release":
                    check_version(db.read_history(connection, proposal.target), proposal.target,
                                  proposal.data.get("expected_version"))
                db.export_to(connection, Path(folder))
                made = apply(Path(folder), proposal, today, check=False)
                if made.report:
                    made.report.backups, made.report.pruned = [], 0  # the database keeps the history instead
                db.write_tables(connection, *read_folder(Path(folder)))
                db.add_history(connection, read_history(Path(folder)))  # the scratch export has no history
                db.bump_version(connection)
            proposal = decided(proposal, status, actor, reason)
            db.update_proposal(connection, proposal)
            db.add_history(connection, decision_changes(proposal, made))
        return replace(made, proposal=proposal) if made else Outcome(proposal)

    def claim_row(self, claim_id: str) -> dict[str, str] | None:
        columns = db.columns_of("claims.csv")
        with self.engine.connect() as connection:
            row = connection.execute(sa.text(f"SELECT {', '.join(columns)} FROM claims "  # noqa: S608 - fixed
                                             "WHERE claim_id = :id"), {"id": claim_id}).first()
        return dict(zip(columns, row)) if row is not None else None

    def source_row(self, source_id: str, url: str) -> dict[str, str] | None:
        columns = db.columns_of("sources.csv")
        with self.engine.connect() as connection:
            row = connection.execute(sa.text(f"SELECT {', '.join(columns)} FROM sources "  # noqa: S608 - fixed
                                             "WHERE source_id = :id OR btrim(url) = :url LIMIT 1"),
                                     {"id": source_id, "url": url.strip()}).first()
        return dict(zip(columns, row)) if row is not None else None

    def proposals(self) -> list[Proposal]:
        with self.engine.connect() as connection:
            return [p for p in db.read_proposals(connection) if not proposal_problem(p)]

    def unreadable_proposals(self) -> list[Unreadable]:
        with self.engine.connect() as connection:
            return [Unreadable(0, p.proposal_id, proposal_problem(p)) for p in db.read_proposals(connection)
                    if proposal_problem(p)]

    def two_person_rule(self) -> bool:
        with self.engine.connect() as connection:
            return db.read_setting(connection, TWO_PERSON, "on") != "off"

    def set_two_person_rule(self, on: bool, actor: Actor, reason: str) -> list[Change]:
        require(actor, "manage_users")
        reason = required_reason(reason)
        with self.engine.begin() as connection:
            db.locked(connection)
            old = db.read_setting(connection, TWO_PERSON, "on") != "off"
            changes = setting_change(old, on, actor, reason)
            if changes:
                db.write_setting(connection, TWO_PERSON, "on" if on else "off")
                db.add_history(connection, changes)
        return changes

    def users(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return db.read_users(connection)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str) -> list[Change]:
        who = require(actor, "manage_users").email
        email, role = checked_user(email, role)
        reason = required_reason(reason)
        with self.engine.begin() as connection:
            db.locked(connection)
            changes = role_change(db.read_users(connection), email, role, who, reason)
            if changes:
                db.write_user(connection, email, role)
                db.add_history(connection, changes)
        return changes

    def signed_out_at(self, email: str) -> datetime | None:
        with self.engine.connect() as connection:
            return db.read_signout(connection, email)

    def sign_out(self, email: str, when: datetime, keep: timedelta) -> None:
        with self.engine.begin() as connection:
            db.write_signout(connection, email, when, keep)

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

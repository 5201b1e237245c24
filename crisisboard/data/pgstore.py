"""The PostgreSQL store (crisisboard.data.backends.Store): one crisis's dataset in the database
(crisisboard.data.database), changed with the CSV store's own code on a scratch export, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from crisisboard.data import database as db
from crisisboard.data.crisis import default_slug, slug_of_text
from crisisboard.data.folder import not_reproduced, read_folder
from crisisboard.data.history import Change, read_history
from crisisboard.data.proposing import Proposing
from crisisboard.data.review import (
    TWO_PERSON,
    Outcome,
    Proposal,
    Unreadable,
    apply,
    decided,
    decision_changes,
    may_decide,
    proposal_problem,
    proposed_change,
    required_reason,
    setting_change,
    withdrawer,
)
from crisisboard.data.store import SaveError, check_version
from crisisboard.data.users import Actor, Grant, checked_scope, checked_user, may_grant, require, role_change
from crisisboard.data.validate import Problem, validate_dataset


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
class PgStore(Proposing):
    """One crisis's dataset in PostgreSQL (crisisboard.data.database): `crisis` is its slug, the default
    crisis's when not given."""

    url: str
    crisis: str = field(default_factory=default_slug)

    def __post_init__(self) -> None:
        db.checked_crisis(self.crisis)

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
        named = slug_of_text(crisis)
        if named and named != self.crisis:
            line = next((i for i, text in enumerate(crisis.splitlines(), 1) if text.lstrip().startswith("slug")), 1)
            raise SaveError(f"nothing was imported: {folder} is the crisis {named}, not {self.crisis}",
                            [Problem("crisis.toml", line, "slug", f"is {named}: import it as that crisis")])
        with self.engine.begin() as connection:
            db.locked(connection)
            before, before_crisis = db.read_tables(connection, self.crisis) \
                if db.has_data(connection, self.crisis) else ({}, "")
            if before == tables and before_crisis == crisis:
                return ImportReport(unchanged=True)
            changes = db.diff_changes(before, tables, who, reason)
            db.write_tables(connection, self.crisis, tables, crisis)
            db.add_history(connection, self.crisis, changes)
            db.bump_version(connection, self.crisis)
        return ImportReport(changes=changes, rewritten=not_reproduced(Path(folder)))

    def _propose(self, proposal: Proposal, today: date | None = None) -> Outcome:
        """The proposal tried with the CSV store's code on a scratch export (a draft that would break a rule is
        refused now), then kept, in one transaction under the lock."""
        with self.engine.begin() as connection, db.scratch() as folder:
            db.locked(connection)
            if proposal.kind != "release":
                check_version(db.read_history(connection, self.crisis, proposal.target), proposal.target,
                              proposal.data.get("expected_version"))
            self._export(connection, Path(folder))
            trial = apply(Path(folder), proposal, today, check=False)
            db.add_proposal(connection, self.crisis, proposal)
            db.add_history(connection, self.crisis, [proposed_change(proposal)])
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
            found = db.read_proposals(connection, self.crisis, proposal_id)
            if not found:
                raise SaveError(f"nothing was saved: there is no proposal {proposal_id}")
            proposal = found[0]
            if proposal_problem(proposal):
                raise SaveError(f"nothing was saved: proposal {proposal_id} cannot be read: {proposal_problem(proposal)}")
            if status == "withdrawn":
                withdrawer(proposal, actor)
            else:
                users = db.read_users(connection, self.crisis)
                may_decide(proposal, actor, db.read_setting(connection, self.crisis, TWO_PERSON, "on") != "off",
                           "approve" if status == "approved" else "reject",
                           (users, set() if users else db.removed_users(connection, self.crisis)))
            made = None
            if status == "approved":
                if proposal.kind != "release":
                    check_version(db.read_history(connection, self.crisis, proposal.target), proposal.target,
                                  proposal.data.get("expected_version"))
                self._export(connection, Path(folder))
                made = apply(Path(folder), proposal, today, check=False)
                if made.report:
                    made.report.backups, made.report.pruned = [], 0  # the database keeps the history instead
                db.write_tables(connection, self.crisis, *read_folder(Path(folder)))
                # the scratch export has no history
                db.add_history(connection, self.crisis, read_history(Path(folder)))
                db.bump_version(connection, self.crisis)
            proposal = decided(proposal, status, actor, reason)
            db.update_proposal(connection, self.crisis, proposal)
            db.add_history(connection, self.crisis, decision_changes(proposal, made))
        return replace(made, proposal=proposal) if made else Outcome(proposal)

    def claim_row(self, claim_id: str) -> dict[str, str] | None:
        columns = db.columns_of("claims.csv")
        with self.engine.connect() as connection:
            row = connection.execute(sa.text(f"SELECT {', '.join(columns)} FROM claims "  # noqa: S608 - fixed
                                             "WHERE crisis = :crisis AND claim_id = :id"),
                                     {"crisis": self.crisis, "id": claim_id}).first()
        return dict(zip(columns, row)) if row is not None else None

    def source_row(self, source_id: str, url: str) -> dict[str, str] | None:
        columns = db.columns_of("sources.csv")
        with self.engine.connect() as connection:
            row = connection.execute(sa.text(f"SELECT {', '.join(columns)} FROM sources "  # noqa: S608 - fixed
                                             "WHERE crisis = :crisis AND (source_id = :id OR btrim(url) = :url) "
                                             "LIMIT 1"),
                                     {"crisis": self.crisis, "id": source_id, "url": url.strip()}).first()
        return dict(zip(columns, row)) if row is not None else None

    def proposals(self) -> list[Proposal]:
        with self.engine.connect() as connection:
            return [p for p in db.read_proposals(connection, self.crisis) if not proposal_problem(p)]

    def unreadable_proposals(self) -> list[Unreadable]:
        with self.engine.connect() as connection:
            return [Unreadable(0, p.proposal_id, proposal_problem(p))
                    for p in db.read_proposals(connection, self.crisis) if proposal_problem(p)]

    def two_person_rule(self) -> bool:
        with self.engine.connect() as connection:
            return db.read_setting(connection, self.crisis, TWO_PERSON, "on") != "off"

    def set_two_person_rule(self, on: bool, actor: Actor, reason: str) -> list[Change]:
        require(actor, "manage_users")
        reason = required_reason(reason)
        with self.engine.begin() as connection:
            db.locked(connection)
            old = db.read_setting(connection, self.crisis, TWO_PERSON, "on") != "off"
            changes = setting_change(old, on, actor, reason)
            if changes:
                db.write_setting(connection, self.crisis, TWO_PERSON, "on" if on else "off")
                db.add_history(connection, self.crisis, changes)
        return changes

    def users(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return db.read_users(connection, self.crisis)

    def grants(self) -> list[Grant]:
        with self.engine.connect() as connection:
            return db.read_grants(connection)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str,
                 scope: str | None = None) -> list[Change]:
        """A role on this crisis, on another (`scope` its slug) or on all (`scope` ALL_CRISES), as
        crisisboard.data.users.may_grant allows; recorded in the history of the crisis it is on."""
        require(actor, "manage_users")
        scope = self.crisis if scope is None else checked_scope(scope)
        email, role = checked_user(email, role)
        reason = required_reason(reason)
        with self.engine.begin() as connection:
            db.locked(connection)
            grants = db.read_grants(connection)
            who = may_grant(actor, grants, self.crisis, scope).email
            changes = role_change(grants, email, role, who, reason, scope, self.crisis)
            if changes:
                db.write_user(connection, email, role, scope)
                db.add_history(connection, scope, changes)
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
            return db.read_history(connection, self.crisis, row_id)

    def _export(self, connection: sa.Connection, folder: Path) -> None:
        if not db.has_data(connection, self.crisis):
            raise SaveError(f"nothing was saved: the database holds no data of the crisis {self.crisis}; import "
                            "its folder first (python -m crisisboard db import DIR)")
        db.export_to(connection, self.crisis, folder)

    def export(self, folder: Path) -> None:
        with self.engine.connect() as connection:
            self._export(connection, Path(folder))

    def version(self) -> str:
        with self.engine.connect() as connection:
            return f"db-{db.data_version(connection, self.crisis)}"

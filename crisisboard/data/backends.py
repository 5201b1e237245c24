"""One store interface, two backends: the CSV files of a data folder (the embedded default: ``make run`` needs
no server) and PostgreSQL when ``CRISISBOARD_DATABASE_URL`` is set. tests/test_store_contract.py runs the same
tests against both.

Either way a change is validated like a save, refused whole with the usual ``file:line: field: rule``
problems, and recorded in the history with who made it and why (crisisboard.data.history).

A store is one crisis's (:func:`open_store` of its folder): the CSV store is the folder's files; PostgreSQL
holds several crises and a PgStore reads and writes only the rows of its own (``crisis``, its slug).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from crisisboard.data.crisis import crisis_slug
from crisisboard.data.folder import read_folder, write_folder
from crisisboard.data.history import Change, read_history
from crisisboard.data import database as db
from crisisboard.data.load import dataset_version
from crisisboard.data.mirror import crisis_of
from crisisboard.data.pgstore import ImportReport, PgStore
from crisisboard.data.proposing import Proposing
from crisisboard.data.review import (
    CsvReview,
    Outcome,
    Proposal,
    Unreadable,
    read_proposals,
    read_proposals_file,
    read_two_person,
    required_reason,
)
from crisisboard.data.sessions import read_signout, record_signout
from crisisboard.data.store import SaveError, claim_version
from crisisboard.data.users import ALL_CRISES, Actor, Grant, checked_scope, checked_user, may_grant, read_grants, \
    read_users, set_role

__all__ = ["CsvStore", "ImportReport", "PgStore", "Store", "open_store"]


class Store(Protocol):
    """Every write takes the Actor who makes it and checks its role first (crisisboard.data.users). The data is
    changed only by approving a proposal (crisisboard.data.review): nothing is published unreviewed."""

    crisis: str  # the slug of the crisis whose data it is (crisisboard.data.crisis.crisis_slug)

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

    def users(self) -> dict[str, str]: ...  # each email's role on this store's crisis

    def grants(self) -> list[Grant]: ...  # the roles as given: for this crisis, for all, (PostgreSQL) for others

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str,
                 scope: str | None = None) -> list[Change]: ...  # scope None: this crisis; "": all crises

    def signed_out_at(self, email: str) -> datetime | None: ...  # crisisboard.data.sessions

    def sign_out(self, email: str, when: datetime, keep: timedelta) -> None: ...

    def claim_version(self, claim_id: str) -> int: ...

    def history(self, row_id: str | None = None) -> list[Change]: ...

    def export(self, folder: Path) -> None: ...

    def version(self) -> str: ...


@dataclass(frozen=True)
class CsvStore(Proposing):
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

    @property
    def crisis(self) -> str:
        return crisis_slug(self.data_dir)

    def users(self) -> dict[str, str]:
        return read_users(self.data_dir)

    def grants(self) -> list[Grant]:
        return read_grants(self.data_dir)

    def set_role(self, email: str, role: str | None, actor: Actor, reason: str,
                 scope: str | None = None) -> list[Change]:
        """A role on this folder's crisis or (`scope` ALL_CRISES) on all; users.csv gives no other crisis's (a
        row for one is only ever removed)."""
        own = self.crisis
        scope = own if scope is None else checked_scope(scope)
        if scope not in (own, ALL_CRISES) and role is not None:  # taking a role away never widens one
            raise SaveError(f"nothing was saved: the users.csv of {self.data_dir} gives roles on {own} or on all "
                            f"crises, not on {scope}")
        who = may_grant(actor, self.grants(), own, scope).email
        email, role = checked_user(email, role)
        return set_role(self.data_dir, email, role, who, required_reason(reason), scope)

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


def open_store(data_dir: Path) -> Store:
    """The store of the crisis of `data_dir`: PostgreSQL when CRISISBOARD_DATABASE_URL is set, scoped to the
    crisis the folder holds (crisisboard.data.mirror.crisis_of: a crisis folder, or the local copy of one),
    else the CSV files of `data_dir`."""
    url = os.environ.get(db.ENV_URL, "").strip()
    return PgStore(url, crisis_of(Path(data_dir))) if url else CsvStore(Path(data_dir))

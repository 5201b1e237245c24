"""Draft → review → published (issue #19): nothing reaches the charts, exports or packs unchecked.

Adding a release, editing a claim, retracting or restoring one each save a :class:`Proposal` first. The
proposal is tried on a scratch copy of the data when it is made (so a draft that would break a rule is refused
at once, with the problems), and waits in the review queue, oldest first. A reviewer approves it, which makes
the change (validated again, on the data as it is then, in the same lock or transaction as the approval), or
rejects it with a reason; its proposer may withdraw it. The data files hold published claims only.

The two-person rule is on by default: the reviewer who approves or rejects must not be the proposer. An admin
can switch it off for a one-person desk; the switch, who made it and why, go into the history like any
change. Every proposal, approval, rejection and withdrawal is recorded there too; the changes an approval
makes are recorded with the proposer's name and reason, followed by the approval with the reviewer's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path

from crisisboard.data import schema
from crisisboard.data.crisis import CRISIS_FILE
from crisisboard.data.csvtext import raise_field_limit
from crisisboard.data.history import HISTORY_FILE, Change, append_history, now, read_history
from crisisboard.data.store import (
    ConflictError,
    SaveError,
    SaveReport,
    append_release,
    atomic_write,
    change_claim,
    check_version,
    folder_lock,
    restore_claim,
    retract_claim,
)
from crisisboard.data.limits import check_payload, check_release_size
from crisisboard.data.proposals import (  # noqa: F401 - the review's names, kept here for their users
    COLUMNS,
    KINDS,
    PERMISSION_OF,
    PROPOSALS_FILE,
    SETTINGS_FILE,
    STATUSES,
    TWO_PERSON,
    Proposal,
    Unreadable,
    parse_proposals,
    parse_proposals_file,
    proposal_problem,
    proposals_text,
    read_proposals,
    read_proposals_file,
    split_proposals,
)
from crisisboard.data.review_checks import clean_reason, editable_fields, release_fields, roles_recheck
from crisisboard.data.users import Actor, PermissionDenied, read_users, require





@dataclass
class Outcome:
    """A proposal and what its change made (an approval) or would make (the trial when it was proposed): the
    release's report (claims added, duplicates left out) or the claim's changes; neither for a rejection."""

    proposal: Proposal
    report: SaveReport | None = None
    changes: list[Change] | None = None

    def proposed_sentence(self) -> str:
        """What the proposal would do once approved, for the page that made it."""
        p = self.proposal
        if self.report is not None:
            would = f"{len(self.report.claim_ids)} claim(s) for source {self.report.source_id}"
            if self.report.source_added:
                would += ", and the source"
            if self.report.duplicates:
                would += f"; {len(self.report.duplicates)} duplicate(s) left out (same source and quote already saved)"
        else:
            would = f"{len(self.changes or [])} change(s) of {p.target}"
        return (f"Proposal {p.proposal_id} saved: {would}. Nothing is published until a reviewer "
                f"approves it on the Review page.")


def required_reason(reason: str, what: str = "the reason goes into the history") -> str:
    """The reason, cleaned and within its bound (crisisboard.data.review_checks.clean_reason)."""
    return clean_reason(reason, what)


def _new_id(kind: str, payload: str, who: str, at: str) -> str:
    return "p-" + hashlib.sha256(f"{kind}\n{payload}\n{who}\n{at}".encode()).hexdigest()[:12]


def release_proposal(source: dict[str, str], claims: list[dict[str, str]], actor: Actor, reason: str) -> Proposal:
    """A proposal to add a release's claims (and its source, unless the data already has it)."""
    who = require(actor, "propose").email
    if not claims:
        raise SaveError("nothing was proposed: tick at least one claim")
    check_release_size(claims)
    release_fields(source, claims)
    reason = required_reason(reason)
    payload = check_payload(json.dumps({"source": source, "claims": claims}, ensure_ascii=False, sort_keys=True))
    at = now()
    summary = (f"{len(claims)} claim(s) from {source.get('publisher', '').strip() or '?'}, "
               f"{source.get('published', '').strip() or '?'}: "
               + "; ".join(f"{c.get('figure_text', '')} ({c.get('metric', '')})" for c in claims[:3])
               + ("; …" if len(claims) > 3 else ""))
    return Proposal(_new_id("release", payload, who, at), "release", source.get("url", "").strip(), summary[:300],
                    payload, who, at, reason)


def claim_proposal(kind: str, claim_id: str, row: dict[str, str], fields_: dict[str, str], actor: Actor,
                   reason: str, expected_version: int | None) -> Proposal:
    """A proposal to edit, retract or restore one claim; `row` is the claim as the proposer saw it."""
    if kind not in KINDS[1:]:
        raise SaveError(f"not a kind of change: {kind!r}")
    who = require(actor, PERMISSION_OF[kind]).email
    changed = {f: v for f, v in editable_fields(fields_).items() if (row.get(f, "") or "") != v}
    if kind == "edit" and not changed:
        raise SaveError("nothing was proposed: no field differs from the claim as it is")
    reason = required_reason(reason)
    payload = check_payload(json.dumps({"claim_id": claim_id, "fields": changed,
                                        "old": {f: row.get(f, "") or "" for f in changed},
                                        "expected_version": expected_version}, ensure_ascii=False))
    at = now()
    what = {"edit": f"edit {', '.join(changed)} of", "retract": "retract", "restore": "restore"}[kind]
    summary = f"{what} {claim_id} ({row.get('figure_text', '')}, {row.get('claimant', '')})"
    return Proposal(_new_id(kind, payload, who, at), kind, claim_id, summary[:300], payload, who, at, reason)


def apply(folder: Path, proposal: Proposal, today: date | None = None, check: bool = True) -> Outcome:
    """Make the proposal's change in the data folder `folder`, as its proposer, with the proposer's reason
    (validated like any save; SaveError or ConflictError and nothing written when it cannot be made)."""
    data = proposal.data
    who, reason = proposal.proposed_by, proposal.reason
    decision = Outcome(proposal)
    expected = data.get("expected_version") if check else None
    if proposal.kind == "release":
        decision.report = append_release(folder, data["source"], data["claims"], today, who=who, reason=reason)
        if not decision.report.claim_ids and not decision.report.source_added:
            raise SaveError("nothing was saved: every claim of this release is in the data already (same source "
                            "and quote)")
    elif proposal.kind == "edit":
        decision.changes = change_claim(folder, data["claim_id"], data["fields"], who, reason, expected,
                                        today=today)
    elif proposal.kind == "retract":
        decision.changes = retract_claim(folder, data["claim_id"], who, reason, expected, today)
    else:
        decision.changes = restore_claim(folder, data["claim_id"], who, reason, expected, today)
    return decision


def trial_copy(data_dir: Path, into: Path) -> Path:
    """Copy what a trial of a change needs (the data files, crisis.toml and the history) into `into`."""
    for name in (*schema.FILES, CRISIS_FILE, HISTORY_FILE):
        if (Path(data_dir) / name).exists():
            shutil.copy2(Path(data_dir) / name, into / name)
    return into


def tried(folder: Path, proposal: Proposal, today: date | None = None) -> Outcome:
    """Try the proposal on a scratch copy of `folder` (the data itself is not touched)."""
    with tempfile.TemporaryDirectory(prefix="crisisboard-trial-") as scratch:
        return apply(trial_copy(folder, Path(scratch)), proposal, today)


def may_decide(proposal: Proposal, actor: Actor, two_person: bool, action: str,
               roles: tuple[dict[str, str], set[str]] = ({}, set())) -> Actor:
    """The actor, when they may approve or reject the proposal; PermissionDenied saying why otherwise.

    `roles`: the store's users now (email -> role) and the emails whose role the history says was removed;
    the approver must still be a reviewer, and for an approval the proposer must still hold the role that
    made the proposal (crisisboard.data.review_checks.roles_recheck)."""
    require(actor, "review")
    if proposal.status != "pending":
        raise SaveError(f"nothing was saved: proposal {proposal.proposal_id} is {proposal.status} already "
                        f"(by {proposal.decided_by} at {proposal.decided_at})")
    if two_person and actor.email == proposal.proposed_by:
        raise PermissionDenied(f"nothing was saved: {actor.email} proposed {proposal.proposal_id}, and the two-person "
                               f"rule is on: another reviewer must {action} it")
    roles_recheck(proposal.proposed_by, PERMISSION_OF[proposal.kind] if action == "approve" else None, actor,
                  *roles, proposal.proposal_id)
    return actor


def removed_roles(history: list[Change]) -> set[str]:
    """The emails whose role the history says was removed (some may have one again: see current_role)."""
    return {c.row_id for c in history if c.table == "users" and c.new == "(removed)"}


def decided(proposal: Proposal, status: str, actor: Actor, reason: str) -> Proposal:
    return replace(proposal, status=status, decided_by=actor.email, decided_at=now(), decision_reason=reason)


def decision_changes(proposal: Proposal, decision: Outcome | None) -> list[Change]:
    """The history of a decision: one line for the proposal, and for an approval one per claim it changed."""
    action = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}[proposal.status]
    at, who, reason = proposal.decided_at, proposal.decided_by, proposal.decision_reason
    changes = [Change(at, who, action, "proposals", proposal.proposal_id, new=proposal.summary, reason=reason)]
    if decision is not None:
        claim_ids = decision.report.claim_ids if decision.report else \
            sorted({c.row_id for c in decision.changes or [] if c.table == "claims"})
        changes += [Change(at, who, action, "claims", claim_id, new=proposal.proposal_id, reason=reason)
                    for claim_id in claim_ids]
    return changes


def proposed_change(proposal: Proposal) -> Change:
    return Change(proposal.proposed_at, proposal.proposed_by, "propose", "proposals", proposal.proposal_id,
                  new=proposal.summary, reason=proposal.reason)


def setting_change(old: bool, on: bool, actor: Actor, reason: str) -> list[Change]:
    if old == on:
        return []
    return [Change(now(), actor.email, "setting", "settings", TWO_PERSON, "value", "on" if old else "off",
                   "on" if on else "off", reason)]


# --- the CSV files: proposals.csv and settings.csv beside the data --------------------------------------------

def read_two_person(data_dir: Path) -> bool:
    """Whether the two-person rule is on (it is unless an admin switched it off)."""
    path = Path(data_dir) / SETTINGS_FILE
    if not path.exists():
        return True
    raise_field_limit()
    values = {row.get("key"): row.get("value") for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}
    return values.get(TWO_PERSON, "on") != "off"


class CsvReview:
    """The review of a CSV data folder: proposals.csv, settings.csv, changes made under the folder's lock."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)

    def propose(self, proposal: Proposal, today: date | None = None) -> Outcome:
        with folder_lock(self.data_dir):
            trial = tried(self.data_dir, proposal, today)
            proposals = read_proposals_file(self.data_dir)
            atomic_write(self.data_dir / PROPOSALS_FILE, proposals_text([*proposals, proposal]))
            append_history(self.data_dir, [proposed_change(proposal)])
        return trial

    def _find(self, proposal_id: str) -> tuple[list[Proposal | Unreadable], int]:
        proposals = read_proposals_file(self.data_dir)
        for i, proposal in enumerate(proposals):
            if isinstance(proposal, Proposal) and proposal.proposal_id == proposal_id:
                return proposals, i
        raise SaveError(f"nothing was saved: there is no proposal {proposal_id}")

    def decide(self, proposal_id: str, status: str, actor: Actor, reason: str, today: date | None = None
               ) -> Outcome:
        reason = required_reason(reason)
        with folder_lock(self.data_dir):
            proposals, i = self._find(proposal_id)
            proposals_text(proposals)  # refused here, before any change, when the file cannot be rewritten whole
            proposal = proposals[i]
            if status == "withdrawn":
                withdrawer(proposal, actor)
            else:
                users = read_users(self.data_dir)
                may_decide(proposal, actor, read_two_person(self.data_dir),
                           "approve" if status == "approved" else "reject",
                           (users, set() if users else removed_roles(read_history(self.data_dir))))
            made = apply(self.data_dir, proposal, today) if status == "approved" else None
            proposals[i] = decided(proposal, status, actor, reason)
            atomic_write(self.data_dir / PROPOSALS_FILE, proposals_text(proposals))
            append_history(self.data_dir, decision_changes(proposals[i], made))
        return replace(made, proposal=proposals[i]) if made else Outcome(proposals[i])

    def set_two_person(self, on: bool, actor: Actor, reason: str) -> list[Change]:
        require(actor, "manage_users")
        reason = required_reason(reason)
        with folder_lock(self.data_dir):
            changes = setting_change(read_two_person(self.data_dir), on, actor, reason)
            if changes:
                atomic_write(self.data_dir / SETTINGS_FILE, f"key,value\n{TWO_PERSON},{'on' if on else 'off'}\n")
                append_history(self.data_dir, changes)
        return changes


def withdrawer(proposal: Proposal, actor: Actor) -> Actor:
    """The proposer, who may withdraw their own pending proposal; PermissionDenied for anyone else."""
    if not isinstance(actor, Actor) or actor.email != proposal.proposed_by or not actor.may("propose"):
        raise PermissionDenied(f"nothing was saved: only {proposal.proposed_by} may withdraw {proposal.proposal_id}")
    if proposal.status != "pending":
        raise SaveError(f"nothing was saved: proposal {proposal.proposal_id} is {proposal.status} already")
    return actor


def pending_first(proposals: list[Proposal]) -> list[Proposal]:
    """Pending proposals oldest first, then the decided ones newest first."""
    pending = sorted((p for p in proposals if p.status == "pending"), key=lambda p: (p.proposed_at, p.proposal_id))
    done = sorted((p for p in proposals if p.status != "pending"), key=lambda p: p.decided_at, reverse=True)
    return pending + done


__all__ = ["ConflictError", "Outcome", "Proposal", "CsvReview", "KINDS", "STATUSES", "Unreadable"]

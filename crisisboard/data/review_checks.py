"""What the review store checks before it keeps or decides a proposal (issue #30): reasons bounded and cleaned,
only the fields a proposal may set, and the current roles of both the proposer and the approver.

- A reason is one paragraph at most (limits.MAX_REASON_CHARS); control characters, line breaks and
  bidirectional overrides become spaces (a reason is shown on pages and in the history, never run: the store
  keeps what was typed otherwise, and every download neutralises spreadsheet formulas).
- An edit may set only schema.EDITABLE (a claim's id, its source and ``retracted`` are not among them: a
  retraction is proposed by a reviewer, as a retraction); a release's claims and source only the data model's
  columns.
- Approving re-reads the roles the store holds now: a proposal whose proposer has lost the role that made it
  cannot be approved, and an approver who has lost the reviewer role cannot approve.
"""

from __future__ import annotations

import re

from crisisboard.data import schema
from crisisboard.data.limits import MAX_REASON_CHARS, check_length
from crisisboard.data.store import SaveError
from crisisboard.data.users import LOCAL_ADMIN, PERMISSIONS, Actor, PermissionDenied

UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RELEASE_CLAIM_FIELDS = tuple(c for c in schema.CLAIM_FIELDS if c not in ("claim_id", "source_id"))


def clean_reason(reason: str, what: str = "the reason goes into the history") -> str:
    """The reason, stripped, its control characters made spaces; SaveError when empty or over the bound."""
    cleaned = re.sub(r" {2,}", " ", UNSAFE_RE.sub(" ", reason or "")).strip()
    if not cleaned:
        raise SaveError(f"nothing was saved: say why in a line ({what})")
    check_length("the reason (Why)", cleaned, MAX_REASON_CHARS)
    return cleaned


def editable_fields(fields: dict[str, str]) -> dict[str, str]:
    """`fields` when an edit may set each of them (schema.EDITABLE); SaveError naming the others."""
    refused = sorted(set(fields) - set(schema.EDITABLE))
    if refused:
        retraction = " (a retraction is proposed with Retract, by a reviewer)" if "retracted" in refused else ""
        raise SaveError(f"nothing was proposed: {', '.join(refused)} cannot be changed by an edit{retraction}")
    return fields


def release_fields(source: dict[str, str], claims: list[dict[str, str]]) -> None:
    """SaveError when the release's source or a claim has a field the data model does not have (or one only
    the store sets: a claim's id, its source, its retraction)."""
    unknown_source = sorted(set(source) - set(schema.SOURCE_COLUMNS))
    unknown_claims = sorted({f for c in claims for f in c} - set(RELEASE_CLAIM_FIELDS))
    if unknown_source or unknown_claims:
        said = [f"the source's {', '.join(unknown_source)}"] if unknown_source else []
        said += [f"a claim's {', '.join(unknown_claims)}"] if unknown_claims else []
        raise SaveError(f"nothing was proposed: {' and '.join(said)} cannot be set by a release")


def current_role(email: str, users: dict[str, str], removed: set[str], claimed: str | None) -> str | None:
    """The role the store gives `email` now (None: none).

    "local" (local mode) is the admin at the keyboard. A store that keeps no users at all (a store used by
    tests or scripts, or local mode) gives the role `claimed`, unless the history records that this email's
    role was removed."""
    if email == LOCAL_ADMIN.email:
        return LOCAL_ADMIN.role
    if email in users:
        return users[email]
    if users or email in removed:
        return None
    return claimed


def roles_recheck(proposed_by: str, needed: str | None, actor: Actor, users: dict[str, str], removed: set[str],
                  proposal_id: str) -> None:
    """PermissionDenied when the approver or the proposer no longer holds the role it takes (the store's
    roles now: `users`, and `removed`, the emails whose role the history says was removed). `needed`: the
    permission the proposal took (an approval), or None (a rejection: only the reviewer is checked)."""
    approver = current_role(actor.email, users, removed, actor.role)
    if approver not in PERMISSIONS["review"]:
        raise PermissionDenied(f"nothing was saved: {actor.email} no longer has a reviewer's role (now: "
                               f"{approver or 'none'}), so may not decide {proposal_id}; ask an admin")
    if needed is None:
        return
    proposer = current_role(proposed_by, users, removed, PERMISSIONS[needed][0])
    if proposer not in PERMISSIONS[needed]:
        raise PermissionDenied(f"nothing was saved: {proposed_by}, who proposed {proposal_id}, no longer has a "
                               f"role that may propose it (now: {proposer or 'none'}), so it cannot be approved. "
                               "Reject it, or ask an admin to give the role back first")

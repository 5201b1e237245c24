"""Who may do what (issue #19): roles kept in the store, keyed on the verified email of whoever signed in.

- ``viewer`` reads (anonymous visitors are viewers);
- ``analyst`` also proposes claims (adds releases) and edits of claims;
- ``reviewer`` also proposes retractions and restorations, and approves or rejects others' proposals
  (crisisboard.data.review: nothing is published unreviewed);
- ``admin`` also manages users and the two-person rule.

Every write of the stores (crisisboard.data.backends) checks the actor's role itself, whatever a page shows.
The CSV store keeps the roles in ``users.csv`` beside the data; PostgreSQL in its ``users`` table; every change
of a role goes into the history like any other change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from crisisboard.data.history import Change, now
from crisisboard.data.identity import check_distinct, fold_email, normalise_email
from crisisboard.data.store import SaveError, rewrite

ROLES = ("viewer", "analyst", "reviewer", "admin")
PERMISSIONS = {
    "propose": ("analyst", "reviewer", "admin"),  # a release or an edit, as a proposal (crisisboard.data.review)
    "retract": ("reviewer", "admin"),  # propose a retraction or a restoration
    "review": ("reviewer", "admin"),  # approve or reject another's proposal
    "manage_users": ("admin",),  # users, and the two-person rule
}
USERS_FILE = "users.csv"


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change: the verified email (or "local" in local mode) and the role the store gives it.
    `ended` says why a signed-in visitor has no role now ("signed out", "expired"; crisisboard.data.sessions)."""

    email: str
    role: str
    ended: str = field(default="", compare=False)

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


LOCAL_ADMIN = Actor("local", "admin")  # local mode: no sign-in configured and the server on loopback only
ANONYMOUS = Actor("anonymous", "viewer")


class PermissionDenied(SaveError):
    """The actor's role does not allow the change: nothing was written."""


def require(actor: Actor | None, action: str) -> Actor:
    """`actor` when its role allows `action`, else PermissionDenied (never a write by an unknown actor)."""
    if actor is None or not isinstance(actor, Actor) or not actor.may(action):
        who = f"{actor.email} ({actor.role})" if isinstance(actor, Actor) else "an anonymous visitor"
        needed = " or ".join(PERMISSIONS[action])
        raise PermissionDenied(f"nothing was saved: {who} may not {action.replace('_', ' ')}; that needs the "
                               f"role {needed}")
    return actor


def checked_user(email: str, role: str | None) -> tuple[str, str | None]:
    """The email in its one spelling (crisisboard.data.identity.normalise_email) and the role, or SaveError
    naming what is wrong. With no role (removing one), any spelling that folds to the stored address will do."""
    if role is None:
        return fold_email(email), None
    email = normalise_email(email)
    if role not in ROLES:
        raise SaveError(f"not a role: {role!r}; one of {', '.join(ROLES)}")
    return email, role


def parse_users(text: str) -> dict[str, str]:
    return {row["email"]: row["role"] for row in csv.DictReader(io.StringIO(text))} if text.strip() else {}


def read_users(data_dir: Path) -> dict[str, str]:
    path = Path(data_dir) / USERS_FILE
    return parse_users(path.read_text(encoding="utf-8")) if path.exists() else {}


def role_change(users: dict[str, str], email: str, role: str | None, who: str, reason: str) -> list[Change]:
    """The history of giving `email` the `role` (None: removing it), or none when it has that already.
    SaveError when giving a role to an address that looks like another address with a role."""
    old = users.get(email, "")
    if role:
        check_distinct(email, users)
    if (role or "") == old:
        return []
    return [Change(now(), who, "edit", "users", email, "role", old, role or "(removed)", reason)]


def set_role(data_dir: Path, email: str, role: str | None, who: str, reason: str) -> list[Change]:
    """Give `email` the `role` in users.csv (None: remove it), recorded in the history."""
    if not reason.strip():
        raise SaveError("nothing was saved: say why in a line (the reason goes into the history)")

    def change(text: str) -> tuple[str, list[Change]]:
        users = parse_users(text)
        changes = role_change(users, email, role, who, reason)
        if role:
            users[email] = role
        else:
            users.pop(email, None)
        return users_text(users), changes

    return rewrite(data_dir, USERS_FILE, change)


def users_text(users: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("email", "role"))
    writer.writerows(sorted(users.items()))
    return out.getvalue()

"""Who may do what (issue #19): roles kept in the store, keyed on the verified email of whoever signed in.

- ``viewer`` reads (anonymous visitors are viewers);
- ``analyst`` also proposes claims (adds releases) and edits of claims;
- ``reviewer`` also proposes retractions and restorations, and approves or rejects others' proposals
  (crisisboard.data.review: nothing is published unreviewed);
- ``admin`` also manages users and the two-person rule.

Reviewers and admins also publish an edition of the approved data from the app (``publish``).

Every write of the stores (crisisboard.data.backends) checks the actor's role itself, whatever a page shows.
The CSV store keeps the roles in ``users.csv`` beside the data; PostgreSQL in its ``users`` table; every change
of a role goes into the history like any other change.

A role is given for one crisis (its slug, crisisboard.data.crisis.crisis_slug) or for all crises (the crisis
left empty, :data:`ALL_CRISES`): :func:`roles_on` gives each email's role on a crisis. A role given for crisis
X gives nothing on crisis Y; a role given for X itself wins over one given for all crises, so an admin can also
narrow someone's role on one crisis. Giving or taking a role beyond the crisis one manages needs more
(:func:`may_grant`): an admin of that other crisis, or for all crises an admin of every crisis. A users.csv
without the ``crisis`` column (written before crises had scopes) gives its roles on its own folder's crisis
only, never on all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from crisisboard.data.crisis import SLUG_PATTERN, crisis_slug
from crisisboard.data.history import Change, now
from crisisboard.data.identity import check_distinct, fold_email, normalise_email
from crisisboard.data.store import SaveError, rewrite

ROLES = ("viewer", "analyst", "reviewer", "admin")
PERMISSIONS = {
    "propose": ("analyst", "reviewer", "admin"),  # a release or an edit, as a proposal (crisisboard.data.review)
    "retract": ("reviewer", "admin"),  # propose a retraction or a restoration
    "review": ("reviewer", "admin"),  # approve or reject another's proposal
    "manage_users": ("admin",),  # users, and the two-person rule
    "publish": ("reviewer", "admin"),  # make a public edition of the approved data (crisisboard.publish.from_store)
}
USERS_FILE = "users.csv"
USERS_COLUMNS = ("email", "role", "crisis")
ALL_CRISES = ""  # the crisis of a role given for every crisis


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change: the verified email (or "local" in local mode) and the role the store gives it.
    `ended` says why a signed-in visitor has no role now ("signed out", "expired"; crisisboard.data.sessions)."""

    email: str
    role: str
    ended: str = field(default="", compare=False)
    all_crises: bool = field(default=False, compare=False)  # whoever holds the data itself: local mode, the shell

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


@dataclass(frozen=True)
class Grant:
    """A role given to an email on one crisis, or (`crisis` :data:`ALL_CRISES`) on all."""

    email: str
    role: str
    crisis: str = ALL_CRISES

    def scope(self) -> str:
        return self.crisis or "all crises"


def roles_on(grants: list[Grant], crisis: str) -> dict[str, str]:
    """Each email's role on `crisis`: the one given for it, else the one given for all crises."""
    roles = {g.email: g.role for g in grants if g.crisis == ALL_CRISES}
    roles.update({g.email: g.role for g in grants if g.crisis == crisis and crisis != ALL_CRISES})
    return roles


def may_grant(actor: Actor, grants: list[Grant], own: str, scope: str) -> Actor:
    """`actor`, who manages the roles of crisis `own`, when they may also give or take a role on `scope`, else
    PermissionDenied: a role on `own` needs an admin of `own`; on another crisis, an admin of that crisis; on all
    crises, an admin of every crisis (given admin for all crises, and nothing less on any one)."""
    require(actor, "manage_users")
    if scope == own or actor.all_crises:
        return actor
    if scope == ALL_CRISES:
        mine = [g for g in grants if g.email == actor.email]
        allowed = any(g.crisis == ALL_CRISES and g.role == "admin" for g in mine) and \
            all(g.role == "admin" for g in mine)
    else:
        allowed = roles_on(grants, scope).get(actor.email) == "admin"
    if not allowed:
        raise PermissionDenied(f"nothing was saved: {actor.email} may manage the roles of {own} only; a role on "
                               f"{scope or 'all crises'} needs an admin of {scope or 'every crisis'}")
    return actor

LOCAL_ADMIN = Actor("local", "admin", all_crises=True)  # local mode: no sign-in configured and the server on loopback only
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


def parse_grants(text: str, own: str) -> list[Grant]:
    """The roles of a users.csv's text; a row with no ``crisis`` column (an older file) is a role on `own`,
    the crisis of the folder the file is in."""
    if not text.strip():
        return []
    return [Grant(row["email"], row["role"], own if row.get("crisis") is None else row["crisis"].strip())
            for row in csv.DictReader(io.StringIO(text))]


def read_grants(data_dir: Path) -> list[Grant]:
    path = Path(data_dir) / USERS_FILE
    return parse_grants(path.read_text(encoding="utf-8"), crisis_slug(data_dir)) if path.exists() else []


def read_users(data_dir: Path) -> dict[str, str]:
    """Each email's role on the crisis of `data_dir` (:func:`roles_on`)."""
    return roles_on(read_grants(data_dir), crisis_slug(data_dir))


def checked_scope(scope: str) -> str:
    """`scope` when it is :data:`ALL_CRISES` or a crisis's slug, else SaveError."""
    if scope != ALL_CRISES and not SLUG_PATTERN.match(scope):
        raise SaveError(f"not a crisis: {scope!r}; a crisis's slug (a-z, 0-9, _ and -), or empty for all crises")
    return scope


def role_change(grants: list[Grant], email: str, role: str | None, who: str, reason: str,
                scope: str = ALL_CRISES, own: str = ALL_CRISES) -> list[Change]:
    """The history of giving `email` the `role` on `scope` (None: removing it), or none when it has that
    already. SaveError when giving a role to an address that looks like another address with a role. The
    field recorded is ``role`` for a role on `own` (the crisis whose history it is), else ``role (all
    crises)`` or ``role (SLUG)``."""
    old = next((g.role for g in grants if g.email == email and g.crisis == scope), "")
    if role:
        check_distinct(email, {g.email for g in grants})
    if (role or "") == old:
        return []
    field_name = "role" if scope == own else f"role ({scope or 'all crises'})"
    return [Change(now(), who, "edit", "users", email, field_name, old, role or "(removed)", reason)]


def with_role(grants: list[Grant], email: str, role: str | None, scope: str) -> list[Grant]:
    kept = [g for g in grants if not (g.email == email and g.crisis == scope)]
    return kept + [Grant(email, role, scope)] if role else kept


def set_role(data_dir: Path, email: str, role: str | None, who: str, reason: str,
             scope: str | None = None) -> list[Change]:
    """Give `email` the `role` in users.csv (None: remove it) on `scope` (None: the folder's own crisis;
    :data:`ALL_CRISES`: all), recorded in the history."""
    if not reason.strip():
        raise SaveError("nothing was saved: say why in a line (the reason goes into the history)")
    own = crisis_slug(data_dir)
    scope = own if scope is None else checked_scope(scope)

    def change(text: str) -> tuple[str, list[Change]]:
        grants = parse_grants(text, own)
        changes = role_change(grants, email, role, who, reason, scope, own)
        return users_text(with_role(grants, email, role, scope)), changes

    return rewrite(data_dir, USERS_FILE, change)


def users_text(grants: list[Grant]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(USERS_COLUMNS)
    writer.writerows(sorted((g.email, g.role, g.crisis) for g in grants))
    return out.getvalue()

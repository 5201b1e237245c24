"""Who reads what the app says about its own staff (issue #30): the history names each change's author by
verified email and keeps its reason; a card's history, the Changes page and a briefing pack's changes.csv show
them to signed-in staff (analysts, reviewers, admins), and to everyone else the author's role ("a reviewer",
"an analyst") and no reason.

Roles are the ones people hold now (the users table): the history keeps the email only. An email that holds no
staff role any more is "a former staff member"; the command line or an import is "an operator" (its entry names
a local account), local mode's admin "the local admin".

Two settings open this up for a desk that publishes its names, each an environment variable or a key under
``[crisisboard]`` in ``.streamlit/secrets.toml`` (deploy/README.md): ``CRISISBOARD_PUBLIC_NAMES=1`` /
``public_names = true`` shows the emails to everyone, ``CRISISBOARD_PUBLIC_REASONS=1`` /
``public_reasons = true`` the reasons.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Mapping

from crisisboard.data.history import Change

STAFF_ROLES = ("analyst", "reviewer", "admin")
NAMES_ENV = "CRISISBOARD_PUBLIC_NAMES"
REASONS_ENV = "CRISISBOARD_PUBLIC_REASONS"
SECRETS_SECTION = "crisisboard"
ROLE_WORDS = {"analyst": "an analyst", "reviewer": "a reviewer", "admin": "an admin"}
FORMER = "a former staff member"
OPERATOR = "an operator"
LOCAL = "the local admin"
STAFF_MEMBER = "a staff member"  # when the roles are not known
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class PublicSettings:
    """What everyone may see of the staff: their emails (names) and the reasons they gave."""

    names: bool = False
    reasons: bool = False


def _on(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE)


def public_settings(section: Mapping[str, object] | None = None,
                    environ: Mapping[str, str] | None = None) -> PublicSettings:
    """The settings from the environment, or from the ``[crisisboard]`` section of the secrets (`section`)."""
    environ = os.environ if environ is None else environ
    section = section or {}
    return PublicSettings(names=_on(environ.get(NAMES_ENV, "")) or _on(section.get("public_names")),
                          reasons=_on(environ.get(REASONS_ENV, "")) or _on(section.get("public_reasons")))


@dataclass(frozen=True)
class Audience:
    """Who is reading: whether they see staff emails (`names`) and reasons (`reasons`), and each email's role
    now (`roles`, email and role pairs; None when unknown), by which the others are told who did what."""

    names: bool = False
    reasons: bool = False
    roles: tuple[tuple[str, str], ...] | None = None

    @classmethod
    def of(cls, role: str, roles: Mapping[str, str] | None = None,
           settings: PublicSettings = PublicSettings()) -> "Audience":
        """The audience of a reader with `role` (anonymous visitors are viewers): staff see everything, others
        what the settings open."""
        staff = role in STAFF_ROLES
        return cls(names=staff or settings.names, reasons=staff or settings.reasons,
                   roles=None if roles is None else tuple(sorted(roles.items())))

    def who(self, who: str) -> str:
        """How this audience is told who made a change."""
        if self.names or not who:
            return who
        if who == "local":
            return LOCAL
        if "@" not in who:
            return OPERATOR
        if self.roles is None:
            return STAFF_MEMBER
        return ROLE_WORDS.get(self._roles.get(who.strip().lower(), ""), FORMER)

    @cached_property
    def _roles(self) -> dict[str, str]:
        return {email.strip().lower(): role for email, role in self.roles or ()}

    def why(self, reason: str) -> str:
        """The reason of a change, or "" when this audience does not see reasons."""
        return reason if self.reasons else ""

    def change(self, change: Change) -> Change:
        """`change` as this audience sees it."""
        if self.names and self.reasons:
            return change
        return replace(change, who=self.who(change.who), reason=self.why(change.reason))

    def line(self, change: Change) -> str:
        """One line of a history (Change.line), as this audience sees it: without " - reason" when hidden."""
        line = self.change(change).line()
        return line if self.reasons else line.removesuffix("  - ")


PUBLIC = Audience()  # anyone: roles instead of emails, no reasons
STAFF = Audience(names=True, reasons=True)  # a signed-in analyst, reviewer or admin, or local mode

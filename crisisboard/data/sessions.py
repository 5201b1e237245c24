"""Sign-ins that the server can end (issue #30).

Streamlit keeps a signed-in identity in a signed cookie (``_streamlit_user``) for 30 days, and nothing in it
can be revoked: "Sign out" only deletes the cookie in that one browser, and a copy of it keeps working. So the
store keeps, for each verified email, when it last signed out, and on every run of a page a signed-in identity
gets no role when:

- its ID token was issued (``iat``) at or before the last sign-out of its email ("signed out"): every
  sign-in of that email issued before, in any browser, ends with it;
- its ID token was issued more than ``session_hours`` ago (``[crisisboard] session_hours``, 12 by default), or
  says nothing about when it was issued, or says it was issued in the future ("expired").

The CSV store keeps the sign-outs in ``signouts.csv`` beside the data (``email,signed_out_at``), the PostgreSQL
store in its ``signouts`` table; a sign-out older than the longest sign-in is dropped when another is recorded
(no sign-in it would end is still alive), so either holds at most one row per email signed out within that time.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from crisisboard.data.identity import verified_email
from crisisboard.data.store import replace_unrecorded
from crisisboard.data.users import Actor

LOG = logging.getLogger(__name__)
SIGNOUTS_FILE = "signouts.csv"
DEFAULT_SESSION_HOURS = 12.0
CLOCK_SKEW = timedelta(minutes=5)  # a token issued this far in the future still counts (the provider's clock)
SIGNED_OUT, EXPIRED = "signed out", "expired"


@dataclass(frozen=True)
class SignInSettings:
    """``[crisisboard]`` in .streamlit/secrets.toml: the issuers whose emails count as verified without the
    ``email_verified`` claim, and the longest a sign-in lasts."""

    email_verified_issuers: tuple[str, ...] = ()
    session_hours: float = DEFAULT_SESSION_HOURS

    @classmethod
    def from_mapping(cls, section: Mapping) -> "SignInSettings":
        """The settings of a ``[crisisboard]`` section, or ValueError naming the key and what it must be."""
        if not isinstance(section, Mapping):
            raise ValueError("[crisisboard] must be a section (a table), not a single value")
        issuers = section.get("email_verified_issuers", [])
        if isinstance(issuers, str) or not all(isinstance(i, str) and i.strip() for i in issuers):
            raise ValueError("[crisisboard] email_verified_issuers must be a list of issuer URLs, such as "
                             '["https://login.microsoftonline.com/<tenant id>/v2.0"]')
        hours = section.get("session_hours", DEFAULT_SESSION_HOURS)
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours < math.inf:
            raise ValueError("[crisisboard] session_hours must be a positive number of hours, such as 12")
        return cls(tuple(i.strip() for i in issuers), float(hours))

    @property
    def longest(self) -> timedelta:
        return timedelta(hours=self.session_hours)


def session_end(claims: Mapping, signed_out_at: datetime | None, longest: timedelta, now: datetime) -> str:
    """Why the sign-in of these ID token claims is over ("signed out", "expired"), or "" while it lasts."""
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)) or not math.isfinite(iat):
        return EXPIRED  # no issue time: it cannot be ended, so it never counts
    issued = datetime.fromtimestamp(iat, timezone.utc)
    if issued > now + CLOCK_SKEW or now - issued > longest:
        return EXPIRED
    if signed_out_at is not None and issued <= signed_out_at:
        return SIGNED_OUT
    return ""


class Roles(Protocol):
    """What a store tells about a signed-in identity (crisisboard.data.backends.Store)."""

    def users(self) -> dict[str, str]: ...

    def signed_out_at(self, email: str) -> datetime | None: ...


def signed_in_actor(claims: Mapping, store: Roles, settings: SignInSettings, now: datetime) -> Actor:
    """The Actor of a signed-in identity: its verified email with the role the store gives it now, or a viewer
    (unverified, or its sign-in ended: `ended` says why)."""
    email = verified_email(claims, settings.email_verified_issuers)
    if email is None:
        return Actor(str(claims.get("email") or "").strip() or "unverified", "viewer")
    ended = session_end(claims, store.signed_out_at(email), settings.longest, now)
    if ended:
        return Actor(email, "viewer", ended)
    return Actor(email, store.users().get(email, "viewer"))


# --- the CSV store: signouts.csv beside the data ------------------------------------------------------------------

def parse_signouts(text: str, name: str = SIGNOUTS_FILE) -> dict[str, datetime]:
    """Each email's last sign-out. A row whose time cannot be read counts as signed out for good (it can only
    end sign-ins, never keep one alive); the log names its line."""
    found: dict[str, datetime] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            when = datetime.fromisoformat(row["signed_out_at"])
            when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
        except (TypeError, ValueError, KeyError):
            LOG.error("%s:%d: signed_out_at: not a time (%r): sign-ins of %r are ended", name, line,
                      row.get("signed_out_at"), row.get("email"))
            when = datetime.max.replace(tzinfo=timezone.utc)
        found[str(row.get("email") or "")] = max(when, found.get(str(row.get("email") or ""), when))
    return found


def signouts_text(signouts: Mapping[str, datetime]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("email", "signed_out_at"))
    writer.writerows((email, when.isoformat()) for email, when in sorted(signouts.items()))
    return out.getvalue()


def read_signout(data_dir: Path, email: str) -> datetime | None:
    path = Path(data_dir) / SIGNOUTS_FILE
    return parse_signouts(path.read_text(encoding="utf-8")).get(email) if path.exists() else None


def record_signout(data_dir: Path, email: str, when: datetime, keep: timedelta) -> None:
    """Record that `email` signed out at `when` (atomically, under the folder's lock), dropping the sign-outs
    older than `keep` before it."""

    def change(text: str) -> str:
        signouts = {e: t for e, t in parse_signouts(text).items() if t >= when - keep}
        signouts[email] = max(when, signouts.get(email, when))
        return signouts_text(signouts)

    replace_unrecorded(data_dir, SIGNOUTS_FILE, change)


"""The visitor's last visit to the Changes page, in this browser: a cookie the page's script sets to the
moment of each visit, read by the server when the next session starts (``st.context.cookies``), so that the
page opens on "what changed since you last looked". The cookie holds a time and nothing else; a value that is
not one is ignored. Each crisis of the server has its own cookie (the default crisis keeps the first name)."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from crisisboard.data.crises import SLUG, CrisisEntry

COOKIE = "crisisboard_changes_seen"  # the default crisis's; another crisis's is COOKIE_<slug>


def cookie_name(crisis: CrisisEntry | None = None) -> str:
    """The cookie of a crisis's last visit: COOKIE for the default crisis (or None), COOKIE_<slug> for another.
    A slug that is not one (a folder listed with its problem) gets COOKIE: nothing else reaches the script."""
    if crisis is None or crisis.default or not SLUG.match(crisis.slug):
        return COOKIE
    return f"{COOKIE}_{crisis.slug}"


def last_visit(crisis: CrisisEntry | None = None) -> datetime | None:
    """When this browser last opened the Changes page of `crisis` (before this session), or None."""
    value = (st.context.cookies or {}).get(cookie_name(crisis), "")
    try:
        seen = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return seen.astimezone(timezone.utc) if seen.tzinfo else None


def remember_visit(crisis: CrisisEntry | None = None) -> None:
    """Set the crisis's cookie to now, in the browser, for the next visit."""
    st.html(f"<script>document.cookie = '{cookie_name(crisis)}=' + new Date().toISOString() + "
            "'; path=/; max-age=31536000; SameSite=Lax';</script>", unsafe_allow_javascript=True)

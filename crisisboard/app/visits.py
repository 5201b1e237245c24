"""The visitor's last visit to the Changes page, in this browser: a cookie the page's script sets to the
moment of each visit, read by the server when the next session starts (``st.context.cookies``), so that the
page opens on "what changed since you last looked". The cookie holds a time and nothing else; a value that is
not one is ignored."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

COOKIE = "crisisboard_changes_seen"
SCRIPT = (f"<script>document.cookie = '{COOKIE}=' + new Date().toISOString() + "
          "'; path=/; max-age=31536000; SameSite=Lax';</script>")


def last_visit() -> datetime | None:
    """When this browser last opened the Changes page (before this session), or None."""
    value = (st.context.cookies or {}).get(COOKIE, "")
    try:
        seen = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return seen.astimezone(timezone.utc) if seen.tzinfo else None


def remember_visit() -> None:
    """Set the cookie to now, in the browser, for the next visit."""
    st.html(SCRIPT, unsafe_allow_javascript=True)

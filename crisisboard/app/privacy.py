"""Who is reading, for what the pages say about the staff (crisisboard.claims.audience): signed-in staff and
local mode see emails and reasons; anonymous visitors and viewers see roles, unless the settings
(``CRISISBOARD_PUBLIC_NAMES``, ``CRISISBOARD_PUBLIC_REASONS``, or ``public_names`` / ``public_reasons`` under
``[crisisboard]`` in ``.streamlit/secrets.toml``) open them up."""

from __future__ import annotations

from typing import Mapping

import streamlit as st

from crisisboard.app.auth import current_actor
from crisisboard.claims.audience import SECRETS_SECTION, Audience, public_settings
from crisisboard.data.backends import Store
from crisisboard.data.users import Actor


def _secrets_section() -> Mapping[str, object]:
    try:
        section = st.secrets.get(SECRETS_SECTION, {})
    except Exception:  # noqa: BLE001 - no secrets file at all: nothing opened up
        return {}
    return section if isinstance(section, Mapping) else {}


def audience(store: Store, actor: Actor | None = None) -> Audience:
    """The audience of the visitor (`actor` when the page has it already), with each email's role now."""
    actor = actor or current_actor(store)
    return Audience.of(actor.role, store.users(), public_settings(_secrets_section()))

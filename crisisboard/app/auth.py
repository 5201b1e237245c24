"""Who is at the keyboard (issue #19), from Streamlit's own sign-in (``st.login`` / ``st.user`` / ``st.logout``,
OpenID Connect, configured under ``[auth]`` in ``.streamlit/secrets.toml``):

- with ``[auth]``: a signed-in visitor with a verified email gets the role the store gives that email now
  (crisisboard.data.users), unless that sign-in has ended: signed out, or older than ``session_hours``
  (crisisboard.data.sessions; what counts as verified: crisisboard.data.identity); anyone else is a viewer;
- without ``[auth]`` and a server listening on loopback only (``make run``): local mode, the local user is
  the admin, and the page says so;
- without ``[auth]`` and a server listening beyond loopback: nobody can write, and the pages say how to turn
  sign-in on.

The pages only hide what the role may not use; every write of the store checks the role again itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import streamlit as st

from crisisboard.app import render
from crisisboard.claims.markup import literal, md, text
from crisisboard.data.backends import Store
from crisisboard.data.identity import verified_email
from crisisboard.data.sessions import SIGNED_OUT, SignInSettings, signed_in_actor
from crisisboard.data.store import SaveError
from crisisboard.data.users import ANONYMOUS, LOCAL_ADMIN, Actor

LOG = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")
EDITING_OFF = ("Editing is off: this server listens beyond this machine and sign-in is not configured. Configure "
               "OpenID Connect under [auth] in .streamlit/secrets.toml (see deploy/README.md), or run it on "
               "127.0.0.1 only for local mode.")


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: not configured
        return False


def loopback_only() -> bool:
    return str(st.get_option("server.address") or "").strip() in LOOPBACK


def current_actor(store: Store) -> Actor:
    """The visitor as the store knows them (see the module's docstring)."""
    if auth_configured():
        if not st.user.is_logged_in:
            return ANONYMOUS
        return signed_in_actor(st.user.to_dict(), store, sign_in_settings(), datetime.now(timezone.utc))
    return LOCAL_ADMIN if loopback_only() else ANONYMOUS


def sign_in_settings() -> SignInSettings:
    """``[crisisboard]`` of the secrets (deploy/README.md); a value that does not load is logged and its safe
    default used (no issuer trusted without ``email_verified``, sign-ins of 12 hours)."""
    try:
        return SignInSettings.from_mapping(st.secrets.get("crisisboard", {}))
    except ValueError as error:
        LOG.error("%s; using the defaults", error)
        return SignInSettings()


def sign_out(store: Store) -> None:
    """Record the sign-out of this identity's verified email, which ends every sign-in of it issued until now
    (crisisboard.data.sessions), then sign out of Streamlit."""
    settings = sign_in_settings()
    email = verified_email(st.user.to_dict(), settings.email_verified_issuers)
    if email is not None:  # an unverified email is nobody's: its sign-out must not end another's sign-in
        try:
            store.sign_out(email, datetime.now(timezone.utc), settings.longest)
        except (OSError, SaveError):
            LOG.exception("the sign-out of %r could not be recorded: a copy of its cookie works until it expires",
                          email)
    st.logout()


def access_panel(actor: Actor, store: Store) -> None:
    """In the sidebar: who you are, your role, and sign in or out (or local mode, or editing off)."""
    with st.sidebar:
        if auth_configured():
            if st.user.is_logged_in and actor.ended:
                render.caption(literal("You were signed out. Sign in again to propose or review claims.")
                               if actor.ended == SIGNED_OUT else
                               literal("Your sign-in has expired. Sign in again to propose or review claims."))
                st.button("Sign in", on_click=st.login, key="sign_in")
            elif st.user.is_logged_in:
                render.caption(md("Signed in as {email} ({role}).", email=actor.email, role=actor.role))
                st.button("Sign out", on_click=sign_out, args=(store,), key="sign_out")
            else:
                render.caption(literal("Reading needs no account; sign in to propose or review claims."))
                st.button("Sign in", on_click=st.login, key="sign_in")
        elif actor == LOCAL_ADMIN:
            render.caption(literal("Local mode: no sign-in is configured and this server listens on this machine "
                                   "only, so you are its admin."))
        else:
            render.caption(text(EDITING_OFF))


def allowed(actor: Actor, action: str, needs: str) -> bool:
    """Whether `actor` may `action`; when not, say why on the page (the store refuses it anyway)."""
    if actor.may(action):
        return True
    if not auth_configured() and actor == ANONYMOUS:
        render.caption(text(EDITING_OFF))
    else:
        render.caption(md("This needs the role {needs}; you are {role}.", needs=needs, role=actor.role))
    return False

"""Who is at the keyboard (issue #19), from Streamlit's own sign-in (``st.login`` / ``st.user`` / ``st.logout``,
OpenID Connect, configured under ``[auth]`` in ``.streamlit/secrets.toml``):

- with ``[auth]``: a signed-in visitor with a verified email gets the role the store gives that email now
  (crisisboard.data.users), unless that sign-in has ended: signed out, or older than ``session_hours``
  (crisisboard.data.sessions; what counts as verified: crisisboard.data.identity); anyone else is a viewer;
- without ``[auth]``, on a server started in local mode (``make run``: ``serve --local``, loopback only) and a
  request from this machine (its Host and Origin the server's own, no proxy header): local mode, the local
  user is the admin, and the page says so (crisisboard.app.launch; issue #30);
- without ``[auth]`` anywhere else (deploy/cluster.py, any server not started in local mode), or with a
  secrets file that does not load: read-only; nobody can write, and the pages say how to turn sign-in on.

The pages only hide what the role may not use; every write of the store checks the role again itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import streamlit as st

from crisisboard.app import render
from crisisboard.app.guard import refusal
from crisisboard.app.launch import current_launch
from crisisboard.claims.markup import literal, md, text
from crisisboard.data.backends import Store
from crisisboard.data.identity import verified_email
from crisisboard.data.sessions import SIGNED_OUT, SignInSettings, signed_in_actor
from crisisboard.data.store import SaveError
from crisisboard.data.users import ANONYMOUS, LOCAL_ADMIN, Actor

LOG = logging.getLogger("crisisboard.auth")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
EDITING_OFF = ("Editing is off: this server is read-only, because sign-in is not configured here. To propose or review claims, an "
               "administrator configures sign-in (OpenID Connect under [auth], see deploy/README.md); on your "
               "own computer, make run opens the app in local mode.")


def _secrets_state() -> str:
    """"auth" (sign-in configured), "none" (no secrets file, or none with [auth]) or "broken" (a secrets file
    that does not load: no sign-in, and never local mode; the error goes to the log)."""
    try:
        return "auth" if "auth" in st.secrets else "none"
    except FileNotFoundError:  # no secrets file at all: not configured
        return "none"
    except Exception:  # noqa: BLE001 - any failure to load
        LOG.exception("the secrets file does not load: the app is read-only")
        return "broken"


def auth_configured() -> bool:
    return _secrets_state() == "auth"


def secrets_broken() -> bool:
    """Whether a secrets file is there but does not load (the server then writes nothing, local or not)."""
    return _secrets_state() == "broken"


def loopback_only() -> bool:
    return str(st.get_option("server.address") or "").strip().strip("[]") in LOOPBACK


def local_mode() -> bool:
    """Local mode: asked for at launch, listening on loopback, and this request from this machine (its Host
    and Origin the server's own, no proxy header). A run inside the test's own process (AppTest) has no
    request: the launch decides."""
    launch = current_launch()
    if not launch.local or not loopback_only() or secrets_broken():
        return False
    headers = {str(key).lower(): str(value) for key, value in st.context.headers.items()}
    if not headers:
        return True
    return launch.door is not None and refusal(launch.door, headers) is None


def current_actor(store: Store) -> Actor:
    """The visitor as the store knows them (see the module's docstring)."""
    if auth_configured():
        if not st.user.is_logged_in:
            return ANONYMOUS
        return signed_in_actor(st.user.to_dict(), store, sign_in_settings(), datetime.now(timezone.utc))
    return LOCAL_ADMIN if local_mode() else ANONYMOUS


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
            render.caption(literal("Local mode: this app was started on this machine for you (make run), with no "
                                   "sign-in, so you are its admin."))
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

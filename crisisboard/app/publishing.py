"""The app and its public editions (issue #32): a reviewer or admin publishes the approved data from the Review
page, and every page's sidebar names the latest edition, with a link when the public address is known.

Where editions go: crisisboard.app.publish_config (``publish_dir``, ``publish_url`` under ``[crisisboard]``).
The page only shows the button to those whose role may publish; the click is checked again against the roles
the store holds at that moment (crisisboard.publish.workbench.may_publish), as an approval is."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from crisisboard.app import render
from crisisboard.app.launch import current_launch
from crisisboard.app.publish_config import PublishSettings, publish_settings
from crisisboard.claims.markup import link, literal, md, text
from crisisboard.data.backends import Store
from crisisboard.data.load import DataValidationError
from crisisboard.data.store import SaveError
from crisisboard.data.users import Actor
from crisisboard.export.render import ExportUnavailable
from crisisboard.publish.workbench import LatestEdition, latest_edition, publish_store

LOG = logging.getLogger(__name__)
MESSAGE = "_publish_message"
WAIT = "Publishing the edition: its pages, data and chart images take a minute or more…"
NOT_SET_UP = ("Publishing is not set up on this server: an administrator names the folder of the editions, "
              "publish_dir (and their public address, publish_url), under [crisisboard] in the secrets file "
              "(README.md, \"Publishing from the app\").")
_PUBLISHING: dict[str, threading.Lock] = {}  # one publish at a time per folder of editions, in this process
_GUARD = threading.Lock()


def current_settings() -> PublishSettings:
    """The publish settings of this server's secrets (crisisboard.app.publish_config); ValueError when a value
    is bad or the secrets file does not load (publishing is then off: nothing falls back to a default)."""
    try:
        section = st.secrets.get("crisisboard", {})
    except FileNotFoundError:  # no secrets file at all
        section = {}
    except Exception as error:  # noqa: BLE001 - a secrets file that does not load
        raise ValueError("the secrets file does not load") from error
    return publish_settings(section, current_launch().local)


def _label(latest: LatestEdition) -> str:
    return f"Published edition {latest.edition}, {latest.day()}"


def edition_line(slug: str) -> None:
    """In the sidebar, small: "Published edition N, <date>", a link to that edition when publish_url is set;
    nothing when nothing was published (or publishing is off)."""
    try:
        chosen = current_settings()
    except ValueError:
        return  # the Review page says why to those who publish
    latest = latest_edition(chosen.folder, slug) if chosen.folder is not None else None
    if latest is None:
        return
    with st.sidebar:
        render.caption(link(_label(latest), latest.url(chosen.url, slug)) if chosen.url else text(_label(latest)))


def _lock_for(folder: Path) -> threading.Lock:
    with _GUARD:
        return _PUBLISHING.setdefault(str(folder.resolve()), threading.Lock())


def _publish(store: Store, actor: Actor, chosen: PublishSettings) -> None:
    """Publish now (the role checked again by the store's roles), then say what was done, or why not."""
    folder = chosen.folder
    try:
        with st.spinner(WAIT), _lock_for(folder):
            done = publish_store(store, actor, folder, base_url=chosen.url or None)
    except DataValidationError as error:
        render.error(text(f"Nothing was published: the data breaks {len(error.problems)} rule(s); the first: "
                          f"{str(error.problems[0]) if error.problems else error}"))
        return
    except SaveError as error:  # PermissionDenied among them
        render.error(text(str(error)))
        return
    except ExportUnavailable as error:  # the edition's chart images need Chromium
        render.error(text(f"Nothing was published: {error}"))
        return
    except OSError as error:
        LOG.exception("publishing into %s failed", folder)
        render.error(text(f"Nothing was published: {folder} cannot be written ({error.strerror or error})."))
        return
    latest = LatestEdition(done.edition, "")
    where = latest.url(chosen.url, store.crisis) if chosen.url else str(done.folder)
    st.session_state[MESSAGE] = (done.new, f"Edition {done.edition} published: {where}" if done.new else
                                 f"No change since edition {done.edition}: no new edition was made.")
    st.rerun()


def publish_panel(store: Store, actor: Actor) -> None:
    """On the Review page, for a reviewer or admin: the latest edition and the Publish edition button."""
    if not actor.may("publish"):
        return
    with st.container(border=True):
        render.markdown(literal("**Public edition**"))
        try:
            chosen = current_settings()
        except ValueError as error:
            render.error(text(f"Publishing is off: {error}. Nothing is published until an administrator "
                              "corrects it."))
            return
        if chosen.folder is None:
            render.caption(text(NOT_SET_UP))
            return
        said = st.session_state.pop(MESSAGE, None)
        if said:
            (render.success if said[0] else render.info)(text(said[1]))
        latest = latest_edition(chosen.folder, store.crisis)
        render.caption(md("{latest}. Publishing makes the next numbered edition of the approved data (never the "
                          "proposals) in {folder}; none when nothing changed since.",
                          latest=_label(latest) if latest else "Nothing published yet", folder=str(chosen.folder)))
        if st.button("Publish edition", key="publish_edition", type="primary",
                     help="Write a new public edition of the approved data, with who approved what since the last"):
            _publish(store, actor, chosen)

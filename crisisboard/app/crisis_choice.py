"""Which crisis a page shows when the server serves several (crisisboard.data.crises).

The link's ``?crisis=<slug>`` chooses it (no parameter: the default crisis). A page switch clears the query
string, so the choice is also kept for the session and written back into the link on every page, as the
filters are (crisisboard.app.filters_ui). The visitor picks another crisis on the Overview; the filters and
page controls of the crisis left behind are dropped, since its places, days and map areas are not the new one's.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import streamlit as st

from crisisboard.app import render
from crisisboard.app.filters_ui import KEY_STATE, KEY_WARNINGS
from crisisboard.claims.markup import app_link, label, literal, md, text
from crisisboard.data.crises import CrisisEntry, CrisisRegistryError, UnknownCrisis, available, entry_for

LOG = logging.getLogger("crisisboard")
PARAM = "crisis"  # the link's query parameter
KEY_CRISIS = "_crisisboard_crisis"  # the slug of the crisis this session shows
KEY_PICKER = "crisis_picker"
# session state that belongs to one crisis: the filters, the page controls seeded from the link
# (crisisboard.app.widgets), the chosen claim card, the briefing pack offered for download
_PER_CRISIS = (KEY_STATE, KEY_WARNINGS, "pack", "timeline_card")
_PER_CRISIS_PREFIXES = ("choice_", "select_", "date_", "number_")
_KEPT_PARAMS = ("briefing",)  # what a link keeps when the visitor picks another crisis


def several() -> bool:
    """Whether the server serves more than one crisis (only then is there a picker and a ?crisis= in links)."""
    try:
        return len(available()) > 1
    except CrisisRegistryError:
        return True


def _forget_crisis_state() -> None:
    for key in list(st.session_state):
        if key in _PER_CRISIS or str(key).startswith(_PER_CRISIS_PREFIXES):
            del st.session_state[key]


def chosen() -> CrisisEntry:
    """The crisis this run shows: the link's ?crisis=, else the one this session showed last, else the default.
    A link to another crisis than the session's (the browser's back button) drops the old crisis's filters.

    Raises
    ------
    UnknownCrisis
        When the link names no crisis this server serves.
    CrisisRegistryError
        When two crisis folders claim the same slug.
    """
    wanted = st.query_params.get(PARAM) or st.session_state.get(KEY_CRISIS)
    entry = entry_for(wanted)
    if st.session_state.get(KEY_CRISIS) not in (None, entry.slug):
        _forget_crisis_state()
    st.session_state[KEY_CRISIS] = entry.slug
    return entry


def write_crisis_url(entry: CrisisEntry) -> None:
    """Carry the crisis in the link (when there are several), so that a copied link shows the same crisis."""
    if several() and st.query_params.get(PARAM) != entry.slug:
        st.query_params[PARAM] = entry.slug


def chosen_or_error_page() -> CrisisEntry:
    """:func:`chosen`, or a page that says the link's crisis is not served (with a link to each one that is)
    and stops the run."""
    try:
        entry = chosen()
    except UnknownCrisis as error:
        st.session_state.pop(KEY_CRISIS, None)
        render.title(literal("No such crisis"))
        render.error(md("The link asks for the crisis {slug}, which this server does not serve. Choose one of "
                        "those it serves:", slug=f"“{error.slug}”"))
        for known in error.known:
            render.markdown(literal("- ") + app_link(known.name, urlencode({PARAM: known.slug})))
        st.stop()
        raise AssertionError("unreachable: st.stop() ends the run") from error
    except CrisisRegistryError as error:
        LOG.error("%s", error)
        render.title(literal("The crises could not be listed"))
        render.error(text(str(error)))
        st.stop()
        raise AssertionError("unreachable: st.stop() ends the run") from error
    write_crisis_url(entry)
    return entry


def _picked() -> None:
    """on_change of the picker: show the picked crisis, from its defaults (the link keeps briefing mode only)."""
    slug = st.session_state[KEY_PICKER]
    _forget_crisis_state()
    st.session_state[KEY_CRISIS] = slug
    kept = {key: st.query_params[key] for key in _KEPT_PARAMS if key in st.query_params}
    st.query_params.from_dict({PARAM: slug, **kept})


def crisis_picker(current: CrisisEntry) -> None:
    """The choice of crisis, by name, when the server serves more than one (nothing otherwise)."""
    entries = available()
    if len(entries) < 2:
        return
    names = {entry.slug: entry.name for entry in entries}
    st.session_state[KEY_PICKER] = current.slug
    st.columns([1, 1])[0].selectbox(label("Crisis"), list(names), format_func=names.__getitem__, key=KEY_PICKER, on_change=_picked,
                 help="This server holds the claims of several crises: pick the one every page shows. The "
                      "link carries it (?crisis=…), so a copied link shows the same crisis.")


def crisis_line(current: CrisisEntry) -> None:
    """In the sidebar, which crisis the pages show (when there are several)."""
    if several():
        with st.sidebar:
            render.markdown(md("**Crisis:** {name}", name=current.name))

"""The Add-a-release page's costly steps, bounded: who may use it (checked before any text is read), and the
flags and candidates of a release from a worker process (crisisboard.ingest.worker), or a plain message."""

from __future__ import annotations

from datetime import date

import streamlit as st

from crisisboard.app import render
from crisisboard.app.auth import allowed, auth_configured, current_actor
from crisisboard.app.frame import PageContext, end_page
from crisisboard.claims.markup import literal, text
from crisisboard.data import schema
from crisisboard.data.backends import Store, open_store
from crisisboard.data.users import Actor
from crisisboard.ingest.limits import limits_in_words
from crisisboard.ingest.worker import Extraction, ExtractionRefused, extract

NEEDS = "analyst, reviewer or admin"


def who_may_add(page: PageContext) -> tuple[Actor, Store]:
    """The visitor and the store, when the visitor's role may propose a release; otherwise the page says what it
    needs and stops here, before any upload or pasted text is read (no widget for them is even drawn)."""
    actor = current_actor(store := open_store(page.dataset.data_dir))
    if not allowed(actor, "propose", NEEDS):
        if auth_configured():  # without sign-in, `allowed` has said the server is read-only
            render.info(literal("Adding a release needs an account with the role analyst, reviewer or admin: sign "
                                "in with one, or ask an admin for the role. Reading the charts needs no account."))
        _stop(page)
    render.caption(text(limits_in_words()))
    return actor, store


def extraction(page: PageContext, release_text: str, published: date | None) -> Extraction:
    """The release's flags and candidates (kept per text, found in a worker process); when the text is over the
    limit, the server is busy or the worker ran out of time, the page says so and stops (the text stays)."""
    try:
        with st.spinner("Finding the figures in the text…"):
            return extract(release_text, published, page.dataset.places, page.dataset.crisis, page.dataset.version)
    except ExtractionRefused as error:
        render.error(text(str(error)))
        _stop(page)
        raise AssertionError("unreachable: st.stop() ends the run") from error


def candidate_columns(page: PageContext) -> dict:
    """The review table's columns: a choice list for every coded field."""
    return {
        "accept": st.column_config.CheckboxColumn("keep", help="Tick every claim to save"),
        "metric": st.column_config.SelectboxColumn(options=schema.METRICS),
        "destination": st.column_config.TextColumn(help="refugees_crossed: the ISO code of the country crossed "
                                                   "into (e.g. AM); empty for a metric outside the refugees family"),
        "population": st.column_config.SelectboxColumn(options=page.dataset.crisis.populations),
        "qualifier": st.column_config.SelectboxColumn(options=schema.QUALIFIERS),
        "vague_term": st.column_config.SelectboxColumn(options=("",) + schema.VAGUE_TERMS),
        "as_of_precision": st.column_config.SelectboxColumn(options=schema.AS_OF_PRECISION),
        "place_id": st.column_config.SelectboxColumn(options=[""] + list(page.dataset.places["place_id"])),
        "claimant_type": st.column_config.SelectboxColumn(options=schema.CLAIMANT_TYPES),
        "status_in_text": st.column_config.SelectboxColumn(options=schema.STATUSES),
        "claim_kind": st.column_config.SelectboxColumn(options=schema.CLAIM_KINDS),
        "scope": st.column_config.SelectboxColumn(options=schema.SCOPES, help="crisis: the whole crisis as the "
                                                  "text frames it; partial: one place, incident, group or period "
                                                  "(say which in the notes)"),
        "source_reliability": st.column_config.SelectboxColumn("reliability", options=schema.RELIABILITY),
        "info_credibility": st.column_config.SelectboxColumn("credibility", options=schema.CREDIBILITY),
        "why": st.column_config.TextColumn("rule that found it"),
    }


def _stop(page: PageContext) -> None:
    end_page(page)
    st.stop()

"""A claim's card, for those who keep the data: its history, and proposals to edit or retract it (issues #18
and #19). Analysts propose edits; reviewers propose edits and retractions; nothing is changed until another
reviewer approves the proposal on the Review page. Every proposal goes through the store
(crisisboard.data.backends): tried like a save, with a required reason, refused whole with the problems, or
refused when someone else changed the claim since this card was opened ("changed by X at T since you opened
it"), nothing lost."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.auth import allowed, current_actor
from crisisboard.app.privacy import audience
from crisisboard.claims.cards import claim_history
from crisisboard.claims.markup import literal, md, text
from crisisboard.data import schema
from crisisboard.data.backends import Store, open_store
from crisisboard.data.review import Outcome
from crisisboard.data.store import ConflictError, SaveError
from crisisboard.data.users import Actor

EDITABLE = ("figure_text", "low", "high", "qualifier", "vague_term", "as_of", "as_of_precision", "claimant",
            "claimant_type", "status_in_text", "scope", "source_reliability", "info_credibility", "grade_rationale",
            "notes")
# a claim of the refugees family also shows the country people crossed into (refugees_crossed: required)
REFUGEE_EDITABLE = EDITABLE + ("destination",)


def _value(row: pd.Series, field: str) -> str:
    value = row.get(field, "")
    return "" if value is None or pd.isna(value) else str(value)


def _opened_version(store: Store, claim_id: str) -> int:
    """The claim's version when this session opened its card (kept until a change of its own is saved)."""
    key = f"_opened_{claim_id}"
    if key not in st.session_state:
        st.session_state[key] = store.claim_version(claim_id)
    return st.session_state[key]


def _saved(claim_id: str, outcome: Outcome) -> None:
    st.session_state.pop(f"_opened_{claim_id}", None)
    st.session_state["_edit_message"] = outcome.proposed_sentence()
    st.rerun()


def _conflict(claim_id: str, error: ConflictError) -> None:
    """Someone changed the claim since this card opened: say so, and open the card afresh on their version
    (the form's fields too: they are keyed by the version, so that saving again cannot undo a change unseen)."""
    st.session_state.pop(f"_opened_{claim_id}", None)
    st.session_state["_edit_conflict"] = str(error)
    st.rerun()


def refused(error: SaveError) -> None:
    """A refused save: its first line, then each problem (file:line: field: rule)."""
    render.error(text(str(error).split("\n")[0]))
    if error.problems:
        st.code("\n".join(str(problem) for problem in error.problems), language=None)


def _edit_form(store: Store, row: pd.Series, opened: int, actor: Actor) -> None:
    claim_id = str(row["claim_id"])
    with st.form(f"edit_{claim_id}_{opened}"):
        columns = st.columns(3)
        shown = REFUGEE_EDITABLE if str(row["metric"]) in schema.DESTINATION_METRICS else EDITABLE
        values = {field: columns[i % 3].text_input(text(field.replace("_", " ")), _value(row, field),
                                                   key=f"edit_{claim_id}_{opened}_{field}")
                  for i, field in enumerate(shown)}
        reason = st.text_input("Why (required: goes into the claim's history)", key=f"edit_{claim_id}_{opened}_reason")
        if st.form_submit_button("Propose the edit", type="primary"):
            fields = {field: value.strip() for field, value in values.items() if value.strip() != _value(row, field)}
            try:
                _saved(claim_id, store.propose_edit(claim_id, fields, actor, reason, opened))
            except ConflictError as error:
                _conflict(claim_id, error)
            except SaveError as error:
                refused(error)


def _retract_form(store: Store, row: pd.Series, opened: int, actor: Actor) -> None:
    claim_id = str(row["claim_id"])
    with st.form(f"retract_{claim_id}_{opened}"):
        render.caption(literal("Once approved, the row stays in the data and in the history; the charts, exports "
                               "and packs leave it out."))
        reason = st.text_input("Why (required)", key=f"retract_{claim_id}_{opened}_reason")
        if st.form_submit_button("Propose retracting this claim"):
            try:
                _saved(claim_id, store.propose_retract(claim_id, actor, reason, opened))
            except ConflictError as error:
                _conflict(claim_id, error)
            except SaveError as error:
                refused(error)


def notice() -> None:
    """What the last change saved from a card did (drawn where the page puts it: a retracted claim's card is
    gone after the save)."""
    message = st.session_state.pop("_edit_message", None)
    if message:
        render.success(text(message))
    conflict = st.session_state.pop("_edit_conflict", None)
    if conflict:
        render.error(text(conflict + " The card below now shows their version."))


def claim_actions(row: pd.Series, data_dir: Path) -> None:
    """Under a claim's card: its history, then Edit and Retract."""
    claim_id = str(row["claim_id"])
    store = open_store(data_dir)
    opened = _opened_version(store, claim_id)
    changes = store.history(claim_id)
    actor = current_actor(store)
    with st.expander(f"History of this claim ({len(changes)} recorded change(s))"):
        if changes:  # staff read who and why; everyone else the role of who did it (crisisboard.claims.audience)
            st.code(claim_history(changes, audience(store, actor)), language=None)
        else:
            render.caption(literal("No change recorded since the history began: the row is as first saved."))
    if not allowed(actor, "propose", "analyst, reviewer or admin"):
        return
    may_retract = actor.may("retract")
    with st.expander("Propose an edit or a retraction" if may_retract else "Propose an edit"):
        tabs = st.tabs(["Edit", "Retract"] if may_retract else ["Edit"])
        with tabs[0]:
            render.caption(md("Fields as in {readme}; the edit is checked like a save now, and made when a "
                              "reviewer approves it on the Review page.", readme="data/README.md"))
            _edit_form(store, row, opened, actor)
        if may_retract:
            with tabs[1]:
                _retract_form(store, row, opened, actor)


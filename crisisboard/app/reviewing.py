"""The Review page's parts (issue #19): the queue of pending proposals, oldest first, each with the change it
would make, a preview of the data with it, and Approve, Reject or Withdraw; and the two-person rule's switch.
Every decision goes through the store, which checks the role and the rule again (crisisboard.data.review)."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from crisisboard.app import render
from crisisboard.app.editing import refused
from crisisboard.app.frame import show_chart
from crisisboard.charts.style import detach_footer
from crisisboard.charts.views import TimelineSpec, build_view
from crisisboard.claims.markup import literal, md, text
from crisisboard.claims.html import data_table
from crisisboard.claims.proposals import diff_languages, proposal_diff, source_diff, source_line
from crisisboard.data.backends import Store
from crisisboard.data.filters import Filters
from crisisboard.data.load import Dataset, load_dataset
from crisisboard.data.review import Proposal, pending_first
from crisisboard.data.store import SaveError
from crisisboard.data.users import Actor

DRAFT = "DRAFT: NOT PUBLISHED"
LOG = logging.getLogger(__name__)


def visible(store: Store, actor: Actor) -> list[Proposal]:
    """The proposals this actor may see: a reviewer every one, an analyst their own (drafts are unchecked
    numbers: nobody else sees them)."""
    proposals = pending_first(store.proposals())
    return proposals if actor.may("review") else [p for p in proposals if p.proposed_by == actor.email]


@st.cache_resource(show_spinner="Building the preview…", max_entries=8)
def _previewed(_store: Store, proposal_id: str, version: str) -> Dataset:
    """The data as approving the proposal would make it (once per proposal and data version)."""
    with tempfile.TemporaryDirectory(prefix="crisisboard-preview-") as folder:
        _store.preview(proposal_id, Path(folder))
        return load_dataset(Path(folder), cache=False)


def _preview(store: Store, proposal: Proposal, metric: str) -> None:
    try:
        dataset = _previewed(store, proposal.proposal_id, store.version())
        view = build_view(dataset, Filters(), TimelineSpec(metric=metric, incidents=False))
        view.footer = detach_footer(view.figure)  # under the chart as text, as on the Timeline
        figure = go.Figure(view.figure)
    except (SaveError, ValueError) as error:
        render.error(text(f"No preview: {str(error).splitlines()[0]}"))
        return
    figure.add_annotation(text=DRAFT, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, opacity=0.25,
                          font={"size": 44, "color": "#7a1f1f"})
    render.warning(md("Preview of {id}: the Timeline as it would be if this proposal were approved. Nothing is "
                      "published until a reviewer approves it.", id=proposal.proposal_id))
    show_chart(replace(view, figure=figure), key=f"preview_{proposal.proposal_id}")


def _metric_of(store: Store, proposal: Proposal) -> str:
    if proposal.kind == "release":
        return proposal.data["claims"][0].get("metric", "killed")
    row = store.claim_row(proposal.target) or {}
    return row.get("metric", "killed")


def _decide(store: Store, proposal: Proposal, actor: Actor, two_person: bool) -> None:
    key = proposal.proposal_id
    own = proposal.proposed_by == actor.email
    reason = st.text_input("Why (required: goes into the history)", key=f"why_{key}")
    row = st.container(horizontal=True, gap="small")  # the buttons side by side, in reading order
    action = None
    if actor.may("review"):
        blocked = two_person and own
        if row.button("Approve and publish", key=f"approve_{key}", type="primary", disabled=blocked,
                             help="The two-person rule is on: another reviewer must approve your own proposal."
                             if blocked else "Publish the change: it reaches the charts, exports and packs."):
            action = "approve"
        if row.button("Reject", key=f"reject_{key}", disabled=blocked):
            action = "reject"
        if blocked:
            render.caption(literal("You proposed this: under the two-person rule another reviewer decides it. "
                                   "On a one-person desk, an admin can switch the rule off below (recorded).")
                           if actor.may("manage_users") else
                           literal("You proposed this: under the two-person rule another reviewer decides it."))
    if own and row.button("Withdraw", key=f"withdraw_{key}"):
        action = "withdraw"
    if row.button("Preview on the Timeline", key=f"preview_button_{key}"):
        st.session_state["_preview"] = key
    if action:
        try:
            done = getattr(store, action)(proposal.proposal_id, actor, reason)
            said = {"approve": "approved and published", "reject": "rejected", "withdraw": "withdrawn"}[action]
            made = f" ({done.report.sentence()})" if done.report else \
                f" ({len(done.changes)} change(s) recorded)" if done.changes else ""
            st.session_state["_review_message"] = f"Proposal {key} {said}{made}."
            st.session_state.pop("_preview", None)
            st.rerun()
        except SaveError as error:
            refused(error)


def queue(store: Store, actor: Actor, source_languages: dict[str, str]) -> None:
    """The pending proposals this actor may see, oldest first, each with its diff and its decisions; then the
    decided ones."""
    message = st.session_state.pop("_review_message", None)
    if message:
        render.success(text(message))
    two_person = store.two_person_rule()
    render.caption(text("Two-person rule: on. The reviewer who approves or rejects a proposal must not be the "
                        "one who made it." if two_person else
                        "Two-person rule: OFF (a one-person desk; the switch is recorded in the history). A "
                        "reviewer may approve their own proposals."))
    proposals = visible(store, actor)
    pending = [p for p in proposals if p.status == "pending"]
    render.subheader(md("Waiting for review ({n}), oldest first", n=len(pending)))
    if not pending:
        render.info(literal("Nothing waits for review."))
    _unreadable(store)
    for proposal in pending:
        with st.container(border=True):
            try:
                _pending(store, proposal, actor, two_person, source_languages)
            except Exception:  # one proposal that cannot be drawn never hides the others (st.rerun is not one)
                LOG.exception("proposal %s could not be drawn", proposal.proposal_id)
                render.error(md("Proposal {id} cannot be shown: what it would change is not readable. The "
                                "others are below; it stays as it is until someone repairs or rejects it.",
                                id=proposal.proposal_id))
    decided = [p for p in proposals if p.status != "pending"]
    with st.expander(f"Decided ({len(decided)}), newest first"):
        if decided:
            st.code("\n".join(p.line() for p in decided), language=None)
        else:
            render.caption(literal("No proposal was decided yet."))


def _unreadable(store: Store) -> None:
    """Name every proposal the store cannot read (its id, its line, what is wrong), above the readable ones."""
    for bad in store.unreadable_proposals():
        render.error(text(bad.sentence() + " The other proposals are shown; ask an admin to repair this one."))


def _pending(store: Store, proposal: Proposal, actor: Actor, two_person: bool,
             source_languages: dict[str, str]) -> None:
    """One pending proposal: who, when, why, the change field by field, and its decisions."""
    render.markdown(md("**{id}** · {kind} · proposed by {who} at {at}", id=proposal.proposal_id,
                       kind=proposal.kind, who=proposal.proposed_by,
                       at=proposal.proposed_at.replace("T", " ").replace("Z", " UTC")))
    render.markdown(md("{summary}. Why: {reason}", summary=proposal.summary, reason=proposal.reason))
    if proposal.kind == "release":
        render.caption(text("Source: " + source_line(proposal)))
        _source_table(store, proposal)
    current = None if proposal.kind == "release" else store.claim_row(proposal.target)
    diff = proposal_diff(proposal, current)
    languages, lang_columns = diff_languages(proposal, diff, current, source_languages)
    render.html(data_table(diff, f"What {proposal.proposal_id} would change", languages, links=(),
                           lang_columns=lang_columns))
    _decide(store, proposal, actor, two_person)
    if st.session_state.get("_preview") == proposal.proposal_id:
        _preview(store, proposal, _metric_of(store, proposal))


def _source_table(store: Store, proposal: Proposal) -> None:
    """A release's source, every field: what the data holds now (when it has the source) and what is proposed."""
    source = proposal.data.get("source", {})
    stored = store.source_row(str(source.get("source_id", "")), str(source.get("url", "")))
    if stored is not None:
        render.caption(literal("The data has this source already: its stored fields (now) are kept, and the "
                               "claims are added under it."))
    table = source_diff(proposal, stored)
    render.html(data_table(table, f"The source of {proposal.proposal_id}", [""] * len(table), links=(),
                           lang_columns=()))


def two_person_switch(store: Store, actor: Actor) -> None:
    """For admins: switch the two-person rule, with a reason (recorded)."""
    if not actor.may("manage_users"):
        return
    on = store.two_person_rule()
    with st.expander("Two-person rule (admins)"):
        render.caption(literal("On by default. Switch it off only for a one-person desk: the switch, who made it "
                               "and why go into the history, and every reader of the history sees it."))
        with st.form("two_person_form"):
            wanted = st.toggle("Two-person rule on", value=on, key="two_person_toggle")
            reason = st.text_input("Why (required)", key="two_person_reason")
            if st.form_submit_button("Save the setting"):
                try:
                    changes = store.set_two_person_rule(wanted, actor, reason)
                    st.session_state["_review_message"] = (
                        f"Two-person rule {'on' if wanted else 'off'}; recorded." if changes else "No change.")
                    st.rerun()
                except SaveError as error:
                    refused(error)

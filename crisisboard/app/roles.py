"""The Review page's roles panel for admins (issue #19, #31): who has a role on this crisis, and a form to give
or take one, on this crisis or on all crises. The store checks again who may give what
(crisisboard.data.users.may_grant): an admin of one crisis cannot give a role beyond it, whatever is chosen
here."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.editing import refused
from crisisboard.claims.html import data_table
from crisisboard.claims.markup import md, text
from crisisboard.data.backends import Store
from crisisboard.data.store import SaveError
from crisisboard.data.users import ALL_CRISES, ROLES, Actor

LOG = logging.getLogger(__name__)
REMOVE = "no role (take it away)"
ALL_LABEL = "all crises"


def roles_panel(store: Store, actor: Actor) -> None:
    """For admins: the roles on this crisis (its own and those on all crises), and the form to change one."""
    if not actor.may("manage_users"):
        return
    crisis = store.crisis
    grants = sorted((g for g in store.grants() if g.crisis in (crisis, ALL_CRISES)), key=lambda g: (g.email, g.crisis))
    with st.expander("Roles (admins)"):
        render.caption(md("A role is given on this crisis ({crisis}) or on all crises; on this crisis, a role "
                          "given for it wins over one on all crises. Only an admin of every crisis gives a role "
                          "on all. Every change goes into the history.", crisis=crisis))
        if grants:
            table = pd.DataFrame({"Email": [g.email for g in grants], "Role": [g.role for g in grants],
                                  "On": [g.crisis or ALL_LABEL for g in grants]})
            render.html(data_table(table, f"Roles on {crisis}", [""] * len(table), links=(), lang_columns=()))
        with st.form("roles_form"):
            email = st.text_input("Email (as verified at sign-in)", key="role_email")
            role = st.selectbox("Role", (*ROLES, REMOVE), key="role_role")
            scope = st.selectbox("On", (crisis, ALL_LABEL), key="role_scope")
            reason = st.text_input("Why (required)", key="role_reason")
            if st.form_submit_button("Save the role"):
                try:
                    changes = store.set_role(email, None if role == REMOVE else role, actor, reason,
                                             ALL_CRISES if scope == ALL_LABEL else crisis)
                    st.session_state["_review_message"] = "; ".join(
                        f"{c.row_id}: {c.field} {c.old or 'none'} -> {c.new}; recorded" for c in changes) or "No change."
                    st.rerun()
                except SaveError as error:
                    refused(error)

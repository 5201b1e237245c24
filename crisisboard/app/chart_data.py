"""Under every chart: "Data behind this chart" (the same figures as a table a keyboard and a screen reader
can read, with its downloads) and, where a chart opens claims' cards, a choice that opens one without a mouse."""

from __future__ import annotations

import weakref

import streamlit as st

from crisisboard.app import render
from crisisboard.charts.views import ViewFigure
from crisisboard.claims.cards import ClaimCard
from crisisboard.claims.html import data_table, quote_block
from crisisboard.claims.markup import text
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef
from crisisboard.claims.tables import claims_csv, screen_table, table_note
from crisisboard.data.frames import records, sorted_positions

def data_behind(view: ViewFigure, key: str, file_stem: str) -> None:
    """An expander (a button: Enter or Space opens it) with the claims behind the chart's marks as an HTML table
    in a region that takes focus, each quote marked with its language, and the CSV downloads. The table is
    built when the expander is opened (a rerun), not on every filter change."""
    box = st.expander(f"Data behind this chart: {len(view.rows):,} claims", key=f"{key}_data_open",
                      on_change="rerun")
    if not box.open:
        return
    with box:
        rows = view.claims
        render.caption(text(table_note(rows)))
        table, languages = screen_table(rows)
        render.html(data_table(table, f"Data behind this chart: {view.title}", languages))
        left, right = st.columns(2)  # the files are written when clicked, not on every run
        left.download_button("Download CSV", lambda: claims_csv(rows), file_name=f"crisisboard-{file_stem}.csv",
                             mime="text/csv", key=f"{key}_csv")
        right.download_button("Download CSV with HXL hashtags", lambda: claims_csv(rows, hxl=True),
                              file_name=f"crisisboard-{file_stem}-hxl.csv", mime="text/csv", key=f"{key}_hxl")


# the labels of each view's claims, written once per view (views are shared between sessions and cached)
_CHOICES: "weakref.WeakKeyDictionary[ViewFigure, dict[str, str]]" = weakref.WeakKeyDictionary()


def _choices(view: ViewFigure) -> dict[str, str]:
    if view not in _CHOICES:
        rows = view.claims
        order = sorted_positions(rows, ["as_of_ts", "claim_id"])
        labels = {}
        for row in records(rows[list(CLAIMREF_COLUMNS)].iloc[order]):
            ref = ClaimRef.from_row(row)
            labels[ref.claim_id] = f"{ref.as_of} · {ref.claimant}: {ref.figure} (grade {ref.grade})"
        _CHOICES[view] = labels
    return _CHOICES[view]


def card_choice(view: ViewFigure, clicked: list[str], key: str) -> str | None:
    """The claim whose card is open: picked from a list of the chart's claims (by keyboard: Tab to it, type to
    search, Enter), or the mark last clicked on the chart, whichever the reader did last."""
    labels = _choices(view)
    last = st.session_state.get(f"{key}_clicked")
    if clicked and clicked != last:  # a new click on the chart opens that card
        st.session_state[f"{key}_clicked"] = clicked
        st.session_state[key] = clicked[0]
    if st.session_state.get(key) not in labels:
        st.session_state[key] = None
    return st.selectbox("Open a claim's card", list(labels), format_func=labels.__getitem__, key=key,
                        placeholder="Choose a claim (type to search), or click a mark on the chart",
                        help="The claims on the chart, earliest first.")


def show_card(card: ClaimCard) -> None:
    """A claim's card: its quote drawn as HTML marked with its language, the rest as Markdown."""
    render.markdown(card.head)
    render.html(quote_block(card.quote, card.language))
    render.markdown(card.tail)

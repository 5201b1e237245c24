"""Changes: the claims added, edited, retracted or restored since a day, with who, when and why (for staff; to
everyone else, the role of who made each change), and the changes a reader who quoted the data before must hear
of (new extremes, retractions)."""

from datetime import datetime, time, timezone

import streamlit as st

from crisisboard.app import render
from crisisboard.app.frame import end_page, start_page
from crisisboard.app.privacy import audience
from crisisboard.app.visits import last_visit, remember_visit
from crisisboard.claims.changes import changes_since, default_since
from crisisboard.claims.markup import literal, md
from crisisboard.claims.tables import download_csv
from crisisboard.data.backends import open_store

page = start_page("Changes: what was added, edited and retracted")
seen = last_visit(page.crisis)  # each crisis's own
remember_visit(page.crisis)
since = st.columns([1, 3])[0].date_input(
    "Changes since", value=(seen or default_since()).date(), key="changes_since",
    help="Opens on your last visit in this browser (else 30 days ago). Every change is kept in the history with "
         "who made it and why.")
start = seen if seen and since == seen.date() else datetime.combine(since, time(0), tzinfo=timezone.utc)
if seen:
    render.caption(md("Your last visit to this page in this browser: {when} UTC.", when=f"{seen:%-d %B %Y, %H:%M}"))
store = open_store(page.dataset.data_dir)
reader = audience(store)  # staff see who and why; everyone else the role of who did it (claims.audience)
changes = changes_since(store.history(), page.dataset, start, reader)
flagged = int(changes["flag"].ne("").sum())
render.caption(md("{n} change(s) since {day}; {flagged} flagged (a new highest or lowest figure of a metric and "
                  "tier, or a retraction: charts, exports and packs made before it still show the figure).",
                  n=len(changes),
                  day=f"{since:%-d %B %Y}", flagged=flagged))
if not reader.names:
    render.caption(literal("Who proposed and approved each change is given by their role; signed-in staff also "
                           "see their names and the reasons they gave."))
elif not reader.reasons:
    render.caption(literal("The reasons given for each change are shown to signed-in staff only."))
if changes.empty:
    render.info(literal("No claim was added, edited or retracted since then."))
else:
    st.dataframe(changes, hide_index=True, column_config={
        "at": st.column_config.TextColumn("when", width=160),
        "what": st.column_config.TextColumn("what", width=120),
        "flag": st.column_config.TextColumn("flag", width=270),
        "who": st.column_config.TextColumn("proposed by"),
        "approved_by": st.column_config.TextColumn("approved by"),
        "reason": st.column_config.TextColumn("why", width="medium")})
    st.download_button("Download changes.csv", lambda: download_csv(changes), file_name="changes.csv",
                       mime="text/csv")
end_page(page)

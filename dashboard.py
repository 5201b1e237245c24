"""crisisboard: the entry point. It only routes; every page draws the shared frame itself
(crisisboard.app.frame.start_page), so filters hold on direct loads and page switches alike, and run_page
keeps a data version that cannot be drawn from taking the app down."""

import streamlit as st

from crisisboard.app.datasets import page_title, redirect_to, run_page

st.set_page_config(page_title=page_title(), layout="wide")

# The Overview is served at the root ("/"); its own name, /overview, is a hidden page that sends it there.
OVERVIEW = st.Page("pages/overview.py", title="Overview", url_path="", default=True)
PAGES = [
    OVERVIEW,
    st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
    st.Page("pages/who_says_what.py", title="Who says what", url_path="who_says_what"),
    st.Page("pages/map.py", title="Map", url_path="map"),
    st.Page("pages/sources.py", title="Sources", url_path="sources"),
    st.Page("pages/add_release.py", title="Add a release", url_path="add_release"),
    st.Page("pages/review.py", title="Review", url_path="review"),
    st.Page("pages/changes.py", title="Changes", url_path="changes"),
    st.Page(redirect_to(OVERVIEW), title="Overview", url_path="overview", visibility="hidden"),
]

run_page(st.navigation(PAGES))

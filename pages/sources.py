"""Sources: every release in the dataset, with a link and the grades of the claims it carries."""

import streamlit as st

from crisisboard.app_state import page_footer, page_frame
from crisisboard.sources_view import sources_markdown, sources_table

frame = page_frame("Sources: every release behind the figures")
st.markdown(sources_markdown(sources_table(frame.dataset.sources, frame.dataset.claims, frame.claims)))
page_footer(frame)

"""Sources: every release in the dataset, with a link and the grades of the claims it carries."""

import streamlit as st

from crisisboard.app_state import page_footer, page_frame
from crisisboard.sources_view import sources_markdown, sources_table

frame = page_frame("Sources: every release behind the figures")
only_shown = st.toggle("Only the releases behind the claims shown", key="sources_only_shown",
                       help="Off: every release in the dataset, including those that carry no claim under the filters.")
table = sources_table(frame.dataset.sources, frame.dataset.claims, frame.claims, only_shown=only_shown)
st.caption(f"{len(table)} releases. Dates marked c. are inferred (not printed on the page); "
           "grades are source reliability A–F and information credibility 1–6.")
st.markdown(sources_markdown(table))
page_footer(frame)

"""Sources: every release in the dataset, with a link and the grades of the claims it carries."""

import streamlit as st

from crisisboard.app_state import page_footer, page_frame
from crisisboard.sources_view import page_count, page_of, sources_markdown, sources_table

frame = page_frame("Sources: every release behind the figures")
only_shown = st.toggle("Only the releases behind the claims shown", key="sources_only_shown",
                       help="Off: every release in the dataset, including those that carry no claim under the filters.")
table = frame.selection.derive(sources_table, frame.dataset, only_shown)
pages = page_count(table)
page = st.columns([1, 5])[0].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, step=1,
                                          key="sources_page") if pages > 1 else 1
rows, where = page_of(table, int(page))
st.caption(f"{where}. Dates marked c. are inferred (not printed on the page); "
           "grades are source reliability A–F and information credibility 1–6.")
st.markdown(sources_markdown(rows))
page_footer(frame)

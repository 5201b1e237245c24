"""Sources: every release in the dataset, with a link and the grades of the claims it carries."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.frame import end_page, start_page
from crisisboard.app.widgets import page_number
from crisisboard.claims.markup import md
from crisisboard.claims.sources import page_count, page_of, sources_markdown, sources_table

page = start_page("Sources: every release behind the figures")
only_shown = st.toggle("Only the releases behind the claims shown", key="sources_only_shown",
                       help="Off: every release in the dataset, including those that carry no claim under the filters.")
table = page.selection.derive(sources_table, page.dataset, only_shown)
pages = page_count(table)
number = page_number(f"Page (of {pages:,})", pages, "sources_page", st.columns([1, 5])[0])
rows, where = page_of(table, number)
render.caption(md("{where}. Dates marked c. are inferred (not printed on the page); grades are source reliability "
                  "A–F and information credibility 1–6.", where=where))
render.markdown(sources_markdown(rows))
end_page(page)

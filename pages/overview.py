"""Overview: per metric, the spread of claims by reliability tier and the figures behind it."""

import streamlit as st

from crisisboard.app_state import export_controls, page_footer, page_frame, view_figure
from crisisboard.views import ViewSpec

frame = page_frame("Overview: what was claimed, by whom")
summaries = frame.selection.summaries
if not summaries:
    st.info("No claims match the filters. Widen them in the sidebar.")
else:
    view = view_figure(frame, ViewSpec("overview"))
    st.plotly_chart(view.figure, theme=None, config={"displaylogo": False})
    export_controls(frame, view)
    for summary in summaries:
        with st.container(border=True):
            st.subheader(summary.label)
            st.caption(f"{summary.n_claims} claims in {summary.n_sources} sources, "
                       f"{summary.n_statements} distinct statements")
            official, other = st.columns(2)
            official.markdown("**Latest official figure**  \n" + (summary.latest_official.markdown()
                              if summary.latest_official else "_No official figure among the claims shown._"))
            other.markdown("**Highest other claim**  \n" + (summary.highest_other.markdown()
                           if summary.highest_other else "_No other numeric claim among those shown._"))
            for tier in summary.tiers:
                st.markdown(tier.markdown())
page_footer(frame)

"""Overview: per metric, the spread of claims by reliability tier and the figures behind it."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.charts.views import OverviewSpec
from crisisboard.claims.markup import literal, md, text
from crisisboard.claims.summaries import summarise_metrics

page = start_page("Overview: what was claimed, by whom")
summaries = page.selection.derive(summarise_metrics)
if not summaries:
    render.info(literal("No claims match the filters. Widen them in the sidebar."))
else:
    view = view_figure(page, OverviewSpec())
    show_chart(view)
    export_controls(page, view)
    for summary in summaries:
        with st.container(border=True):
            render.subheader(text(summary.label))
            render.caption(md("{claims} claims in {sources} sources, {statements} distinct statements",
                              claims=summary.n_claims, sources=summary.n_sources, statements=summary.n_statements))
            official, other = st.columns(2)
            render.markdown(literal("**Latest official figure**  \n") + (
                summary.latest_official.markdown() if summary.latest_official
                else literal("_No official figure among the claims shown._")), official)
            render.markdown(literal("**Highest other claim**  \n") + (
                summary.highest_other.markdown() if summary.highest_other
                else literal("_No other numeric claim among those shown._")), other)
            for tier in summary.tiers:
                render.markdown(tier.markdown())
            if summary.partial:
                render.markdown(summary.partial.markdown())
end_page(page)

"""Overview: how far apart the claims about the same thing are, at a comparable time, and the numbers a reader
can quote, each with its source and grade."""

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.chart_data import data_behind
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.app.widgets import url_date
from crisisboard.charts.views import OverviewSpec
from crisisboard.claims.markup import literal, md, text
from crisisboard.claims.summaries import RECENT_DAYS, headline, summarise_metrics

page = start_page("Overview: what was claimed, by whom", pick_crisis=True)
if page.claims.empty:
    render.info(literal("No claims match the filters. Widen them in the sidebar."))
else:
    days = page.claims["as_of_day"]
    default = min(max(pd.Timestamp(page.dataset.crisis.defaults.day), days.min()), days.max())
    day = pd.Timestamp(url_date("Compare the claims of the three days up to", "day", default.date(),
                                days.min().date(), days.max().date()))
    summaries = page.selection.derive(summarise_metrics, day, page.dataset.crisis.population_labels)
    view = view_figure(page, OverviewSpec(day=f"{day:%Y-%m-%d}"))
    show_chart(view)
    export_controls(page, view)
    data_behind(view, "overview", "overview")
    span = f"{day - pd.Timedelta(days=RECENT_DAYS - 1):%-d} – {day:%-d %b %Y}"
    for summary in summaries:
        with st.container(border=True):
            render.subheader(text(summary.label))
            render.caption(md("{claims} claims in {sources} sources, {statements} distinct statements. Credible: high or "
                              "medium reliability, among each originator's latest crisis-wide claim of {span}.",
                              claims=summary.n_claims, sources=summary.n_sources, statements=summary.n_statements,
                              span=span))
            columns = st.columns(4)
            for column, (label, ref, empty) in zip(columns, (
                    ("Latest official figure", summary.latest_official, "No official figure among the claims shown."),
                    ("Lowest credible claim", summary.lowest_credible, "No credible claim in these days."),
                    ("Highest credible claim", summary.highest_credible, "No credible claim in these days."),
                    ("Final count (commission)", summary.final, "No commission's count among the claims shown."))):
                render.markdown(headline(label, ref, empty), column)
            if summary.highest_other:
                render.markdown(literal("**Highest claim by anyone but the officials**: ") + summary.highest_other.markdown())
            if summary.partial:
                render.markdown(summary.partial.markdown())
            with st.expander("Every claim by reliability tier"):
                for tier in summary.tiers:
                    render.markdown(tier.markdown())
end_page(page)

"""Who says what: the latest claim of each kind of claimant side by side, and whether they are contested."""

import pandas as pd
import streamlit as st

from crisisboard import schema
from crisisboard.app_state import page_footer, page_frame, url_date, url_number, url_select
from crisisboard.timeline import metric_options
from crisisboard.whosays import DEFAULT_FACTOR, build_who_says_what_figure, contest, day_bounds, latest_by_claimant_type

frame = page_frame("Who says what")
metrics = metric_options(frame.claims)
if not metrics:
    st.info("No claims match the filters. Widen them in the sidebar.")
else:
    metric_col, day_col, factor_col = st.columns([2, 1, 1])
    with metric_col:
        metric = url_select("Metric", metrics, "chart", "killed" if "killed" in metrics else metrics[0],
                            format_func=schema.METRIC_LABELS.__getitem__)
    first, last, default = day_bounds(frame.claims, metric)
    with day_col:
        day = pd.Timestamp(url_date("As of", "day", default.date(), first.date(), last.date()))
    with factor_col:
        factor = url_number("Contested when apart by more than ×", "factor", DEFAULT_FACTOR, 1.1, 0.5)
    result = contest(frame.claims, metric, day, factor=factor)
    (st.error if result.contested else st.info)(result.sentence())
    entries = latest_by_claimant_type(frame.claims, metric, day)
    st.plotly_chart(build_who_says_what_figure(entries, metric, day, result), theme=None,
                    config={"displaylogo": False})
    for entry in entries:
        st.markdown(f"- **{entry.category}**: {entry.ref.markdown()}")
page_footer(frame)

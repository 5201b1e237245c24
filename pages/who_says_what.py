"""Who says what: the latest claim of each kind of claimant side by side, and whether they are contested."""

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.chart_data import data_behind
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.app.widgets import url_date, url_number, url_select
from crisisboard.charts.views import WhoSaysSpec
from crisisboard.claims.comparisons import (DEFAULT_FACTOR, MAX_FACTOR, MIN_FACTOR, ROW_LABELS, ROWS, day_bounds,
                                            default_population, population_counts)
from crisisboard.claims.markup import literal, md, text
from crisisboard.claims.populations import counted_label, order
from crisisboard.data.countries import metric_labels

page = start_page("Who says what")
metrics = page.selection.metrics
if not metrics:
    render.info(literal("No claims match the filters. Widen them in the sidebar."))
else:
    metric_col, whom_col, day_col = st.columns([3, 4, 2])
    with metric_col:
        default_metric = page.dataset.crisis.defaults.metric
        metric = url_select("Metric", metrics, "chart", default_metric if default_metric in metrics else metrics[0],
                            format_func=metric_labels(page.dataset.claims).__getitem__)
    counts, labels = population_counts(page.claims, metric), page.dataset.crisis.population_labels
    with whom_col:
        whom = url_select("Whom the figures count", order(counts, labels), "whom", default_population(counts),
                          format_func=lambda key: counted_label(key, counts[key], labels))
    first, last, default = day_bounds(page.claims, metric, pd.Timestamp(page.dataset.crisis.defaults.day))
    with day_col:
        day = pd.Timestamp(url_date("As of", "day", default.date(), first.date(), last.date()))
    rows_col, factor_col, _ = st.columns([3, 4, 2])
    with rows_col:
        rows = url_select("One row per", list(ROWS), "rows", page.dataset.crisis.defaults.who_says_rows,
                          format_func=ROW_LABELS.__getitem__)
    with factor_col:
        factor = url_number("Contested when apart by more than ×", "factor", DEFAULT_FACTOR, MIN_FACTOR, MAX_FACTOR,
                            0.5)
    view = view_figure(page, WhoSaysSpec(metric=metric, day=f"{day:%Y-%m-%d}", factor=factor,
                                        population=whom, rows=rows))
    result = view.contest
    (render.error if result.contested else render.info)(text(result.sentence()))
    show_chart(view)
    export_controls(page, view)
    data_behind(view, "who_says_what", f"who-says-{metric}")
    for entry in view.entries:
        render.markdown(md("- **{category}**: {claim}", category=entry.category, claim=entry.ref.markdown()))
    if view.partial:
        render.markdown(md("**Partial counts of these days, not compared** (one place, incident, cemetery, group "
                           "or period; each claim's card says which)"))
        for ref in view.partial:
            render.markdown(md("- {claim}", claim=ref.markdown()))
end_page(page)

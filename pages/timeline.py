"""Timeline: how the figures of one metric evolved, claim by claim, each traceable to its release."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.chart_data import card_choice, data_behind, show_card
from crisisboard.app.editing import claim_actions, notice
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.app.widgets import selected_ids, url_choice, url_select, url_toggle
from crisisboard.charts.timeline import X_MODES
from crisisboard.charts.views import TimelineSpec
from crisisboard.claims.cards import claim_card
from crisisboard.claims.comparisons import population_counts
from crisisboard.claims.markup import literal
from crisisboard.claims.populations import counted_label, order
from crisisboard.claims.statements import claim_and_carriers
from crisisboard.data.countries import metric_labels

page = start_page("Timeline: how the figures evolved")
metrics = page.selection.metrics
if not metrics:
    render.info(literal("No claims match the filters. Widen them in the sidebar."))
else:
    default_metric = page.dataset.crisis.defaults.metric
    metric = url_select("Metric shown", metrics, "chart", default_metric if default_metric in metrics else metrics[0],
                        format_func=metric_labels(page.dataset.claims).__getitem__)
    counts, labels = population_counts(page.claims, metric), page.dataset.crisis.population_labels
    whom = ""
    if len(counts) > 1:  # the metric's claims count different people: a reader may keep to one of them
        whom = url_select("Whom the figures count", ["", *order(counts, labels)], "whom", "",
                          format_func=lambda key: counted_label(key, counts[key], labels) if key else
                          f"Every population together ({sum(counts.values())} claims)")
    axis, scale, strip = st.columns([2, 1, 1])
    with axis:
        x_mode = url_choice("Time axis", list(X_MODES), "x", "as_of", format_func=X_MODES.__getitem__)
    with scale:
        log_y = url_toggle("Log scale", "log", True, help="Figures from 1 to 100,000 on one chart need it.")
    with strip:
        show_incidents = url_toggle("Incidents", "incidents", True, help="Dated events on a strip below.")
    view = view_figure(page, TimelineSpec(metric=metric, x_mode=x_mode, log_y=log_y,
                                       incidents=show_incidents, population=whom))
    event = show_chart(view, on_select="rerun", selection_mode="points", key="timeline_chart")
    export_controls(page, view)
    notice()
    chosen = card_choice(view, selected_ids(event), key="timeline_card")
    found = claim_and_carriers(page.claims, chosen) if chosen else None
    if found:
        with st.container(border=True):
            show_card(claim_card(*found))
            claim_actions(found[0], page.dataset.data_dir)
    data_behind(view, "timeline", metric)
end_page(page)

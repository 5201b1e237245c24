"""Map: where it happened and where people fled, one metric at a time, drawn from the shipped geodata (no
internet)."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.chart_data import data_behind
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.app.widgets import url_choice, url_select
from crisisboard.charts.views import MapSpec
from crisisboard.claims.cards import claims_by_place_markdown
from crisisboard.claims.markup import md
from crisisboard.data.countries import metric_labels

page = start_page("Map: where it happened, where people fled")
areas, crisis = page.dataset.crisis.areas, page.dataset.crisis
metrics = page.selection.metrics or [crisis.defaults.metric]
area_col, metric_col = st.columns([3, 2])
with area_col:
    area = url_choice("View", list(areas), "view", crisis.defaults.map_area, format_func=lambda key: areas[key].label)
with metric_col:
    default = crisis.defaults.metric if crisis.defaults.metric in metrics else metrics[0]
    metric = url_select("Metric", metrics, "chart", default, format_func=metric_labels(page.dataset.claims).__getitem__)
view = view_figure(page, MapSpec(area=area, metric=metric))
show_chart(view, config={"scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]})
export_controls(page, view)
render.caption(md("One marker per place, sized by the highest credible figure claimed there (hollow: no credible "
                  "figure); its label gives that figure and, in brackets, how many claims are behind it. Press "
                  "▶ Play to step through the days. {border} {layers}", border=crisis.geo.border_note,
                  layers=crisis.geo.layers_note))
if view.areas:
    render.markdown(md("**Claims about whole areas** ({metric}: a region, a country or the border; not drawn as a "
                       "point)", metric=metric_labels(page.dataset.claims)[metric]))
    for line in view.areas:
        render.markdown(line.markdown())
data_behind(view, "map", f"map-{area}-{metric}")
# the list is written when the expander is opened (a rerun), not on every filter change
claims_list = st.expander(f"The {len(view.rows):,} claims of this metric, with links to their sources",
                          key="map_claims_open", on_change="rerun")
if claims_list.open:
    render.markdown(claims_by_place_markdown(view.claims), claims_list)
end_page(page)

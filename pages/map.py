"""Map: where things happened and where people fled, drawn from the shipped geodata (no internet)."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.exports import export_controls
from crisisboard.app.frame import end_page, show_chart, start_page, view_figure
from crisisboard.app.widgets import url_choice
from crisisboard.charts.views import MapSpec
from crisisboard.claims.cards import claims_by_place_markdown
from crisisboard.claims.markup import literal

page = start_page("Map: where it happened, where people fled")
areas, crisis = page.dataset.crisis.areas, page.dataset.crisis
area = url_choice("View", list(areas), "view", crisis.defaults.map_area, format_func=lambda key: areas[key].label)
view = view_figure(page, MapSpec(area=area))
show_chart(view, config={"scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]})
export_controls(page, view)
render.caption(literal("Drag to pan, scroll to zoom, double-click to reset. Press ▶ Play to step through the days. "
                       "Claims about a whole region, a country or the border are listed on the badges at the top "
                       "left and outlined with a dashed line; they are never drawn as a point. The border line is "
                       "today's (including the 2022–23 delimitation), not exactly the 2010 line."))
# the list is written when the expander is opened (a rerun), not on every filter change
claims_list = st.expander(f"The {len(page.claims):,} claims on this map, with links to their sources",
                          key="map_claims_open", on_change="rerun")
if claims_list.open:
    render.markdown(page.selection.derive(claims_by_place_markdown), claims_list)
end_page(page)

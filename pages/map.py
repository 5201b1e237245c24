"""Map: where things happened and where people fled, drawn from the shipped geodata (no internet)."""

import streamlit as st

from crisisboard.app import render
from crisisboard.app.state import export_controls, page_footer, page_frame, url_choice, view_figure
from crisisboard.claims.markup import literal
from crisisboard.charts.maps import DEFAULT_VIEW, VIEWS, claims_by_place_markdown
from crisisboard.charts.views import ViewSpec

frame = page_frame("Map: where it happened, where people fled")
map_view = url_choice("View", list(VIEWS), "view", DEFAULT_VIEW, format_func=lambda key: VIEWS[key].label)
view = view_figure(frame, ViewSpec("map", map_view=map_view))
st.plotly_chart(view.figure, theme=None,
                config={"scrollZoom": True, "displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]})
export_controls(frame, view)
render.caption(literal("Drag to pan, scroll to zoom, double-click to reset. Press ▶ Play to step through the days. "
                       "Claims about a whole region, a country or the border are listed on the badges at the top "
                       "left and outlined with a dashed line; they are never drawn as a point. The border line is "
                       "today's (including the 2022–23 delimitation), not exactly the 2010 line."))
# the list is written when the expander is opened (a rerun), not on every filter change
claims_list = st.expander(f"The {len(frame.claims):,} claims on this map, with links to their sources",
                          key="map_claims_open", on_change="rerun")
if claims_list.open:
    render.markdown(frame.selection.derive(claims_by_place_markdown), claims_list)
page_footer(frame)

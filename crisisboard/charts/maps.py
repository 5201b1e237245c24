"""The Map figure: the crisis's geography, claims at their places, claims about whole areas on badges,
incidents, and a day slider through the crisis window (crisisboard.data.crisis).

A claim about a point place (a city, a village) is a marker there, sized by its figure and coloured by
reliability tier. A claim about a region, a country or the border is never drawn as a point: the region is
shaded and a labelled badge, kept inside the map, lists its claims on hover. The pieces are drawn by
crisisboard.charts.map_geography and crisisboard.charts.map_markers.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.map_geography import POINT_PRECISION, place_geometries, static_traces, town_labels
from crisisboard.charts.map_markers import MAX_POINTS, dynamic_traces, precision_of, prepare
from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style
from crisisboard.claims.attribution import CAVEAT, build_attribution
from crisisboard.data.crisis import MapArea
from crisisboard.data.geo import GeoData
from crisisboard.data.load import Dataset
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS

ANIMATE = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))


def _legend_traces() -> list[go.Scatter]:
    """Legend-only entries: one per tier, one for vague figures, one for area badges and one for incidents."""
    entries = [go.Scatter(x=[None], y=[None], mode="markers", name=TIER_LABELS[t],
                          marker=dict(size=12, color=TIER_COLOURS[t])) for t in TIERS]
    entries += [
        go.Scatter(x=[None], y=[None], mode="markers", name="Vague figure (\"thousands\"): hollow, size by order",
                   marker=dict(size=12, color="rgba(0,0,0,0)", line=dict(color="#555", width=3))),
        go.Scatter(x=[None], y=[None], mode="markers", name="Claims about a whole area (badge: area and number of claims)",
                   marker=dict(symbol="square", size=12, color="#fff3d6", line=dict(color="#b07800", width=2))),
        go.Scatter(x=[None], y=[None], mode="markers", name="Incident (dated event)",
                   marker=dict(symbol="diamond", size=11, color="#222222")),
    ]
    return entries


def _day_label(day: pd.Timestamp) -> str:
    return f"{day:%-d %b}"


def _window(dataset: Dataset) -> pd.DatetimeIndex:
    """Every day of the crisis window, which the slider steps through."""
    window = dataset.crisis.window
    return pd.date_range(pd.Timestamp(window.start), pd.Timestamp(window.end), freq="D")


def _frame_days(claims: pd.DataFrame, incidents: pd.DataFrame, days: pd.DatetimeIndex) -> list[pd.Timestamp]:
    """The slider's days that get a frame: the first, and every day on which something changes."""
    changes = set(pd.DatetimeIndex(claims["as_of_day"].unique())) | set(pd.DatetimeIndex(incidents["start_ts"].unique()))
    return [day for i, day in enumerate(days) if i == 0 or day in changes]


def _day_frames(prepared: object, names: dict[str, str], days: pd.DatetimeIndex, frame_days: list[pd.Timestamp],
                dynamic_ids: list[int]) -> tuple[list[dict], dict]:
    """A frame per day on which something changes (and one for "all dates"), and the slider and play buttons
    that step through them: a step per day, each showing the latest frame by then."""
    frames, steps, current = [], [], None
    for day in days:
        if day in frame_days:
            current = day.strftime("%Y-%m-%d")
            frames.append(dict(name=current, traces=dynamic_ids, data=dynamic_traces(prepared, names, day)))
        steps.append(dict(label=_day_label(day), method="animate", args=[[current], ANIMATE]))
    # "all dates": what a day after every claim shows, as lean as a day's frame
    frames.append(dict(name="all", traces=dynamic_ids, data=dynamic_traces(prepared, names, pd.Timestamp.max)))
    steps.append(dict(label="all dates", method="animate", args=[["all"], ANIMATE]))
    controls = dict(
        sliders=[dict(active=len(steps) - 1, steps=steps, x=0.08, len=0.9, y=-0.02, yanchor="top",
                      currentvalue=dict(prefix="Claims as of ", font=dict(size=16), xanchor="right"),
                      pad=dict(t=30),
                      font=dict(size=11))],
        updatemenus=[dict(type="buttons", direction="left", showactive=False, x=0.0, y=-0.02, xanchor="left",
                          yanchor="top", pad=dict(t=38), buttons=[
                              dict(label="▶ Play", method="animate",
                                   args=[[step["args"][0][0] for step in steps[:-1]], dict(
                                       mode="immediate", fromcurrent=False, frame=dict(duration=450, redraw=True),
                                       transition=dict(duration=0))]),
                              dict(label="❚❚", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))]),
                          ])],
    )
    return frames, controls


def _layout(area: MapArea, title: str | None, animate: bool, controls: dict) -> tuple[dict, int]:
    """The layout (an equirectangular view whose aspect is corrected for latitude) and the px from the plot's
    bottom edge to the attribution."""
    lat0 = math.radians(sum(area.lat) / 2)
    height, top, bottom = 900, 80, (300 if animate else 200)
    below = 120 if animate else 10
    plot_height = height - top - bottom
    return dict(
        title=dict(text=f"{title or 'Claims by place: ' + area.label}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(range=list(area.lon), showgrid=False, zeroline=False, showticklabels=False,
                   constrain="domain"),
        yaxis=dict(range=list(area.lat), showgrid=False, zeroline=False, showticklabels=False,
                   scaleanchor="x", scaleratio=1 / math.cos(lat0), constrain="domain"),
        plot_bgcolor="#dfe6ea", height=height, margin=dict(l=10, r=10, t=top, b=bottom),
        legend=dict(orientation="h", yanchor="top", y=-(below + 60) / plot_height, x=0, font=dict(size=13)),
        dragmode="pan", hoverlabel=dict(align="left"), **controls,
    ), below


def build_map_figure(dataset: Dataset, geo: GeoData, claims: pd.DataFrame, incidents: pd.DataFrame,
                     area_key: str | None = None, animate: bool = True, title: str | None = None) -> go.Figure:
    """The map of one area (default: the crisis definition's), with a day slider through the crisis window
    (then "all") when `animate`. Each day shows the claims whose `as_of` is on or before it and the incidents
    begun by then."""
    crisis, places = dataset.crisis, dataset.places
    area = crisis.areas[area_key or crisis.defaults.map_area]
    shapes = place_geometries(dataset, geo)
    kind_of = dict(zip(places["place_id"], places["kind"]))
    shaded = frozenset(p for p in set(claims["place_id"].unique()) & set(shapes) if kind_of[p] != "country")
    static = static_traces(dataset, geo, shaded, area)
    days = _window(dataset)
    frame_days = _frame_days(claims, incidents, days) if animate else []
    prepared = prepare(claims, incidents, places, area, frame_days)
    names = dict(zip(places["place_id"], places["name"]))
    dynamic = dynamic_traces(prepared, names, None)
    data = static + dynamic + [town_labels(dataset)] + _legend_traces()
    dynamic_ids = list(range(len(static), len(static) + len(dynamic)))
    frames, controls = _day_frames(prepared, names, days, frame_days, dynamic_ids) if animate else ([], {})
    layout, below = _layout(area, title, animate, controls)
    # the day frames, the claims' traces and the layout with its day slider (a step per day) are plain
    # dicts: they become the figure without Plotly validating each of their items (see figure_of)
    fig = figure_of(data, frames, layout=layout)
    n_points = int(precision_of(claims, places).le(POINT_PRECISION).sum())
    if n_points > MAX_POINTS:
        fig.add_annotation(text=f"<b>Showing {MAX_POINTS:,} of {n_points:,} claims at towns</b> (a fixed sample); "
                                "narrow the filters to see them all.", xref="paper", yref="paper", x=1, y=1,
                           xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=12, color="#7a2e00"),
                           bgcolor="#fff3d6")
    add_footer(fig, f"{crisis.geo.attribution}<br>{build_attribution(claims).wrapped(limit=8, width=170)}",
               yshift=-below)
    return apply_style(fig)

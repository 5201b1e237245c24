"""The Map figure: one metric at a time, the crisis's geography, one marker per place, the ways people fled, and
a day slider through the crisis window (crisisboard.data.crisis).

Markers follow the rule of crisisboard.charts.map_markers (one per place, sized by the latest credible figure,
labelled with it and the number of claims). Claims about whole areas are listed beside the map
(crisisboard.claims.areas), never drawn as a point. For the displacement and refugee metrics, the routes of
the crisis definition are drawn as arrows, with the claimed range of the metric at the border. Every label is
placed without collisions (crisisboard.charts.map_labels). The geography is crisisboard.charts.map_geography.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.map_geography import drawn, enclave_anchors, place_geometries, region_anchors, static_traces
from crisisboard.charts.map_labels import Canvas, Label
from crisisboard.charts.map_markers import (
    SIZE_KEY,
    marker_size,
    point_claims,
    spot_claims,
    spots_for,
    state_on,
)
from crisisboard.charts.map_routes import flow_label, route_traces
from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style
from crisisboard.claims.areas import POINT_PRECISION
from crisisboard.claims.attribution import CAVEAT, build_attribution
from crisisboard.claims.markup import plain
from crisisboard.data import schema
from crisisboard.data.countries import metric_label_in
from crisisboard.data.crisis import MapArea
from crisisboard.data.geo import GeoData
from crisisboard.data.load import Dataset
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS

KEY_SHARE = 0.1  # of the plot's height: the size key's strip under the map
KEY_TEXT = 0.36  # of the plot's width: the key's words, then its markers
ANIMATE = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))
MOVEMENT = ("displacement", "refugees")  # the metric families whose routes are drawn
# the type size each labelled trace is placed for (an export holds its labels within what was placed)
LABEL_FONTS = {"Claims at the place": 13, "Claimed range of the movement": 12, "Town (GeoNames)": 14,
               "Regions and enclaves": 12, "Size key": 13}


def _legend_traces() -> list[dict]:
    """Legend-only entries: the tiers, hollow markers, incidents (the sizes have their key under the map: a
    legend draws every marker at one size)."""
    entries = [dict(type="scatter", x=[None], y=[None], mode="markers", name=TIER_LABELS[t], legendgroup="tier",
                    legendgrouptitle=dict(text="Colour: reliability of the figure"),
                    marker=dict(size=13, color=TIER_COLOURS[t])) for t in TIERS]
    entries += [
        dict(type="scatter", x=[None], y=[None], mode="markers", name="no credible figure (hollow)",
             legendgroup="other", marker=dict(size=13, color="rgba(0,0,0,0)", line=dict(color="#555", width=2))),
        dict(type="scatter", x=[None], y=[None], mode="markers", name="Incidents at the place",
             legendgroup="other", marker=dict(symbol="diamond", size=11, color="#222222")),
    ]
    return entries


def _size_key() -> dict:
    """The size key, in a strip of its own under the map: each marker drawn at the size it stands for."""
    xs = [KEY_TEXT + 0.11 * i for i in range(len(SIZE_KEY))]
    return dict(type="scatter", xaxis="x2", yaxis="y2", x=xs, y=[0.5] * len(xs), mode="markers+text",
                text=[f"{value:,}" for value in SIZE_KEY], textposition="middle right",
                textfont=dict(size=13, color="#1a1a1a"), hoverinfo="skip", showlegend=False, name="Size key",
                marker=dict(size=[marker_size(value) for value in SIZE_KEY], color="#888888",
                            line=dict(color="white", width=2)))


def _days(dataset: Dataset) -> pd.DatetimeIndex:
    window = dataset.crisis.window
    return pd.date_range(pd.Timestamp(window.start), pd.Timestamp(window.end), freq="D")


def _incident_spots(incidents: pd.DataFrame, places: pd.DataFrame, area: MapArea, spots: list) -> list[tuple]:
    """One diamond per marker (or per group of point places too close to tell apart) with incidents, below it:
    (x, y, name, start days, hovers)."""
    points = places[places["precision"].le(POINT_PRECISION)]
    own = incidents[incidents["place_id"].isin(points["place_id"])]
    marked = {place for spot in spots for place in spot.spot.place_ids}
    others = own[~own["place_id"].isin(marked)]["place_id"].value_counts().to_dict()
    # a place with incidents near a marker shares its diamond; the others make spots as markers do
    spot_of = {place: spot for spot in spots_for(points, others, area, tuple(s.spot for s in spots))
               for place in spot.place_ids}
    groups: dict[tuple, list] = {}
    for row in own.itertuples():
        spot = spot_of[row.place_id]
        if area.lon[0] <= spot.x <= area.lon[1] and area.lat[0] <= spot.y <= area.lat[1]:
            groups.setdefault((spot.x, spot.y, spot.name), []).append(row)
    found = []
    for (x, y, name), rows in groups.items():
        rows = sorted(rows, key=lambda r: r.start_ts)
        found.append((x, y, name, np.array([r.start_ts for r in rows], dtype="datetime64[ns]").astype(np.int64),
                      [f"{plain(r.date_start)}: {plain(str(r.summary)[:90])}" for r in rows]))
    return found


def _one_or_each(values: list[str]) -> str | list[str]:
    """One value where all are the same (a frame sends it once), else each."""
    return values[0] if values and len(set(values)) == 1 else values


def _incident_state(spot: tuple, day: pd.Timestamp | None) -> tuple[bool, str]:
    x, y, name, starts, hovers = spot
    known = len(starts) if day is None else int(np.searchsorted(starts, day.value, side="right"))
    if not known:
        return False, ""
    if day is not None:  # a day's frame (sent once per day): the count; all dates list the latest
        return True, f"{plain(name)}: {known} incident{'s' if known != 1 else ''} begun by {day:%-d %b}"
    lines = hovers[:known][-6:][::-1]
    return True, "<br>".join([f"<b>{plain(name)}</b>: {known} incident{'s' if known != 1 else ''}"] + lines)


class _Drawn:
    """The map's markers, their labels' places and the traces that change with the day."""

    def __init__(self, dataset: Dataset, geo: GeoData, claims: pd.DataFrame, incidents: pd.DataFrame,
                 area: MapArea, metric: str):
        places = dataset.places
        at_points = point_claims(claims, places, metric)
        inside = places[(places["lon"].between(*area.lon)) & (places["lat"].between(*area.lat))]
        counts = at_points[at_points["place_id"].isin(inside["place_id"])]["place_id"].value_counts()
        self.spots = [spot_claims(at_points, spot) for spot in spots_for(places, counts[counts > 0].to_dict(), area)]
        self.metric_label = metric_label_in(claims, metric)
        self.incidents = _incident_spots(incidents, places, area, self.spots)
        self.flow = dataset.crisis.routes if schema.METRIC_FAMILIES[metric] in MOVEMENT else ()
        self.claims, self.places, self.area, self.dataset, self.geo = claims, places, area, dataset, geo
        self.metric = metric
        self._place_labels()

    def _place_labels(self) -> None:
        """Markers first, then their labels, the flow's label, towns, enclaves and regions, each where it fits."""
        canvas = Canvas(self.area)
        full = [state_on(spot, None, self.metric_label) for spot in self.spots]
        for spot, state in zip(self.spots, full):
            canvas.add_marker(spot.spot.x, spot.spot.y, state.size / 2)
        where = self.places.set_index("place_id")
        for route in self.flow:  # a route's line is room taken too: 24 points along it
            start, end = where.loc[route.start], where.loc[route.end]
            for t in np.linspace(0, 1, 24):
                canvas.add_marker(start["lon"] + t * (end["lon"] - start["lon"]),
                                  start["lat"] + t * (end["lat"] - start["lat"]), 4)
        offset = 14 / canvas.scale  # an incident diamond sits 14 px below its place
        for x, y, *_ in self.incidents:
            canvas.add_marker(x, y - offset, 6)
        self.incident_offset = offset
        towns = self._unmarked_towns()
        for row in towns.itertuples():  # every dot first, so that no label runs over one
            canvas.add_marker(row.lon, row.lat, 3.5)
        self.positions, self.texts_of = [], []
        for s, state in zip(self.spots, full):  # the name and figure on one line, else on two
            position = None
            for text in (state.label, state.label.replace(": ", "<br>", 1)):
                position = canvas.place(Label(text, s.spot.x, s.spot.y, state.size / 2, 13))
                if position:
                    break
            self.positions.append(position)
            self.texts_of.append("<br>" in text if position else False)
        self.flow_position, self.flow_anchor = None, (0.0, 0.0)
        if self.flow:  # beside a route's end, else its middle, else in the map's top left corner
            text = flow_label(self.claims, self.metric, self.label_day(None))
            (x0, x1), (y0, y1), pad = self.area.lon, self.area.lat, 0.01
            corners = [((x0 + pad * (x1 - x0), y1 - pad * (y1 - y0)), ("bottom right",)),
                       ((x1 - pad * (x1 - x0), y1 - pad * (y1 - y0)), ("bottom left",)),
                       ((x0 + pad * (x1 - x0), y0 + pad * (y1 - y0)), ("top right",)),
                       ((x1 - pad * (x1 - x0), y0 + pad * (y1 - y0)), ("top left",))]
            anchors = [(float(where.loc[r.end, "lon"]), float(where.loc[r.end, "lat"])) for r in self.flow]
            anchors += [((where.loc[r.start, "lon"] + where.loc[r.end, "lon"]) / 2,
                         (where.loc[r.start, "lat"] + where.loc[r.end, "lat"]) / 2) for r in self.flow]
            for anchor, positions in [(a, None) for a in anchors] + corners:
                label = Label(text, *anchor, 6, 12, positions or Label.positions)
                self.flow_position = canvas.place(label, own_marker=False)
                if self.flow_position:
                    self.flow_anchor = anchor
                    break
        # the enclaves (beside their point when not on it), then the towns, then countries and regions
        self.texts = [(text, x, y, position) for text, x, y in enclave_anchors(self.dataset, self.geo)
                      if (position := canvas.place(Label(text, x, y, 2, 12, ("middle center",) + Label.positions),
                                                   own_marker=False))]
        named = {text.split("<br>")[0] for text, *_ in self.texts}
        self.towns = self._towns(canvas, towns, named)
        for text, points in region_anchors(self.geo, self.area):
            fits = (point for point in points
                    if canvas.place(Label(text, *point, 0, 12, ("middle center",)), own_marker=False))
            if (point := next(fits, None)) is not None:
                self.texts.append((text, *point, "middle center"))

    def label_day(self, day: pd.Timestamp | None) -> pd.Timestamp:
        """The day the flow's label compares claims on: the slider's, or for all dates the crisis's default day
        (the Overview's), the label saying which days it compares."""
        return pd.Timestamp(self.dataset.crisis.defaults.day) if day is None or day == pd.Timestamp.max else day

    def _unmarked_towns(self) -> pd.DataFrame:
        """Towns inside the view without a marker of their own, cities first."""
        marked = {place for spot in self.spots for place in spot.spot.place_ids}
        places, area = self.places, self.area
        return places[places["precision"].le(1) & places["kind"].isin(["city", "town"])
                      & ~places["place_id"].isin(marked) & places["lon"].between(*area.lon)
                      & places["lat"].between(*area.lat)].sort_values(["kind", "place_id"])

    def _towns(self, canvas: Canvas, towns: pd.DataFrame, named: set[str]) -> list[tuple[str, float, float, str]]:
        """The towns' names where they fit; a town whose name fits nowhere, or that names its enclave's label
        already (`named`), is left out, dot and all (a dot without a name tells a reader nothing)."""
        placed = []
        for row in towns.itertuples():
            name = str(row.name).split(" (")[0]
            position = canvas.place(Label(name, row.lon, row.lat, 3.5, 14)) if name not in named else None
            if position:
                placed.append((name, row.lon, row.lat, position))
            else:
                canvas.release(row.lon, row.lat, 3.5)
        return placed

    def dynamic(self, day: pd.Timestamp | None) -> list[dict]:
        """The traces that change with the day, always the same ones in the same order (animation frames need
        it): the markers, the flow's label, the incidents. A day's frame carries only what changes."""
        states = [state_on(spot, day, self.metric_label) for spot in self.spots]
        ys = [s.spot.y if state.known else math.nan for s, state in zip(self.spots, states)]
        markers = dict(type="scatter", y=drawn(ys), text=[state.label for state in states],
                       hovertext=[state.hover for state in states],
                       marker=dict(size=[round(max(state.size, 1), 1) for state in states],
                                   color=[state.colour for state in states],
                                   line=dict(color=_one_or_each([state.outline for state in states]), width=2)))
        incident_states = [_incident_state(spot, day) for spot in self.incidents]
        incidents = dict(type="scatter", y=drawn([spot[1] - self.incident_offset if shown else math.nan
                                                   for spot, (shown, _) in zip(self.incidents, incident_states)]),
                         hovertext=[hover for _, hover in incident_states])
        traces = [markers]
        if self.flow:
            traces.append(dict(type="scatter", text=[flow_label(self.claims, self.metric, self.label_day(day))
                                                     if self.flow_position else ""]))
        traces.append(incidents)
        if day is None:  # the figure's own traces: positions and style, once
            markers.update(x=drawn([s.spot.x for s in self.spots]), mode="markers+text", name="Claims at the place",
                           textposition=[p or "middle right" for p in self.positions], showlegend=False,
                           textfont=dict(size=13, color="#1a1a1a"), hovertemplate="%{hovertext}<extra></extra>")
            markers["text"] = self._shown(markers["text"])
            incidents.update(x=drawn([spot[0] for spot in self.incidents]), mode="markers", showlegend=False,
                             name="Incidents", marker=dict(symbol="diamond", size=11, color="#222222",
                                                           line=dict(color="white", width=1)),
                             hovertemplate="%{hovertext}<extra></extra>")
            if self.flow:
                traces[1].update(x=[self.flow_anchor[0]], y=[self.flow_anchor[1]], mode="text", showlegend=False,
                                 textposition=self.flow_position or "middle right", hoverinfo="skip",
                                 textfont=dict(size=12, color="#5a3d00"), name="Claimed range of the movement")
        else:
            markers["text"] = self._shown(markers["text"])
        return traces

    def _shown(self, labels: list[str]) -> list[str]:
        """The labels as placed: on two lines where one did not fit; none where no place was found."""
        return [("" if not position else label.replace(": ", "<br>", 1) if two else label)
                for label, position, two in zip(labels, self.positions, self.texts_of)]

    def labels(self) -> list[dict]:
        towns = dict(type="scatter", x=[t[1] for t in self.towns], y=[t[2] for t in self.towns], mode="markers+text",
                     text=[plain(t[0]) for t in self.towns], textposition=[t[3] for t in self.towns],
                     textfont=dict(size=14, color="#333333"), marker=dict(size=7, color="#333333"),
                     hoverinfo="skip", showlegend=False, name="Town (GeoNames)")
        texts = dict(type="scatter", x=[t[1] for t in self.texts], y=[t[2] for t in self.texts], mode="text",
                     text=[t[0] for t in self.texts], textposition=[t[3] for t in self.texts],
                     textfont=dict(size=12, color="#5c5c5c"), hoverinfo="skip",
                     showlegend=False, name="Regions and enclaves")
        return [towns, texts]


def _controls(days: pd.DatetimeIndex, frame_days: list[pd.Timestamp]) -> dict:
    """The slider (a step per day, each showing the latest frame by then, then "all dates") and play buttons."""
    steps, current = [], None
    for day in days:
        if day in frame_days:
            current = day.strftime("%Y-%m-%d")
        steps.append(dict(label=f"{day:%-d %b}", method="animate", args=[[current], ANIMATE]))
    steps.append(dict(label="all dates", method="animate", args=[["all"], ANIMATE]))
    play = dict(mode="immediate", fromcurrent=False, frame=dict(duration=450, redraw=True), transition=dict(duration=0))
    return dict(
        sliders=[dict(active=len(steps) - 1, steps=steps, x=0.08, len=0.9, y=-0.02, yanchor="top", pad=dict(t=30),
                      currentvalue=dict(prefix="Claims as of ", font=dict(size=16), xanchor="right"), font=dict(size=11))],
        updatemenus=[dict(type="buttons", direction="left", showactive=False, x=0.0, y=-0.02, xanchor="left",
                          yanchor="top", pad=dict(t=38), buttons=[
                              dict(label="▶ Play", method="animate", args=[[s["args"][0][0] for s in steps[:-1]], play]),
                              dict(label="❚❚", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))])])])


def _layout(area: MapArea, title: str, animate: bool, controls: dict) -> tuple[dict, int]:
    """An equirectangular view whose aspect is corrected for latitude, and the px from the plot's bottom to the
    attribution."""
    lat0 = math.radians(sum(area.lat) / 2)
    height, top, bottom = 990, 80, (330 if animate else 260)
    below = 120 if animate else 10
    return dict(
        title=dict(text=f"{plain(title)}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(range=list(area.lon), showgrid=False, zeroline=False, showticklabels=False, constrain="domain"),
        yaxis=dict(range=list(area.lat), showgrid=False, zeroline=False, showticklabels=False,
                   scaleanchor="x", scaleratio=1 / math.cos(lat0), constrain="domain", domain=[KEY_SHARE * 1.2, 1]),
        xaxis2=dict(range=[0, 1], domain=[0, 1], visible=False, fixedrange=True),
        yaxis2=dict(range=[0, 1], domain=[0, KEY_SHARE], visible=False, fixedrange=True),
        shapes=[dict(type="rect", xref="x2 domain", yref="y2 domain", x0=0, x1=1, y0=0, y1=1, layer="below",
                     fillcolor="white", line=dict(width=0))],
        annotations=[dict(text="<b>Size</b>: the highest credible figure<br>claimed at the place", xref="x2 domain",
                          yref="y2 domain", x=0, y=0.5, xanchor="left", yanchor="middle", showarrow=False,
                          align="left", font=dict(size=13, color="#1a1a1a"))],
        plot_bgcolor="#dfe6ea", height=height, margin=dict(l=10, r=10, t=top, b=bottom),
        legend=dict(orientation="h", yanchor="top", y=-(below + 60) / (height - top - bottom), x=0, font=dict(size=13)),
        dragmode="pan", hoverlabel=dict(align="left"), **controls,
    ), below


def build_map_figure(dataset: Dataset, geo: GeoData, claims: pd.DataFrame, incidents: pd.DataFrame,
                     area_key: str | None = None, animate: bool = True, title: str | None = None,
                     metric: str | None = None) -> go.Figure:
    """The map of one area (default: the crisis definition's) for one metric (default: its default metric), with
    a day slider through the crisis window (then "all") when `animate`: each day shows the claims whose `as_of`
    is on or before it and the incidents begun by then."""
    crisis = dataset.crisis
    area, metric = crisis.areas[area_key or crisis.defaults.map_area], metric or crisis.defaults.metric
    shapes = place_geometries(dataset, geo)
    kind_of = dict(zip(dataset.places["place_id"], dataset.places["kind"]))
    about = set(claims.loc[claims["metric"] == metric, "place_id"].unique())
    shaded = frozenset(p for p in about & set(shapes) if kind_of[p] != "country")
    drawing = _Drawn(dataset, geo, claims, incidents, area, metric)
    static = static_traces(dataset, geo, shaded, area)
    routes = route_traces(dataset, area) if drawing.flow else []
    dynamic = drawing.dynamic(None)
    data = static + routes + dynamic + drawing.labels() + [_size_key()] + _legend_traces()
    ids = list(range(len(static) + len(routes), len(static) + len(routes) + len(dynamic)))
    days = _days(dataset)
    changes = set(pd.DatetimeIndex(claims.loc[claims["metric"] == metric, "as_of_day"].unique())) | \
        set(pd.DatetimeIndex(incidents["start_ts"].dt.normalize().unique()))
    frame_days = [day for i, day in enumerate(days) if i == 0 or day in changes] if animate else []
    frames = [dict(name=day.strftime("%Y-%m-%d"), traces=ids, data=drawing.dynamic(day)) for day in frame_days]
    frames += [dict(name="all", traces=ids, data=drawing.dynamic(pd.Timestamp.max))] if animate else []
    label = metric_label_in(claims, metric)
    layout, below = _layout(area, title or f"{label}: claims by place, {area.label}", animate,
                            _controls(days, frame_days) if animate else {})
    fig = figure_of(data, frames, layout=layout)
    layers = "".join(f"<br>{line}" for line in textwrap.wrap(plain(crisis.geo.layers_note), 170))
    add_footer(fig, f"{crisis.geo.attribution}{layers}<br>{build_attribution(claims[claims['metric'] == metric]).wrapped(limit=8, width=170)}",
               yshift=-below)
    return apply_style(fig)

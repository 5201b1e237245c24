"""The Map figure: borders, regions and towns from geo/, claims at their places, incidents by date.

Everything is drawn as ordinary Plotly traces on lon/lat axes (an equirectangular view whose
aspect is corrected for latitude), so the map needs no base-map download, no tiles and no web
fonts: it works offline in the browser and in image exports alike.

A claim about a point place (a city, a village) is a marker there, sized by its figure and
coloured by reliability tier. A claim about a region, a country or the border is never drawn as a
point: the region is shaded and a labelled badge, kept inside the view, lists its claims on hover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crisisboard.claims.attribution import CAVEAT, build_attribution, release_labels
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef, as_of_labels, figure_labels
from crisisboard.data.frames import per_value, records, sorted_positions
from crisisboard.data.geo import ATTRIBUTION, GeoData
from crisisboard.claims.markup import Markdown, join, literal, md, plain
from crisisboard.charts.style import add_footer, apply_style, figure_of, typed_array
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS


@dataclass(frozen=True)
class MapView:
    key: str
    label: str
    lon: tuple[float, float]
    lat: tuple[float, float]


# Each view is about 1.9 : 1 on screen once longitude is scaled by cos(latitude).
VIEWS = {
    "osh": MapView("osh", "Osh", (72.52, 73.08), (40.41, 40.65)),
    "jalal_abad": MapView("jalal_abad", "Jalal-Abad", (72.55, 73.35), (40.79, 41.13)),
    "border": MapView("border", "Uzbek border (Andijan–Osh)", (71.62, 73.88), (40.22, 41.2)),
}
DEFAULT_VIEW = "border"
DAY_FIRST, DAY_LAST = pd.Timestamp("2010-06-10"), pd.Timestamp("2010-07-31")
POINT_PRECISION = 2  # places at precision 1–2 are points; coarser ones are drawn as regions
COUNTRY_FILL = {"KGZ": "#f4f1ea", "UZB": "#e6edf3", "TJK": "#eeeeee"}
AREA_OUTLINE = "#b07800"
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MAX_POINTS = 600  # claims at towns drawn at most; the figure (and each day's frame) stays small
MAX_HOVER_LINES = 12
VAGUE_SIZE = {"dozens": 14, "hundreds": 20, "thousands": 26, "tens_of_thousands": 32, "hundreds_of_thousands": 38}


def _drawn(values: object) -> dict:
    """Positions (degrees) and marker sizes (px) on the map as a single-precision typed array: to about
    half a metre at these longitudes, which no view can show, and a quarter less to send."""
    return typed_array(values, "f4")


def _coordinates(parts: list) -> tuple[dict, dict]:
    """x and y of the rings or lines `parts`, each followed by a gap (NaN), as typed arrays.

    Typed arrays, not lists: a figure copies its traces when built and again when sent, which costs
    one step per item of a list and nothing for a typed array; Plotly draws a NaN as a break in the
    line, as it does a None."""
    xs, ys = [], []
    for part in parts:
        x, y = part.xy
        xs += [np.asarray(x, dtype=float), [np.nan]]
        ys += [np.asarray(y, dtype=float), [np.nan]]
    return _drawn(np.concatenate(xs) if xs else []), _drawn(np.concatenate(ys) if ys else [])


def _rings(geometry) -> tuple[dict, dict]:  # noqa: ANN001
    """x and y of every ring of a (multi)polygon, separated by gaps."""
    polygons = [p for p in getattr(geometry, "geoms", [geometry])
                if p.geom_type == "Polygon" and not p.is_empty]  # a clip can leave slivers: nothing to fill
    return _coordinates([ring for polygon in polygons for ring in [polygon.exterior, *polygon.interiors]])


def _lines(geometry) -> tuple[dict, dict]:  # noqa: ANN001
    return _coordinates([line for line in getattr(geometry, "geoms", [geometry])
                         if line.geom_type in ("LineString", "LinearRing") and not line.is_empty])


def marker_size(value: float) -> float:
    """Marker diameter in px for a figure: 10 px for 1, about 40 px for 100,000."""
    return 10 + 6 * math.log10(max(value, 1))


class _OncePerProcess:
    """What a builder computes from the same tables (the same objects, not equal ones) and settings,
    computed once per process: the drawing of geography and towns does not change with the filters."""

    def __init__(self, limit: int = 64) -> None:
        self.limit, self.results = limit, {}

    def get(self, tables: tuple, settings: tuple, build):  # noqa: ANN001, ANN201 - any builder
        key = (*map(id, tables), *settings)
        hit = self.results.get(key)
        if hit is None or any(kept is not table for kept, table in zip(hit[0], tables)):  # an id can be reused
            if len(self.results) >= self.limit:
                self.results.clear()
            hit = self.results[key] = (tables, build())
        return hit[1]


_ONCE = _OncePerProcess()


def place_geometries(places: pd.DataFrame, geo: GeoData) -> dict[str, object]:
    """The shape each region-level place is drawn as: a region, a union of regions, a country or the border."""
    return _ONCE.get((places, geo), ("shapes",), lambda: _place_geometries(places, geo))


def _place_geometries(places: pd.DataFrame, geo: GeoData) -> dict[str, object]:
    from shapely.ops import unary_union

    admin1 = dict(zip(geo.admin1["name"], geo.admin1.geometry))
    countries = dict(zip(geo.countries["iso3"], geo.countries.geometry))
    iso3 = {"KG": "KGZ", "UZ": "UZB", "TJ": "TJK"}
    shapes: dict[str, object] = {}
    for place in places.itertuples():
        if place.precision <= POINT_PRECISION:
            continue
        names = [n for n in str(place.admin1 or "").split(";") if n in admin1]
        if place.kind == "country":
            shapes[place.place_id] = countries[iso3[place.country]]
        elif place.kind == "border":
            shapes[place.place_id] = countries["KGZ"].boundary.intersection(countries["UZB"].buffer(0.002))
        elif names:
            shapes[place.place_id] = unary_union([admin1[n] for n in names])
    return shapes


def _badge_column(place_ids: list[str], view: MapView) -> dict[str, tuple[float, float]]:
    """Badges for claims about whole areas, stacked in the view's top-left corner.

    A badge is a label for an area (outlined on the map), so it sits where labels sit, not at a
    place of its own.
    """
    width, height = view.lon[1] - view.lon[0], view.lat[1] - view.lat[0]
    return {place_id: (view.lon[0] + 0.035 * width, view.lat[1] - (0.07 + 0.075 * i) * height)
            for i, place_id in enumerate(place_ids)}


# the columns _point_hovers reads
POINT_HOVER_COLUMNS = ("figure_text", "low", "high", "metric", "as_of", "as_of_precision", "claimant", "source_id",
                       "publisher", "published", "published_precision", "grade", "tier")


def _point_hovers(claims: pd.DataFrame, place_names: list[str]) -> list[str]:
    """Each claim's hover at its point: the figure as stated, where, as of when, who claimed it, the
    release and the grade. Built column by column, each piece once per distinct value."""
    pieces = zip(figure_labels(claims), per_value(claims["metric"], lambda metric: plain(metric.replace("_", " "))),
                 place_names, as_of_labels(claims), per_value(claims["claimant"], plain), release_labels(claims),
                 per_value(claims["grade"], str), per_value(claims["tier"], str))
    return [f"<b>{plain(figure)}</b> {metric}<br>{plain(place)} · as of {plain(as_of)}<br>claimed by {claimant}<br>"
            f"{plain(label)}<br>grade {grade} ({tier})"
            for figure, metric, place, as_of, claimant, label, grade, tier in pieces]


@dataclass(frozen=True)
class _Prepared:
    """Everything the day frames draw, computed once per figure."""

    points: pd.DataFrame  # one row per point claim: x, y, size, hover, tier, vague, as_of_day
    anchors: dict[str, tuple[float, float]]  # badge position of each region-level place
    incidents: pd.DataFrame  # x, y, hover, start_ts
    # place_id -> as_of days of that place's area claims, ascending (their rows are newest first)
    by_place: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)  # place_id -> {position among its rows: hover line}
    # (tier, vague, rows of points, their y values, their as_of days in ns): one trace each
    point_groups: list = field(default_factory=list)

    def lines_for(self, place_id: str, start: int, stop: int) -> list[str]:
        """Hover lines of the place's claims at positions start..stop-1 (newest first)."""
        lines = self.lines[place_id]
        return [lines[i] for i in range(start, stop)]


def _precision(claims: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Each claim's place precision (0 a point … 4 a country): the column load.py merged in, when present."""
    if "place_precision" in claims.columns:
        return claims["place_precision"]
    return claims["place_id"].map(places.set_index("place_id")["precision"])


def _prepare(claims: pd.DataFrame, incidents: pd.DataFrame, places: pd.DataFrame,
             shapes: dict[str, object], view: MapView, frame_days: list[pd.Timestamp]) -> _Prepared:
    """Only integer arrays are sorted and grouped here; the text columns are read for the rows drawn."""
    lon_of, lat_of = dict(zip(places["place_id"], places["lon"])), dict(zip(places["place_id"], places["lat"]))
    name_of, precision_of = dict(zip(places["place_id"], places["name"])), dict(zip(places["place_id"],
                                                                                     places["precision"]))
    is_point = _precision(claims, places).le(POINT_PRECISION).to_numpy()
    at_points = pd.Series(claims.index[is_point])
    if len(at_points) > MAX_POINTS:  # a fixed sample: more markers than this cannot be told apart
        at_points = at_points.sample(n=MAX_POINTS, random_state=2010)  # the rows DataFrame.sample would pick
    wanted = [c for c in (*POINT_HOVER_COLUMNS, "qualifier", "vague_term", "value_high", "as_of_ts", "as_of_day",
                          "place_id") if c in claims.columns]
    point_claims = claims.loc[at_points.to_numpy(), wanted]
    point_claims["lon"] = point_claims["place_id"].map(lon_of).astype(float)
    point_claims["lat"] = point_claims["place_id"].map(lat_of).astype(float)
    # Several claims at one point are packed around it in a sunflower spiral (about 11 px apart on a
    # 520 px high map): a cluster at that place, not other places.
    step = 11 * (view.lat[1] - view.lat[0]) / 520
    squash = math.cos(math.radians(sum(view.lat) / 2))
    rows = []
    # each place's claims oldest first (as grouping by place, then sorting each group, would), read in one pass
    ordered = point_claims.sort_values(["lon", "lat", "as_of_ts"], kind="stable")
    sizes = ordered.groupby(["lon", "lat"]).size().to_dict()
    hovers = _point_hovers(ordered, [name_of[place_id] for place_id in ordered["place_id"].tolist()])
    i, previous = 0, None
    for row, hover in zip(records(ordered[["lon", "lat", "qualifier", "vague_term", "value_high", "tier",
                                           "as_of_day"]]), hovers):
        lon, lat = row["lon"], row["lat"]
        i = i + 1 if (lon, lat) == previous else 0
        previous = (lon, lat)
        radius, angle = step * math.sqrt(i + 0.5) * (sizes[(lon, lat)] > 1), i * GOLDEN_ANGLE
        vague = row["qualifier"] == "vague"
        rows.append(dict(  # to 1e-5 degree (about a metre)
            x=round(lon + radius * math.cos(angle) / squash, 5), y=round(lat + radius * math.sin(angle), 5),
            size=VAGUE_SIZE[row["vague_term"]] if vague else marker_size(float(row["value_high"])),
            hover=hover, tier=row["tier"], vague=vague, as_of_day=row["as_of_day"]))
    points = pd.DataFrame(rows, columns=["x", "y", "size", "hover", "tier", "vague", "as_of_day"])

    # every claim about an area gets a badge, outlined on the map where geo/ has its shape; its rows,
    # newest first, so that each day's hover takes the first lines known by then (ties: in table order)
    region_rows = np.flatnonzero(~is_point)
    place_codes, place_ids = pd.factorize(claims["place_id"].iloc[region_rows])
    stamps = _nanoseconds(claims["as_of_ts"].iloc[region_rows])
    order = np.lexsort((-stamps, place_codes))  # by place, then newest first; stable
    region_rows, place_codes = region_rows[order], place_codes[order]
    region_days = _nanoseconds(claims["as_of_day"].iloc[region_rows])
    counts = np.bincount(place_codes, minlength=len(place_ids))
    count_of = dict(zip(place_ids, counts.tolist()))
    anchors = _badge_column(sorted(count_of, key=lambda p: (-count_of[p], p)), view)

    rows = []
    for row in incidents.itertuples():
        if row.place_id not in name_of:
            continue
        if precision_of[row.place_id] > POINT_PRECISION:
            if row.place_id not in anchors:  # an area no claim is about yet: a badge row of its own
                anchors.update(_badge_column(list(anchors) + [row.place_id], view))
            x, y = anchors[row.place_id]
            x -= 0.02 * (view.lon[1] - view.lon[0])
        else:
            x, y = lon_of[row.place_id], lat_of[row.place_id] - 0.012 * (view.lat[1] - view.lat[0])
        end = f" – {row.date_end}" if isinstance(row.date_end, str) and row.date_end else ""
        rows.append(dict(x=x, y=y, start_ts=row.start_ts, hover=(
            f"<b>{plain(row.date_start)}{plain(end)}</b> ({plain(row.kind.replace('_', ' '))})<br>"
            f"{plain(name_of[row.place_id])}<br>{_wrap(plain(row.summary))}")))
    prepared_incidents = pd.DataFrame(rows, columns=["x", "y", "start_ts", "hover"])
    by_place, offsets_of, wanted = {}, {}, []
    frame_stamps = np.array(frame_days, dtype="datetime64[ns]").astype(np.int64)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    window = np.arange(MAX_HOVER_LINES)
    for code, place_id in enumerate(place_ids):
        rows_of_place = region_rows[bounds[code]:bounds[code + 1]]  # newest first
        days_ascending = region_days[bounds[code]:bounds[code + 1]][::-1]
        by_place[place_id] = days_ascending
        # hover lines only for the rows some day's hover shows: the newest MAX_HOVER_LINES known by then,
        # at offsets first.. of the newest-first rows
        known = np.unique(np.append(np.searchsorted(days_ascending, frame_stamps, side="right"),
                                    len(days_ascending)))
        firsts = len(days_ascending) - known
        offsets = np.unique((firsts[:, None] + window)[window < known[:, None]])
        offsets_of[place_id] = offsets.tolist()
        wanted.append(rows_of_place[offsets])
    texts = iter(_region_lines(claims[REGION_LINE_COLUMNS].iloc[np.concatenate(wanted)]) if wanted else [])
    lines = {place_id: {offset: next(texts) for offset in offsets} for place_id, offsets in offsets_of.items()}
    groups = []
    for tier in TIERS:
        for vague in (False, True):
            rows_of = points[(points["tier"] == tier) & (points["vague"] == vague)]
            # what each day's frame reads: the y values and the day each becomes known (ns), as plain arrays
            groups.append((tier, vague, rows_of, rows_of["y"].to_numpy(dtype=float),
                           _nanoseconds(rows_of["as_of_day"])))
    return _Prepared(points, anchors, prepared_incidents, by_place=by_place, lines=lines, point_groups=groups)


def _nanoseconds(stamps: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds (sorting and searching integers, whatever the column's unit)."""
    return stamps.to_numpy().astype("datetime64[ns]").astype(np.int64)


REGION_LINE_COLUMNS = ["tier", "figure_text", "low", "high", "metric", "claimant", "as_of", "grade"]


def _region_lines(claims: pd.DataFrame) -> list[str]:
    """A badge's hover line for each claim: ``■ at least 500 killed, Ministry of Health (2010-06-14, B2)``.

    Built column by column, each piece once per distinct value (a badge reads thousands of lines)."""
    pieces = zip(
        per_value(claims["tier"], lambda tier: f"<span style='color:{TIER_COLOURS[tier]}'>■</span> "),
        figure_labels(claims),
        per_value(claims["metric"], lambda metric: plain(metric.replace("_", " "))),
        per_value(claims["claimant"], lambda claimant: plain(claimant[:40])),
        per_value(claims["as_of"], lambda as_of: plain(as_of[:10])), per_value(claims["grade"], plain))
    return [f"{tier}{plain(figure)} {metric}, {claimant} ({as_of}, {grade})"
            for tier, figure, metric, claimant, as_of, grade in pieces]


def _dynamic_traces(prepared: _Prepared, names: dict[str, str], day: pd.Timestamp | None) -> list[dict]:
    """The traces that change with the day: point claims per tier, vague claims, region badges, incidents.

    Always the same number of traces in the same order, as Plotly animation frames require. Plain
    dicts: the day frames skip Plotly's validation, which would otherwise dominate building the map.
    With `day`, a point trace carries only its y values, None for claims not known by that day: an
    animation frame updates what it names and keeps the rest (x, sizes, hover texts) from the figure,
    so each day's frame stays small.
    """
    incidents = prepared.incidents
    traces: list[dict] = []
    for tier, vague, rows, ys, days in prepared.point_groups:
        if day is not None:  # NaN: not drawn (arrays: see _coordinates)
            traces.append(dict(type="scatter", y=_drawn(np.where(days <= day.value, ys, np.nan))))
            continue
        traces.append(dict(type="scatter",
            x=_drawn(rows["x"]), y=_drawn(ys), mode="markers", showlegend=False,
            name=TIER_LABELS[tier] + (" (vague figure)" if vague else ""),
            marker=dict(size=_drawn(rows["size"]), color="rgba(0,0,0,0)" if vague else TIER_COLOURS[tier],
                        opacity=0.85, line=dict(color=TIER_COLOURS[tier] if vague else "white",
                                                width=3 if vague else 1)),
            hovertext=list(rows["hover"]), hovertemplate="%{hovertext}<extra></extra>",
        ))
    xs, ys, labels, hovers = [], [], [], []
    for place_id, days_ascending in sorted(prepared.by_place.items()):
        known = len(days_ascending) if day is None else int(np.searchsorted(days_ascending, day.value, side="right"))
        if not known:
            continue
        first = len(days_ascending) - known  # rows first.. are those known by `day`, newest first
        x, y = prepared.anchors[place_id]
        xs.append(x)
        ys.append(y)
        labels.append(f"{plain(names[place_id])}: {known}")
        shown = prepared.lines_for(place_id, first, first + min(known, MAX_HOVER_LINES))
        hover = [f"<b>{plain(names[place_id])}</b>: {known} claims about the whole area"] + shown
        if known > MAX_HOVER_LINES:
            hover.append(f"… +{known - MAX_HOVER_LINES} more: filter by place to list them")
        hovers.append("<br>".join(hover))
    badges = dict(type="scatter", x=xs, y=ys, text=labels, hovertext=hovers)
    if day is None:  # the figure's trace; a day's frame carries only what changes, the style stays
        badges.update(mode="markers+text", textposition="middle right", name="Claims about a whole area",
                      textfont=dict(size=15, color="#5a3d00"), showlegend=False,
                      marker=dict(symbol="square", size=16, color="#fff3d6", line=dict(color="#b07800", width=2)),
                      hovertemplate="%{hovertext}<extra></extra>")
    traces.append(badges)
    if day is not None:  # as for the points: the incidents begun by `day` keep their y, the others None
        begun = incidents["start_ts"].to_numpy() <= np.datetime64(day)
        ys = np.where(begun, incidents["y"].to_numpy(dtype=float), np.nan)
        traces.append(dict(type="scatter", y=_drawn(ys)))
        return traces
    traces.append(dict(type="scatter",
        x=_drawn(incidents["x"]), y=_drawn(incidents["y"]), mode="markers",
        name="Incident (dated event)",
        showlegend=False, marker=dict(symbol="diamond", size=11, color="#222222", line=dict(color="white", width=1)),
        hovertext=list(incidents["hover"]), hovertemplate="%{hovertext}<extra></extra>",
    ))
    return traces


def _wrap(text: str, width: int = 60) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def _surroundings(view: MapView):  # noqa: ANN202 - shapely box
    """The view and half a view's width and height around it: what panning a little may reveal.

    Geometry beyond it is cut, which keeps figures (and exports) small: a wider area is a view of
    its own, not a pan away."""
    from shapely.geometry import box

    width, height = (view.lon[1] - view.lon[0]) / 2, (view.lat[1] - view.lat[0]) / 2
    return box(view.lon[0] - width, view.lat[0] - height, view.lon[1] + width, view.lat[1] + height)


def _static_traces(geo: GeoData, places: pd.DataFrame, shapes: dict[str, object], shaded: set[str],
                   view: MapView) -> list[go.Scatter]:
    """Countries, regions, outlines of the areas claims are about, the border: the same for every filter
    that shades the same areas, so cut from the geodata once per process for each."""
    return _ONCE.get((geo, places), ("static", view.key, frozenset(shaded)),
                     lambda: _cut_static_traces(geo, shapes, shaded, view))


def _cut_static_traces(geo: GeoData, shapes: dict[str, object], shaded: set[str], view: MapView) -> list[go.Scatter]:
    traces = []
    around = _surroundings(view)
    for row in geo.countries.itertuples():
        xs, ys = _rings(row.geometry.intersection(around))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=COUNTRY_FILL[row.iso3],
                                 line=dict(width=0), hoverinfo="skip", showlegend=False, name=row.name))
    for row in geo.admin1.itertuples():
        xs, ys = _rings(row.geometry.intersection(around))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1, dash="dot"),
                                 hoverinfo="skip", showlegend=False, name=f"{row.name} region"))
    for place_id in sorted(shaded):  # the outline of each area that claims are about
        shape = shapes[place_id].intersection(around)
        if getattr(shape, "area", 0):
            xs, ys = _rings(shape)
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=AREA_OUTLINE, width=2, dash="dash"),
                                     hoverinfo="skip", showlegend=False))
    kg = geo.countries.set_index("iso3").geometry["KGZ"]
    xs, ys = _lines(kg.boundary.intersection(around))
    traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#333333", width=2.5), hoverinfo="skip",
                             name="International border (present-day)", showlegend=True))
    border = shapes.get("kg_uz_border")
    if border is not None and "kg_uz_border" in shaded:
        xs, ys = _lines(border.intersection(around))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(230,159,0,0.55)", width=9),
                                 hoverinfo="skip", showlegend=False))
    regions = geo.admin1.copy()
    regions["anchor"] = regions.geometry.representative_point()
    traces.append(go.Scatter(
        x=[p.x for p in regions["anchor"]], y=[p.y for p in regions["anchor"]], mode="text",
        text=[f"{n} region" for n in regions["name"]], textfont=dict(size=13, color="#8a8a8a"),
        hoverinfo="skip", showlegend=False))
    return traces


def _town_labels(places: pd.DataFrame) -> go.Scatter:
    """Towns with GeoNames points, drawn above the claims so their names stay readable."""
    return _ONCE.get((places,), ("towns",), lambda: _draw_town_labels(places))


def _draw_town_labels(places: pd.DataFrame) -> go.Scatter:
    towns = places[places["precision"].le(1) & places["kind"].isin(["city", "town"])]
    return go.Scatter(
        x=towns["lon"], y=towns["lat"], mode="markers+text",
        text=towns["name"].str.replace(r" \(.*\)", "", regex=True).map(plain),
        textposition=["top center" if c == "KG" else "bottom center" for c in towns["country"]], textfont=dict(size=16, color="#1a1a1a"), name="Town (GeoNames)",
        marker=dict(size=7, color="#1a1a1a"), hovertext=towns["name"].map(plain),
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False)


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


def claims_by_place_markdown(claims: pd.DataFrame, limit: int = 60) -> Markdown:
    """The claims on the map as a Markdown list, grouped by place, each linked to its release
    (at most `limit` per place, the earliest first; the rest are counted)."""
    keys = claims[["place_name", "as_of_ts"]].reset_index(drop=True)
    ordered = keys.iloc[sorted_positions(keys, ["place_name", "as_of_ts"])]
    counts = ordered["place_name"].value_counts()
    shown = ordered.groupby("place_name", sort=False, observed=True).head(limit).index.to_numpy()
    lines, current = [], None

    def more(place: str) -> Markdown:
        return md("- … {n:,} more: filter by this place to see them all", n=int(counts[place]) - limit)

    for row in records(claims[[*CLAIMREF_COLUMNS, "place_name"]].iloc[shown]):
        place = row["place_name"]
        if place != current:
            if current is not None and counts[current] > limit:
                lines.append(more(current))
            lines.append(md("**{place}** ({n:,})", place=place, n=int(counts[place])))
            current = place
        lines.append(literal("- ") + ClaimRef.from_row(row).markdown())
    if current is not None and counts[current] > limit:
        lines.append(more(current))
    return join(lines, "\n")


def _frame_days(claims: pd.DataFrame, incidents: pd.DataFrame) -> list[pd.Timestamp]:
    """The slider's days that get a frame: the first, and every day on which something changes."""
    changes = set(pd.DatetimeIndex(claims["as_of_day"].unique())) | set(pd.DatetimeIndex(incidents["start_ts"].unique()))
    days = list(pd.date_range(DAY_FIRST, DAY_LAST, freq="D"))
    return [day for i, day in enumerate(days) if i == 0 or day in changes]


def build_map_figure(geo: GeoData, places: pd.DataFrame, claims: pd.DataFrame, incidents: pd.DataFrame,
                     view_key: str = DEFAULT_VIEW, animate: bool = True, title: str | None = None) -> go.Figure:
    """The map for one view, with a day slider (10 June – 31 July 2010, then "all") when `animate`.

    Each day shows the claims whose `as_of` is on or before it and the incidents begun by then.
    """
    view = VIEWS[view_key]
    shapes = place_geometries(places, geo)
    kind_of = dict(zip(places["place_id"], places["kind"]))
    shaded = {p for p in set(claims["place_id"].unique()) & set(shapes) if kind_of[p] != "country"}
    static = _static_traces(geo, places, shapes, shaded, view)
    frame_days = _frame_days(claims, incidents) if animate else []
    prepared = _prepare(claims, incidents, places, shapes, view, frame_days)
    names = dict(zip(places["place_id"], places["name"]))
    dynamic = _dynamic_traces(prepared, names, None)
    data = static + dynamic + [_town_labels(places)] + _legend_traces()
    first_dynamic = len(static)
    dynamic_ids = list(range(first_dynamic, first_dynamic + len(dynamic)))

    frames: list[dict] = []
    if animate:
        steps, current = [], None
        for day in pd.date_range(DAY_FIRST, DAY_LAST, freq="D"):
            if day in frame_days:
                current = day.strftime("%Y-%m-%d")
                frames.append(dict(name=current, traces=dynamic_ids, data=_dynamic_traces(prepared, names, day)))
            steps.append(dict(label=_day_label(day), method="animate",
                              args=[[current], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                                    transition=dict(duration=0))]))
        # "all dates": what a day after every claim shows, as lean as a day's frame
        frames.append(dict(name="all", traces=dynamic_ids, data=_dynamic_traces(prepared, names, pd.Timestamp.max)))
        steps.append(dict(label="all dates", method="animate",
                          args=[["all"], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                              transition=dict(duration=0))]))
    controls = {}
    if animate:
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
    lat0 = math.radians(sum(view.lat) / 2)
    height, top, bottom = 900, 80, (300 if animate else 200)
    below = 120 if animate else 10  # px from the plot's bottom edge to the attribution
    plot_height = height - top - bottom
    layout = dict(
        title=dict(text=f"{title or 'Claims by place: ' + view.label}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(range=list(view.lon), showgrid=False, zeroline=False, showticklabels=False,
                   constrain="domain"),
        yaxis=dict(range=list(view.lat), showgrid=False, zeroline=False, showticklabels=False,
                   scaleanchor="x", scaleratio=1 / math.cos(lat0), constrain="domain"),
        plot_bgcolor="#dfe6ea", height=height, margin=dict(l=10, r=10, t=top, b=bottom),
        legend=dict(orientation="h", yanchor="top", y=-(below + 60) / plot_height, x=0, font=dict(size=13)),
        dragmode="pan", hoverlabel=dict(align="left"), **controls,
    )
    # the day frames, the claims' traces and the layout with its day slider (a step per day) are plain
    # dicts: they become the figure without Plotly validating each of their items (see figure_of)
    fig = figure_of(data, frames, layout=layout)
    attribution = build_attribution(claims)
    n_points = int(_precision(claims, places).le(POINT_PRECISION).sum())
    if n_points > MAX_POINTS:
        fig.add_annotation(text=f"<b>Showing {MAX_POINTS:,} of {n_points:,} claims at towns</b> (a fixed sample); "
                                "narrow the filters to see them all.", xref="paper", yref="paper", x=1, y=1,
                           xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=12, color="#7a2e00"),
                           bgcolor="#fff3d6")
    add_footer(fig, f"{ATTRIBUTION}<br>{attribution.wrapped(limit=8, width=170)}", yshift=-below)
    return apply_style(fig)

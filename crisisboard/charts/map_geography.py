"""The map's geography: countries, regions, the outlines of the areas claims are about, the border and the
town labels, cut from the crisis's geodata, once per dataset and map area (Dataset.derive).

Everything is drawn as ordinary Plotly traces on lon/lat axes, so the map needs no base-map download, no
tiles and no web fonts: it works offline in the browser and in image exports alike.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from shapely.geometry import box
from shapely.ops import unary_union

from crisisboard.charts.plotly_internals import typed_array
from crisisboard.claims.markup import plain
from crisisboard.data.crisis import MapArea
from crisisboard.data.geo import GeoData
from crisisboard.data.load import Dataset

POINT_PRECISION = 2  # places at precision 1–2 are points; coarser ones are drawn as regions
AREA_OUTLINE = "#b07800"


def drawn(values: object) -> dict:
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
    return drawn(np.concatenate(xs) if xs else []), drawn(np.concatenate(ys) if ys else [])


def _rings(geometry) -> tuple[dict, dict]:  # noqa: ANN001
    """x and y of every ring of a (multi)polygon, separated by gaps."""
    polygons = [p for p in getattr(geometry, "geoms", [geometry])
                if p.geom_type == "Polygon" and not p.is_empty]  # a clip can leave slivers: nothing to fill
    return _coordinates([ring for polygon in polygons for ring in [polygon.exterior, *polygon.interiors]])


def _lines(geometry) -> tuple[dict, dict]:  # noqa: ANN001
    return _coordinates([line for line in getattr(geometry, "geoms", [geometry])
                         if line.geom_type in ("LineString", "LinearRing") and not line.is_empty])


def place_geometries(dataset: Dataset, geo: GeoData) -> dict[str, object]:
    """The shape each region-level place is drawn as: a region, a union of regions, a country or the border
    (once per dataset and geodata: see Dataset.derive)."""
    return dataset.derive(_place_geometries, geo)


def _place_geometries(dataset: Dataset, geo: GeoData) -> dict[str, object]:
    admin1 = dict(zip(geo.admin1["name"], geo.admin1.geometry))
    countries = dict(zip(geo.countries["iso3"], geo.countries.geometry))
    settings = dataset.crisis.geo
    shapes: dict[str, object] = {}
    for place in dataset.places.itertuples():
        if place.precision <= POINT_PRECISION:
            continue
        names = [n for n in str(place.admin1 or "").split(";") if n in admin1]
        if place.kind == "country":
            shapes[place.place_id] = countries[settings.iso3[place.country]]
        elif place.kind == "border" and settings.border:
            first, second = settings.border
            shapes[place.place_id] = countries[first].boundary.intersection(countries[second].buffer(0.002))
        elif names:
            shapes[place.place_id] = unary_union([admin1[n] for n in names])
    return shapes


def _surroundings(area: MapArea):  # noqa: ANN202 - shapely box
    """The area and half its width and height around it: what panning a little may reveal.

    Geometry beyond it is cut, which keeps figures (and exports) small: a wider area is a map area of
    its own, not a pan away."""
    width, height = (area.lon[1] - area.lon[0]) / 2, (area.lat[1] - area.lat[0]) / 2
    return box(area.lon[0] - width, area.lat[0] - height, area.lon[1] + width, area.lat[1] + height)


def static_traces(dataset: Dataset, geo: GeoData, shaded: frozenset[str], area: MapArea) -> list[go.Scatter]:
    """Countries, regions, outlines of the areas claims are about, the border: the same for every filter
    that shades the same areas, so cut from the geodata once per process for each."""
    return dataset.derive(_cut_static_traces, geo, shaded, area)


def _cut_static_traces(dataset: Dataset, geo: GeoData, shaded: frozenset[str], area: MapArea) -> list[go.Scatter]:
    settings, shapes = dataset.crisis.geo, place_geometries(dataset, geo)
    traces = []
    around = _surroundings(area)
    for row in geo.countries.itertuples():
        xs, ys = _rings(row.geometry.intersection(around))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=settings.fill.get(row.iso3, "#eeeeee"),
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
    outline = geo.countries.set_index("iso3").geometry[settings.outline]
    xs, ys = _lines(outline.boundary.intersection(around))
    traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#333333", width=2.5), hoverinfo="skip",
                             name="International border (present-day)", showlegend=True))
    border = shapes.get(settings.border_place) if settings.border_place else None
    if border is not None and settings.border_place in shaded:
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


def town_labels(dataset: Dataset) -> go.Scatter:
    """Towns with GeoNames points, drawn above the claims so their names stay readable (once per dataset)."""
    return dataset.derive(_draw_town_labels)


def _draw_town_labels(dataset: Dataset) -> go.Scatter:
    places = dataset.places
    towns = places[places["precision"].le(1) & places["kind"].isin(["city", "town"])]
    return go.Scatter(
        x=towns["lon"], y=towns["lat"], mode="markers+text",
        text=towns["name"].str.replace(r" \(.*\)", "", regex=True).map(plain),
        textposition=["top center" if c == "KG" else "bottom center" for c in towns["country"]], textfont=dict(size=16, color="#1a1a1a"), name="Town (GeoNames)",
        marker=dict(size=7, color="#1a1a1a"), hovertext=towns["name"].map(plain),
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False)

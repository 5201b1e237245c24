"""The map's geography: countries, regions, the outlines of the areas claims are about, the border and the
town labels, cut from the crisis's geodata, once per dataset and map area (Dataset.derive).

Everything is drawn as ordinary Plotly traces on lon/lat axes, so the map needs no base-map download, no
tiles and no web fonts: it works offline in the browser and in image exports alike.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from shapely.geometry import Point, box
from shapely.ops import unary_union

from crisisboard.charts.map_markers import px_per_degree
from crisisboard.charts.plotly_internals import typed_array
from crisisboard.claims.areas import POINT_PRECISION
from crisisboard.claims.markup import plain
from crisisboard.data.crisis import MapArea
from crisisboard.data.geo import GeoData, load_layers
from crisisboard.data.load import Dataset

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


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _layer_trace(layer, geometry, around) -> go.Scatter | None:  # noqa: ANN001 - GeoLayer, shapely geometries
    """One of the crisis folder's own layers ([[geo.layers]]), keyed in the legend by its label, its source and
    date shown on hover (the map's footer and caption attribute it too)."""
    shown = around(geometry)
    if shown.is_empty:
        return None
    parts = [part for part in getattr(shown, "geoms", [shown])]
    hover = f"<b>{plain(layer.label)}</b><br>{plain(layer.source)}, {layer.as_of.isoformat()}<extra></extra>"
    common = dict(name=plain(layer.label), legendgroup="layers", showlegend=True, hovertemplate=hover)
    if layer.kind == "area":
        xs, ys = _rings(unary_union([p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]))
        return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgba(layer.colour, 0.28),
                          line=dict(color=layer.colour, width=1.5), **common)
    if layer.kind == "line":
        lines = [line for p in parts for line in getattr(p, "geoms", [p])]
        xs, ys = _lines(unary_union(lines) if len(lines) > 1 else lines[0])
        return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=layer.colour, width=3.5, dash="dashdot"),
                          **common)
    points = [point for p in parts for point in getattr(p, "geoms", [p]) if point.geom_type == "Point"]
    return go.Scatter(x=drawn([p.x for p in points]), y=drawn([p.y for p in points]), mode="markers",
                      marker=dict(symbol="triangle-up", size=12, color=layer.colour, line=dict(color="white", width=1)),
                      **common)


def static_traces(dataset: Dataset, geo: GeoData, shaded: frozenset[str], area: MapArea) -> list[go.Scatter]:
    """Countries, regions, outlines of the areas claims are about, the border, the crisis folder's own layers
    ([[geo.layers]]: areas under the outlines, lines and points over the border): the same for every filter
    that shades the same areas, so cut from the geodata once per process for each."""
    return dataset.derive(_cut_static_traces, geo, shaded, area)


def _cut_static_traces(dataset: Dataset, geo: GeoData, shaded: frozenset[str], area: MapArea) -> list[go.Scatter]:
    settings, shapes = dataset.crisis.geo, place_geometries(dataset, geo)
    traces = []
    region = _surroundings(area)
    # half a pixel on the smallest screen map (less than one on a projector or a slide): no one sees the
    # points this drops, and the outlines send half as much
    tolerance = 0.5 / px_per_degree(area)

    def around(shape):  # noqa: ANN001, ANN202 - shapely geometries
        return shape.intersection(region).simplify(tolerance, preserve_topology=True)
    for row in geo.countries.itertuples():
        xs, ys = _rings(around(row.geometry))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself",
                                 fillcolor=settings.fill.get(row.iso3, "#eeeeee"), line=dict(width=0),
                                 hoverinfo="skip", showlegend=False, name=row.name))
    for row in geo.admin1.itertuples():
        xs, ys = _rings(around(row.geometry))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1, dash="dot"),
                                 hoverinfo="skip", showlegend=False, name=f"{row.name} region"))
    layers = load_layers(dataset.crisis)
    for layer, geometry in layers:  # areas under the outlines and the border, lines and points over them
        if layer.kind == "area" and (trace := _layer_trace(layer, geometry, around)) is not None:
            traces.append(trace)
    for place_id in sorted(shaded):  # the outline of each area that claims are about
        shape = around(shapes[place_id])
        if getattr(shape, "area", 0):
            xs, ys = _rings(shape)
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=AREA_OUTLINE, width=2, dash="dash"),
                                     hoverinfo="skip", showlegend=False))
    outline = geo.countries.set_index("iso3").geometry[settings.outline]
    xs, ys = _lines(around(outline.boundary))
    traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#333333", width=2.5), hoverinfo="skip",
                             name=plain(settings.border_label), showlegend=True))
    border = shapes.get(settings.border_place) if settings.border_place else None
    if border is not None and settings.border_place in shaded:
        xs, ys = _lines(around(border))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(230,159,0,0.55)", width=9),
                                 hoverinfo="skip", showlegend=False))
    for layer, geometry in layers:
        if layer.kind != "area" and (trace := _layer_trace(layer, geometry, around)) is not None:
            traces.append(trace)
    return traces


def region_anchors(geo: GeoData, area: MapArea) -> list[tuple[str, list[tuple[float, float]]]]:
    """Each country, then each first-order region, that the view shows a fair part of, with the points inside
    that part where its name may go, best first: a point well inside it, then the nodes of a grid over it
    nearest to that point (a label that collides at one may fit at the next)."""
    view = box(area.lon[0], area.lat[0], area.lon[1], area.lat[1])
    anchors = []
    for names, shapes, suffix in ((geo.countries["name"], geo.countries.geometry, ""),
                                  (geo.admin1["name"], geo.admin1.geometry, " region")):
        for name, shape in zip(names, shapes):
            seen = shape.intersection(view)
            if seen.is_empty or seen.area < 0.02 * view.area:
                continue
            best = seen.representative_point()
            x0, y0, x1, y1 = seen.bounds
            grid = [Point(x, y) for x in np.linspace(x0, x1, 7)[1:-1] for y in np.linspace(y0, y1, 7)[1:-1]]
            inside = sorted((p for p in grid if seen.contains(p)), key=best.distance)
            anchors.append((name.upper() if not suffix else f"{name}{suffix}",
                            [(p.x, p.y) for p in [best, *inside]]))
    return anchors


def enclave_anchors(dataset: Dataset, geo: GeoData) -> list[tuple[str, float, float]]:
    """(label, lon, lat) of each part of a country's outline but its largest, islands left out: an enclave when
    one other country of the geodata surrounds it, else an exclave (between countries), named by a place of that
    country inside it when places.csv has one, else by its country alone (once per dataset and geodata)."""
    return dataset.derive(_enclave_anchors, geo)


def _detached_kind(part, own, others: list) -> str | None:  # noqa: ANN001 - shapely geometries
    """"enclave" when one of the other countries `others` holds all the land just around `part` (within about
    500 m of its edge) that is not of its own country `own`, "exclave" when several do, None when most of it is
    no country's (an island: the sea, or land the geodata does not have)."""
    import shapely

    band = part.exterior.buffer(0.005)
    band = band.difference(shapely.clip_by_rect(own, *band.bounds))
    near = [shapely.clip_by_rect(other, *band.bounds) for other in others]  # fast: only what the band can touch
    shares = [band.intersection(other).area / band.area for other in near if not other.is_empty] if band.area else []
    if sum(shares) < 0.5:
        return None
    return "enclave" if max(shares) > 0.98 else "exclave"


def _enclave_anchors(dataset: Dataset, geo: GeoData) -> list[tuple[str, float, float]]:
    places = dataset.places
    iso_of = {iso3: country for country, iso3 in dataset.crisis.geo.iso3.items()}
    anchors = []
    build = dataset.crisis.geo.build  # a part cut by the build's clip is no enclave (geodata not built: none cut)
    clip = box(*build.clip_box).buffer(-0.01) if build else box(*geo.countries.total_bounds).buffer(1)
    for row in geo.countries.itertuples():
        parts = sorted(getattr(row.geometry, "geoms", [row.geometry]), key=lambda part: part.area)[:-1]
        parts = [part for part in parts if clip.contains(part)]
        own = places[places["country"] == iso_of.get(row.iso3)]
        for part in parts:
            inside = [name for name, lon, lat in zip(own["name"], own["lon"], own["lat"])
                      if part.contains(Point(lon, lat))]
            named = inside[0].split(" (")[0] if inside else None
            point = part.representative_point()
            kind = _detached_kind(part, row.geometry, [other for iso3, other in zip(geo.countries["iso3"],
                                                                                  geo.countries.geometry)
                                                       if iso3 != row.iso3])
            if kind is None:
                continue
            anchors.append((f"{named}<br>({kind} of {row.name})" if named else f"{kind.capitalize()} of<br>{row.name}",
                            point.x, point.y))
    return anchors

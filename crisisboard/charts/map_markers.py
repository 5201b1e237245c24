"""The map's claims and incidents: markers at point places, badges for claims about whole areas (never a
false point), incidents, and what each day of the slider shows. Prepared once per figure; each day's frame
carries only what changes."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crisisboard.charts.map_geography import POINT_PRECISION, drawn
from crisisboard.claims.attribution import release_labels
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import as_of_labels, figure_labels
from crisisboard.data.crisis import MapArea
from crisisboard.data.frames import per_value, records
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MAX_POINTS = 600  # claims at towns drawn at most; the figure (and each day's frame) stays small
MAX_HOVER_LINES = 12
VAGUE_SIZE = {"dozens": 14, "hundreds": 20, "thousands": 26, "tens_of_thousands": 32, "hundreds_of_thousands": 38}
SAMPLE_SEED = 2010  # the fixed sample of points drawn when there are more than MAX_POINTS


def marker_size(value: float) -> float:
    """Marker diameter in px for a figure: 10 px for 1, about 40 px for 100,000."""
    return 10 + 6 * math.log10(max(value, 1))


def _badge_column(place_ids: list[str], area: MapArea) -> dict[str, tuple[float, float]]:
    """Badges for claims about whole areas, stacked in the map's top-left corner.

    A badge is a label for an area (outlined on the map), so it sits where labels sit, not at a
    place of its own.
    """
    width, height = area.lon[1] - area.lon[0], area.lat[1] - area.lat[0]
    return {place_id: (area.lon[0] + 0.035 * width, area.lat[1] - (0.07 + 0.075 * i) * height)
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
class Prepared:
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


def precision_of(claims: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Each claim's place precision (0 a point … 4 a country): the column load.py merged in, when present."""
    if "place_precision" in claims.columns:
        return claims["place_precision"]
    return claims["place_id"].map(places.set_index("place_id")["precision"])


def prepare(claims: pd.DataFrame, incidents: pd.DataFrame, places: pd.DataFrame, area: MapArea,
            frame_days: list[pd.Timestamp]) -> Prepared:
    """What the map and its day frames draw. Only integer arrays are sorted and grouped; the text columns are
    read for the rows drawn."""
    is_point = precision_of(claims, places).le(POINT_PRECISION).to_numpy()
    points = _place_points(claims, places, area, is_point)
    areas = _area_claims(claims, is_point)
    anchors = _badge_column(sorted(areas.count_of, key=lambda p: (-areas.count_of[p], p)), area)
    prepared_incidents = _place_incidents(incidents, places, anchors, area)
    by_place, lines = _hover_windows(claims, areas, frame_days)
    groups = []
    for tier in TIERS:
        for vague in (False, True):
            rows_of = points[(points["tier"] == tier) & (points["vague"] == vague)]
            # what each day's frame reads: the y values and the day each becomes known (ns), as plain arrays
            groups.append((tier, vague, rows_of, rows_of["y"].to_numpy(dtype=float),
                           _nanoseconds(rows_of["as_of_day"])))
    return Prepared(points, anchors, prepared_incidents, by_place=by_place, lines=lines, point_groups=groups)


def _place_points(claims: pd.DataFrame, places: pd.DataFrame, area: MapArea, is_point: np.ndarray) -> pd.DataFrame:
    """One row per claim at a point place (a fixed sample of MAX_POINTS at most): x, y, size, hover, tier,
    vague, as_of_day. Several claims at one point are packed around it in a sunflower spiral (about 11 px
    apart on a 520 px high map): a cluster at that place, not other places."""
    lon_of, lat_of = dict(zip(places["place_id"], places["lon"])), dict(zip(places["place_id"], places["lat"]))
    name_of = dict(zip(places["place_id"], places["name"]))
    at_points = pd.Series(claims.index[is_point])
    if len(at_points) > MAX_POINTS:  # a fixed sample: more markers than this cannot be told apart
        at_points = at_points.sample(n=MAX_POINTS, random_state=SAMPLE_SEED)  # the rows DataFrame.sample would pick
    wanted = [c for c in (*POINT_HOVER_COLUMNS, "qualifier", "vague_term", "value_high", "as_of_ts", "as_of_day",
                          "place_id") if c in claims.columns]
    point_claims = claims.loc[at_points.to_numpy(), wanted]
    point_claims["lon"] = point_claims["place_id"].map(lon_of).astype(float)
    point_claims["lat"] = point_claims["place_id"].map(lat_of).astype(float)
    step = 11 * (area.lat[1] - area.lat[0]) / 520
    squash = math.cos(math.radians(sum(area.lat) / 2))
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
    return pd.DataFrame(rows, columns=["x", "y", "size", "hover", "tier", "vague", "as_of_day"])


@dataclass(frozen=True)
class _AreaClaims:
    """The claims about whole areas, by place, each place's rows newest first (ties: in table order), so
    that each day's badge hover takes the first lines known by then."""

    rows: np.ndarray  # positions in the claims, by place, newest first
    place_ids: pd.Index  # the places, in the order of their codes
    days: np.ndarray  # each row's as_of day (ns)
    counts: np.ndarray  # rows per place code

    @property
    def count_of(self) -> dict[str, int]:
        return dict(zip(self.place_ids, self.counts.tolist()))


def _area_claims(claims: pd.DataFrame, is_point: np.ndarray) -> _AreaClaims:
    region_rows = np.flatnonzero(~is_point)
    place_codes, place_ids = pd.factorize(claims["place_id"].iloc[region_rows])
    stamps = _nanoseconds(claims["as_of_ts"].iloc[region_rows])
    order = np.lexsort((-stamps, place_codes))  # by place, then newest first; stable
    region_rows, place_codes = region_rows[order], place_codes[order]
    return _AreaClaims(region_rows, place_ids, _nanoseconds(claims["as_of_day"].iloc[region_rows]),
                       np.bincount(place_codes, minlength=len(place_ids)))


def _place_incidents(incidents: pd.DataFrame, places: pd.DataFrame, anchors: dict[str, tuple[float, float]],
                     area: MapArea) -> pd.DataFrame:
    """Each incident at its place, or beside its area's badge (an area no claim is about yet gets a badge row
    of its own, added to `anchors`): x, y, start_ts, hover."""
    lon_of, lat_of = dict(zip(places["place_id"], places["lon"])), dict(zip(places["place_id"], places["lat"]))
    name_of, precision_of = dict(zip(places["place_id"], places["name"])), dict(zip(places["place_id"],
                                                                                     places["precision"]))
    rows = []
    for row in incidents.itertuples():
        if row.place_id not in name_of:
            continue
        if precision_of[row.place_id] > POINT_PRECISION:
            if row.place_id not in anchors:
                anchors.update(_badge_column(list(anchors) + [row.place_id], area))
            x, y = anchors[row.place_id]
            x -= 0.02 * (area.lon[1] - area.lon[0])
        else:
            x, y = lon_of[row.place_id], lat_of[row.place_id] - 0.012 * (area.lat[1] - area.lat[0])
        end = f" – {row.date_end}" if isinstance(row.date_end, str) and row.date_end else ""
        rows.append(dict(x=x, y=y, start_ts=row.start_ts, hover=(
            f"<b>{plain(row.date_start)}{plain(end)}</b> ({plain(row.kind.replace('_', ' '))})<br>"
            f"{plain(name_of[row.place_id])}<br>{_wrap(plain(row.summary))}")))
    return pd.DataFrame(rows, columns=["x", "y", "start_ts", "hover"])


def _hover_windows(claims: pd.DataFrame, areas: _AreaClaims, frame_days: list[pd.Timestamp]) -> tuple[dict, dict]:
    """Per area: its claims' as_of days ascending, and the hover lines some day's badge shows (the newest
    MAX_HOVER_LINES known by then), keyed by their offset among the place's newest-first rows. Lines are
    built only for those rows."""
    by_place, offsets_of, wanted = {}, {}, []
    frame_stamps = np.array(frame_days, dtype="datetime64[ns]").astype(np.int64)
    bounds = np.concatenate([[0], np.cumsum(areas.counts)])
    window = np.arange(MAX_HOVER_LINES)
    for code, place_id in enumerate(areas.place_ids):
        rows_of_place = areas.rows[bounds[code]:bounds[code + 1]]  # newest first
        days_ascending = areas.days[bounds[code]:bounds[code + 1]][::-1]
        by_place[place_id] = days_ascending
        known = np.unique(np.append(np.searchsorted(days_ascending, frame_stamps, side="right"),
                                    len(days_ascending)))
        firsts = len(days_ascending) - known
        offsets = np.unique((firsts[:, None] + window)[window < known[:, None]])
        offsets_of[place_id] = offsets.tolist()
        wanted.append(rows_of_place[offsets])
    texts = iter(_region_lines(claims[REGION_LINE_COLUMNS].iloc[np.concatenate(wanted)]) if wanted else [])
    lines = {place_id: {offset: next(texts) for offset in offsets} for place_id, offsets in offsets_of.items()}
    return by_place, lines


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


def dynamic_traces(prepared: Prepared, names: dict[str, str], day: pd.Timestamp | None) -> list[dict]:
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
            traces.append(dict(type="scatter", y=drawn(np.where(days <= day.value, ys, np.nan))))
            continue
        traces.append(dict(type="scatter",
            x=drawn(rows["x"]), y=drawn(ys), mode="markers", showlegend=False,
            name=TIER_LABELS[tier] + (" (vague figure)" if vague else ""),
            marker=dict(size=drawn(rows["size"]), color="rgba(0,0,0,0)" if vague else TIER_COLOURS[tier],
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
        traces.append(dict(type="scatter", y=drawn(ys)))
        return traces
    traces.append(dict(type="scatter",
        x=drawn(incidents["x"]), y=drawn(incidents["y"]), mode="markers",
        name="Incident (dated event)",
        showlegend=False, marker=dict(symbol="diamond", size=11, color="#222222", line=dict(color="white", width=1)),
        hovertext=list(incidents["hover"]), hovertemplate="%{hovertext}<extra></extra>",
    ))
    return traces


def _wrap(text: str, width: int = 60) -> str:
    return "<br>".join(textwrap.wrap(text, width))

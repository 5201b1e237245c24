"""The map's claims, one metric at a time: one marker per place (places too close to tell apart at a view share
one), sized by a stated rule, and what each day of the slider shows of them.

The rule (printed in the legend): a marker's size is the highest credible figure claimed at the place (high or
medium reliability) known by the day; without a credible one, the highest figure of any grade, drawn hollow;
a place with only vague words ("hundreds") is a small hollow marker. Its label gives the place, that figure
and how many claims are behind it; its hover lists the latest of them. Claims about whole areas (a region, a
country, the border) are not markers: crisisboard.charts.map_panel lists them beside the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crisisboard.claims.areas import POINT_PRECISION
from crisisboard.claims.attribution import release_labels
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import as_of_labels, figure_labels
from crisisboard.data.crisis import MapArea
from crisisboard.data.tiers import TIER_COLOURS

# the smallest map the view is drawn at (the Map page at 1366×768 with the sidebar open): labels and clusters
# are placed for it, so that a larger map (1920, a slide) only spreads them further apart
PLOT_WIDTH, PLOT_HEIGHT = 820, 500
CLUSTER_PX = 30  # places whose markers would be closer than this at the view share one marker
SIZE_KEY = (10, 100, 1_000, 10_000)
VAGUE_SIZE = 12
HOVER_CLAIMS = 4  # the hover of all dates lists this many of the latest claims; the page's list has them all


def marker_size(value: float) -> float:
    """Marker diameter in px for a figure: 12 px for 1, 20 for 100, 28 for 10,000 (log: a figure ten times
    higher is 4 px wider, so a town's 20 and a city's 20,000 both stay readable)."""
    return 12 + 4 * math.log10(max(value, 1))


def px_per_degree(area: MapArea, width: float = PLOT_WIDTH, height: float = PLOT_HEIGHT) -> float:
    """Pixels per degree of latitude when the area is drawn in a plot of `width` × `height` px (default: the
    smallest map; longitude is scaled by the cosine of the latitude, as the map's axes are)."""
    squash = math.cos(math.radians(sum(area.lat) / 2))
    return min(height / (area.lat[1] - area.lat[0]), width / ((area.lon[1] - area.lon[0]) * squash))


@dataclass(frozen=True)
class Spot:
    """One marker: a place, with the places too close to it to tell apart at this view."""

    name: str
    x: float
    y: float
    place_ids: tuple[str, ...]


def spots_for(places: pd.DataFrame, counts: dict[str, int], area: MapArea, kept_before: tuple[Spot, ...] = ()
              ) -> list[Spot]:
    """The markers of a view: each point place with claims, the most-claimed first; a place closer than
    CLUSTER_PX to one already kept joins it ("Town A and 2 nearby"). `kept_before`: spots already on the map,
    which a place joins before it makes a spot of its own (returned first, with the places that joined them,
    under their own name)."""
    scale, squash = px_per_degree(area), math.cos(math.radians(sum(area.lat) / 2))
    rows = places[places["place_id"].isin(counts)].assign(n=lambda f: f["place_id"].map(counts))
    rows = rows.sort_values(["n", "place_id"], ascending=[False, True])
    kept: list[list] = [[spot.x, spot.y, spot.name, list(spot.place_ids)] for spot in kept_before]
    for row in rows.itertuples():
        for spot in kept:
            dx, dy = (row.lon - spot[0]) * squash * scale, (row.lat - spot[1]) * scale
            if math.hypot(dx, dy) < CLUSTER_PX:
                spot[3].append(row.place_id)
                break
        else:
            kept.append([row.lon, row.lat, str(row.name).split(" (")[0], [row.place_id]])
    return [Spot(name, x, y, tuple(ids)) for x, y, name, ids in kept[:len(kept_before)]] + \
        [Spot(name if len(ids) == 1 else f"{name} and {len(ids) - 1} nearby", x, y, tuple(ids))
         for x, y, name, ids in kept[len(kept_before):]]


@dataclass(frozen=True)
class SpotClaims:
    """One spot's claims of the metric, oldest first, with what each day's marker needs precomputed."""

    spot: Spot
    days: np.ndarray  # as_of day of each row (ns), ascending
    values: np.ndarray  # the figure a marker is sized by: value_high (NaN for vague words)
    tiers: list[str]
    credible_upto: np.ndarray  # position of the highest credible figure at or before each row, -1: none
    numeric_upto: np.ndarray  # the same for any figure
    lines: list[str]  # each row's hover line
    short: list[str]  # each row's figure, originator and grade (a day's hover)


def _highest_upto(values: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """For each position, the position of the highest value at or before it among those where `flags` holds
    (the later of equal ones; -1: none)."""
    best, found = -1, np.empty(len(values), dtype=np.int64)
    for i, (value, flag) in enumerate(zip(values.tolist(), flags.tolist())):
        if flag and (best < 0 or value >= values[best]):
            best = i
        found[i] = best
    return found


def spot_claims(claims: pd.DataFrame, spot: Spot) -> SpotClaims:
    rows = claims[claims["place_id"].isin(spot.place_ids)].sort_values(["as_of_ts", "claim_id"], kind="stable")
    values = rows["value_high"].to_numpy(dtype=float, na_value=np.nan)
    tiers = rows["tier"].astype(str).tolist()
    numeric = ~np.isnan(values)
    credible = numeric & np.isin(tiers, ["high", "medium"])
    lines = [f"{plain(figure)} · {plain(claimant[:40])} · {plain(day)} · {grade} · <i>{plain(release[:48])}</i>"
             for figure, claimant, day, grade, release in zip(figure_labels(rows), rows["claimant"].astype(str),
                                                               as_of_labels(rows), rows["grade"].astype(str),
                                                               release_labels(rows))]
    short = [f"{plain(figure)} ({plain(claimant[:30])}, {grade})" for figure, claimant, grade
             in zip(figure_labels(rows), rows["claimant"].astype(str), rows["grade"].astype(str))]
    return SpotClaims(spot, rows["as_of_day"].to_numpy().astype("datetime64[ns]").astype(np.int64), values, tiers,
                      _highest_upto(values, credible), _highest_upto(values, numeric), lines, short)


def short_number(value: float) -> str:
    return f"{value / 1e6:.3g}M" if value >= 1e6 else f"{value / 1e3:.3g}k" if value >= 1e4 else f"{value:,.0f}"


@dataclass(frozen=True)
class SpotState:
    """What a spot's marker shows on a day: hidden (nothing known yet), or its size, colour, label and hover."""

    known: int
    size: float = 0.0
    colour: str = "rgba(0,0,0,0)"
    outline: str = "white"
    label: str = ""
    hover: str = ""


def state_on(claims: SpotClaims, day: pd.Timestamp | None, metric_label: str) -> SpotState:
    """The spot's marker on `day` (None: every claim)."""
    known = len(claims.days) if day is None else int(np.searchsorted(claims.days, day.value, side="right"))
    if not known:
        return SpotState(0)
    last = known - 1
    at = claims.credible_upto[last] if claims.credible_upto[last] >= 0 else claims.numeric_upto[last]
    name = plain(claims.spot.name)
    size, colour, outline, label = VAGUE_SIZE, "rgba(0,0,0,0)", "#555555", f"{name} ({known})"
    if at >= 0:
        tier, credible = claims.tiers[at], claims.credible_upto[last] >= 0
        size, label = marker_size(claims.values[at]), f"{name}: {short_number(claims.values[at])} ({known})"
        colour, outline = (TIER_COLOURS[tier], "white") if credible else ("rgba(0,0,0,0)", TIER_COLOURS[tier])
    return SpotState(known, size, colour, outline, label, _hover(claims, day, metric_label, known, at))


def _hover(claims: SpotClaims, day: pd.Timestamp | None, metric_label: str, known: int, at: int) -> str:
    """All dates: the claims' count, the one the marker is sized by and the latest few, each with its source.
    A day (an animation frame, sent once per day): one short line of the same, the list under the map has
    the rest."""
    name, last, s = plain(claims.spot.name), known - 1, "s" if known != 1 else ""
    hollow = "" if at < 0 or claims.credible_upto[last] >= 0 else " (no credible figure: hollow)"
    if day is not None:
        sized = f"sized by {claims.short[at]}{hollow}" if at >= 0 else "no number, only words"
        latest = f"; latest {claims.short[last]}" if last != at else ""
        return f"{name}: {known} claim{s} known by {day:%-d %b}<br>{sized}{latest}"
    head = f"<b>{name}</b>: {known} claim{s} of {plain(metric_label)}"
    latest = "<br>".join(claims.lines[max(0, known - HOVER_CLAIMS):known][::-1])
    more = f"<br>… {known - HOVER_CLAIMS} more: the list under the map has them all" if known > HOVER_CLAIMS else ""
    sized = f"sized by: {claims.lines[at]}{hollow}" if at >= 0 else "no number, only words"
    return f"{head}<br>{sized}<br>latest:<br>{latest}{more}"


def point_claims(claims: pd.DataFrame, places: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The claims of `metric` about point places (towns, villages), which markers stand for."""
    precision = claims["place_precision"] if "place_precision" in claims.columns else \
        claims["place_id"].map(places.set_index("place_id")["precision"])
    return claims[(claims["metric"] == metric) & precision.le(POINT_PRECISION).to_numpy()]

"""The ways people fled (the crisis definition's routes), drawn as arrows for the displacement and refugee
metrics, and the label that gives the claimed range of the movement: the credible figures among each
originator's latest claim of the three days up to the day, with their originators and grades, and the highest of
any grade (as the Overview compares them)."""

from __future__ import annotations

import textwrap

import pandas as pd

from crisisboard.claims.markup import plain
from crisisboard.claims.refs import figure_labels
from crisisboard.claims.summaries import RECENT_DAYS, latest_per_originator, recent
from crisisboard.data.countries import metric_label_in
from crisisboard.data.crisis import MapArea
from crisisboard.data.load import Dataset

ROUTE_COLOUR = "#8a5a00"


def route_traces(dataset: Dataset, area: MapArea) -> list[dict]:
    """One arrow per route (a line and an arrowhead at its end), its label at the middle of the line."""
    where = dataset.places.set_index("place_id")
    traces = []
    for route in dataset.crisis.routes:
        start, end = where.loc[route.start], where.loc[route.end]
        (x0, y0), (x1, y1) = (float(start["lon"]), float(start["lat"])), (float(end["lon"]), float(end["lat"]))
        # from just past the start to just short of the end: the arrowhead never covers the town it points at
        xs, ys = [x0 + 0.1 * (x1 - x0), x0 + 0.9 * (x1 - x0)], [y0 + 0.1 * (y1 - y0), y0 + 0.9 * (y1 - y0)]
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines+markers", hoverinfo="text",
                           hovertext=[plain(f"{route.label} (cited: {', '.join(route.source_ids)})")] * 2,
                           line=dict(color=ROUTE_COLOUR, width=3, dash="dash"), showlegend=False,
                           marker=dict(symbol=["circle", "arrow"], size=[0, 16], angleref="previous",
                                       color=ROUTE_COLOUR), name=f"Route: {plain(route.label)}"))
    return traces


def _who(row: pd.Series) -> str:
    return f"{textwrap.shorten(str(row['claimant']), 24, placeholder='…')} {row['grade']}"


def flow_label(claims: pd.DataFrame, metric: str, day: pd.Timestamp) -> str:
    """The claimed range of `metric` as the Overview compares it on `day`: among each originator's latest claim
    of the three days up to it, the lowest and highest credible figures with who claimed them, and the highest
    of any grade when it is higher. A few short lines."""
    rows = claims[claims["metric"] == metric]
    known = rows[rows["as_of_day"] <= day]
    latest = latest_per_originator(recent(known, day))
    when = f"latest claims of {day - pd.Timedelta(days=RECENT_DAYS - 1):%-d} – {day:%-d %b}"
    head = f"<b>{plain(metric_label_in(rows, metric))}</b><br>{when}"
    if latest.empty:
        return f"{head}:<br>no figure {'in these days' if len(known) else 'yet'}"
    credible = latest[latest["tier"].isin(["high", "medium"])]
    lines = [head + ":"]
    if len(credible):
        ranked = credible.assign(low=credible["value_low"].astype(float), high=-credible["value_high"].astype(float),
                                 grade_key=credible["grade"].astype(str))  # of equal figures, the best graded
        low = credible.loc[ranked.sort_values(["low", "grade_key"], kind="stable").index[0]]
        high = credible.loc[ranked.sort_values(["high", "grade_key"], kind="stable").index[0]]
        if float(low["value_low"]) == float(high["value_high"]):
            span = f"{float(low['value_low']):,.0f} ({_who(high)})"
        else:
            span = f"{float(low['value_low']):,.0f} ({_who(low)}) – {float(high['value_high']):,.0f} ({_who(high)})"
        others = len(credible) - len({low.name, high.name})
        lines.append(plain(f"credible {span}" + (f", and {others} more" if others > 0 else "")))
    top = latest.loc[latest["value_high"].astype(float).idxmax()]
    if not len(credible) or float(top["value_high"]) > float(credible["value_high"].astype(float).max()):
        lines.append(plain(f"highest {figure_labels(latest.loc[[top.name]])[0]} ({_who(top)})"))
    return "<br>".join(part for i, line in enumerate(lines)
                       for part in ([line] if i == 0 else textwrap.wrap(line, 34)))

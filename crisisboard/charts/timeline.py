"""The Timeline: claims of one metric over time, drawn as what each says.

One mark per *statement* (the texts that relay one original statement share a mark and are all
listed in its hover). Each mark shows the figure as the text bounds it:

- exact or "about": a point;
- "between": a bar from low to high;
- "at least" / "more than": a point at the bound with a dashed stem upwards, open at the top;
- "up to" / "fewer than": a point at the bound with a dashed stem downwards, open at the bottom;
- vague words ("hundreds"): a pale bar over the whole order of magnitude the word names,
  never a point, since the text gives no number.

Colour is the reliability tier, symbol the claimant type; the official series of each
government claimant is joined by a line; incidents sit on a strip below.

The crisis window (from the crisis definition, narrowed by the date filter) runs across most of the
plot as a date axis; later figures (a commission's count, anniversaries, restatements) sit in a
compact panel at its right, one column per day, so that they never stretch the main axis.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.hovers import HOVER_TEMPLATE, mark_hovers
from crisisboard.charts.panels import Panels, day_ticks, iso_day, panels_for
from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style, full_log_ticks
from crisisboard.claims.attribution import CAVEAT, build_attribution
from crisisboard.claims.markup import plain
from crisisboard.claims.statements import LIMIT_KEYS, MARK_COLUMNS, Mark, limit_statements, statements_of
from crisisboard.data import schema
from crisisboard.data.countries import metric_label_in
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS

SYMBOLS = {
    "government": "circle", "un_agency": "square", "ngo": "diamond", "intl_org": "cross",
    "local_official": "triangle-up", "commission": "star", "media": "pentagon", "eyewitness": "hexagram",
    "community": "triangle-down", "academic": "hourglass", "unknown": "circle-open",
}
# The span each vague word is drawn over (it names an order of magnitude, not a number).
VAGUE_SPANS = {
    "dozens": (24, 99), "hundreds": (100, 999), "thousands": (1_000, 9_999),
    "tens_of_thousands": (10_000, 99_999), "hundreds_of_thousands": (100_000, 999_999),
}
OPEN_END = 1.6  # an open-ended stem reaches this factor beyond its bound
MIN_OFFICIAL_POINTS = 3
X_MODES = {"as_of": "Date the figure refers to (as of)", "published": "Date the text was published"}


@dataclass
class _Layer:
    """Coordinates for one trace, filled mark by mark."""

    x: list
    y: list
    custom: list  # per point: the claim id, then its hover texts (HOVER_TEMPLATE)

    @classmethod
    def empty(cls) -> "_Layer":
        return cls([], [], [])

    def add(self, x: object, y: object, hover: tuple[str, ...] = (), claim_id: str | None = None) -> None:
        self.x.append(x)
        self.y.append(y)
        self.custom.append([claim_id, *hover] if claim_id else None)

    @property
    def ids(self) -> list:
        return [custom[0] if custom else None for custom in self.custom]


@dataclass(frozen=True)
class _Place:
    """How marks are placed: which date column is the x axis, the panels, the hovers by statement."""

    column: str
    panels: Panels
    hovers: dict[str, tuple[str, ...]]

    def x(self, row: dict) -> str:
        return self.panels.x(row[self.column])

    def split(self, marks: list[Mark]) -> tuple[list[Mark], list[Mark]]:
        """The marks on the main axis, and those in the later panel."""
        later = [mark for mark in marks if self.panels.is_later(mark.claim[self.column])]
        ids = {id(mark) for mark in later}
        return [mark for mark in marks if id(mark) not in ids], later


LATER_DOMAIN = (0.83, 1.0)  # the later panel's share of the plot width (the main axis ends at 0.79)


def _on_later_axis(traces: list[dict]) -> list[dict]:
    for trace in traces:
        trace.update(xaxis="x2", name=f"{trace['name']} · later")
    return traces


def build_timeline_figure(claims: pd.DataFrame, incidents: pd.DataFrame | None, metric: str,
                          x_mode: str = "as_of", log_y: bool = False, title: str | None = None,
                          window: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> go.Figure:
    """Claims of `metric` over time (see the module docstring for how each kind of claim is drawn).

    Parameters
    ----------
    claims : the filtered claims (any metrics; only `metric` is drawn)
    incidents : incidents to show on the strip below, or None for none
    x_mode : "as_of" or "published"
    log_y : a log scale for the figure axis
    window : the days the main axis spans (later marks go to the panel at its right); by default the span
        of the marks, padded by a day, and no panel
    """
    # the statements kept are chosen from their key columns; the rest is read for the rows kept only
    kept, n_statements = limit_statements(claims.loc[claims["metric"] == metric, LIMIT_KEYS])
    rows = claims.loc[kept.index, [c for c in MARK_COLUMNS if c in claims.columns]]
    marks, firsts = statements_of(rows)
    column = "as_of_ts" if x_mode == "as_of" else "published_ts"
    with_incidents = incidents is not None and not incidents.empty
    stamps = pd.concat([rows[column], incidents["start_ts"]]) if with_incidents else rows[column]
    place = _Place(column, panels_for(stamps, window), dict(zip((m.statement_id for m in marks),
                                                                 mark_hovers(marks, firsts))))
    by_tier = {tier: place.split([mark for mark in marks if mark.claim["tier"] == tier]) for tier in TIERS}
    # the data traces, in drawing order: they become the figure, unvalidated (see figure_of), before its legend
    bulk = []
    for builder in (_vague_traces, _bound_traces, None, _point_traces):
        if builder is None:
            bulk += _official_series(rows, place)
            continue
        bulk += [trace for tier in TIERS for trace in builder(tier, by_tier[tier][0], place)]
        bulk += _on_later_axis([trace for tier in TIERS for trace in builder(tier, by_tier[tier][1], place)])
    bulk += _legend(rows) + (_incident_strips(incidents, place.panels) if with_incidents else [])
    fig = figure_of(bulk, layout=_layout(metric_label_in(claims, metric), x_mode, log_y, title, place.panels,
                                         with_incidents))
    add_footer(fig, build_attribution(rows).wrapped(limit=8, width=150), yshift=-30)
    if log_y:
        _narrow_log_ticks(fig, rows)
    if len(marks) < n_statements:
        fig.add_annotation(
            text=f"<b>Showing {len(marks):,} of {n_statements:,} statements</b>: official ones first, the extremes, "
                 "a fixed sample. Narrow the filters to see all.",
            xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=12, color="#7a2e00"), bgcolor="#fff3d6")
    return apply_style(fig)


def _narrow_log_ticks(fig: go.Figure, rows: pd.DataFrame) -> None:
    """Over less than three decades a log axis labels every step (9,000 8,000 7,000…, one over the other): then
    1, 2, 5, 10… in full instead (charts.style.full_log_ticks)."""
    values = [float(v) for v in pd.concat([rows["value_low"], rows["value_high"]]).dropna() if float(v) > 0]
    if values and max(values) / min(values) < 1000:
        fig.update_layout(yaxis=full_log_ticks(values))


def _targets(layer: _Layer, tier: str, name: str) -> list[dict]:
    """Invisible points carrying the hovers and clicks of bars (one per bar, at its middle): a bar's two ends
    would each carry the same hover text, sent twice."""
    if not layer.x:
        return []
    return [dict(type="scatter", x=layer.x, y=layer.y, mode="markers", marker=dict(size=14, opacity=0,
                 color=TIER_COLOURS[tier]), name=name, showlegend=False, customdata=layer.custom,
                 hovertemplate=HOVER_TEMPLATE)]


def _vague_traces(tier: str, marks: list[Mark], place: _Place) -> list[dict]:
    """Vague claims of one tier: a pale bar over the order of magnitude the word names."""
    bars, targets = _Layer.empty(), _Layer.empty()
    for mark in marks:
        row = mark.claim
        if row["qualifier"] != "vague":
            continue
        low, high = VAGUE_SPANS[row["vague_term"]]
        x = place.x(row)
        bars.add(x, low)
        bars.add(x, high)
        bars.add(None, None)
        targets.add(x, (low * high) ** 0.5, place.hovers[mark.statement_id], mark.claim_id)
    if not bars.x:
        return []
    return [dict(type="scatter", x=bars.x, y=bars.y, mode="lines", line=dict(color=TIER_COLOURS[tier], width=14),
                 opacity=0.28, name=f"vague ({tier})", legendgroup="vague", showlegend=False, hoverinfo="skip"),
            *_targets(targets, tier, f"vague ({tier}) · hover")]


def _bound_traces(tier: str, marks: list[Mark], place: _Place) -> list[dict]:
    """Ranges (a bar from low to high) and open-ended stems (dotted, with an open triangle at their end) of
    one tier."""
    solid, dashed, targets = _Layer.empty(), _Layer.empty(), _Layer.empty()
    ups, downs = _Layer.empty(), _Layer.empty()
    for mark in marks:
        row = mark.claim
        if row["qualifier"] == "vague":
            continue
        x, hover = place.x(row), place.hovers[mark.statement_id]
        low, high = row["value_low"], row["value_high"]
        if row["qualifier"] == "between":
            solid.add(x, float(low))
            solid.add(x, float(high))
            solid.add(None, None)
            targets.add(x, (max(float(low), 1.0) * float(high)) ** 0.5, hover, mark.claim_id)
        elif row["qualifier"] in ("at_least", "more_than"):
            dashed.add(x, float(low))
            dashed.add(x, float(low) * OPEN_END)
            dashed.add(None, None)
            ups.add(x, float(low) * OPEN_END, hover, mark.claim_id)
        elif row["qualifier"] in ("up_to", "fewer_than"):
            dashed.add(x, float(high))
            dashed.add(x, float(high) / OPEN_END)
            dashed.add(None, None)
            downs.add(x, float(high) / OPEN_END, hover, mark.claim_id)
    colour, traces = TIER_COLOURS[tier], []
    if solid.x:
        traces.append(dict(type="scatter", x=solid.x, y=solid.y, mode="lines+markers", line=dict(color=colour, width=5),
                           marker=dict(symbol="line-ew-open", size=12, color=colour, line=dict(width=3)),
                           name=f"range ({tier})", showlegend=False, hoverinfo="skip"))
        traces += _targets(targets, tier, f"range ({tier}) · hover")
    if dashed.x:
        traces.append(dict(type="scatter", x=dashed.x, y=dashed.y, mode="lines",
                           line=dict(color=colour, width=2, dash="dot"), hoverinfo="skip", showlegend=False,
                           name=f"open end ({tier})"))
    for layer, symbol, label in ((ups, "triangle-up-open", "open upwards"),
                                 (downs, "triangle-down-open", "open downwards")):
        if layer.x:
            # the mark's point (drawn by _point_traces) carries its hover and click; the arrow only shows the way
            traces.append(dict(type="scatter", x=layer.x, y=layer.y, mode="markers", showlegend=False,
                               marker=dict(symbol=symbol, size=11, color=colour, line=dict(width=2)),
                               name=f"{label} ({tier})", customdata=layer.ids, hoverinfo="skip"))
    return traces


def _official_series(rows: pd.DataFrame, place: _Place) -> list[dict]:
    """A line through the official series of each government claimant with enough cumulative, crisis-wide
    figures on the main axis (restatements and the later panel are not joined)."""
    official = rows[rows["is_official"] & rows["claim_kind"].eq("cumulative") & rows["value_low"].notna()
                    & rows["tier"].isin(["high", "medium"]) & rows["as_of_precision"].ne("restated")
                    & rows["scope"].ne("partial") & (rows[place.column] <= place.panels.end)]
    traces = []
    for claimant, series in official.groupby("claimant"):
        per_statement = series.sort_values("published_ts").drop_duplicates("statement_id")
        if len(per_statement) < MIN_OFFICIAL_POINTS:
            continue
        per_statement = per_statement.assign(x=per_statement[place.column]).sort_values("x", kind="stable")
        # labelled at its last point, not in the legend (whose entries stay short enough to pack in rows)
        label = f"official: {plain(textwrap.shorten(claimant, 30))}"
        traces.append(dict(type="scatter", x=[iso_day(stamp) for stamp in per_statement["x"]],
                           y=per_statement["value_low"].to_numpy(float), mode="lines+text",
                           text=[""] * (len(per_statement) - 1) + [label], textposition="bottom right",
                           textfont=dict(size=12, color="#333333"), line=dict(color="#333333", width=1.5),
                           name=f"Official series: {textwrap.shorten(claimant, 26)}", showlegend=False,
                           hoverinfo="skip", legendgroup="official"))
    return traces


def _point_traces(tier: str, marks: list[Mark], place: _Place) -> list[dict]:
    """The marks of one tier: one point per statement at its stated figure (or bound); symbol = claimant
    type. Vague figures and ranges are drawn as their bars."""
    layer, symbols = _Layer.empty(), []
    for mark in marks:
        row = mark.claim
        if row["qualifier"] in ("vague", "between"):
            continue
        y = row["value_high"] if row["qualifier"] in ("up_to", "fewer_than") else row["value_low"]
        layer.add(place.x(row), float(y), place.hovers[mark.statement_id], mark.claim_id)
        symbols.append(SYMBOLS[row["claimant_type"]])
    if not layer.x:
        return []
    hollow = [symbol.endswith("open") for symbol in symbols]
    return [dict(type="scatter",
                 x=layer.x, y=layer.y, mode="markers", showlegend=False, name=f"{TIER_LABELS[tier]} · marks",
                 marker=dict(symbol=symbols, size=12, color=TIER_COLOURS[tier],
                             line=dict(color=[TIER_COLOURS[tier] if h else "white" for h in hollow],
                                       width=[2 if h else 1 for h in hollow])),
                 customdata=layer.custom, hovertemplate=HOVER_TEMPLATE)]


def _legend(rows: pd.DataFrame) -> list[dict]:
    """Legend-only entries, worded short so that the legend leaves the plot the width: tiers (colour), claimant
    types present (symbol), how bounds are drawn (shape)."""
    entries = [dict(type="scatter", x=[None], y=[None], mode="markers", name=TIER_LABELS[tier], legendgroup="tiers",
                    legendgrouptitle=dict(text="Colour: reliability"),
                    marker=dict(size=11, color=TIER_COLOURS[tier], symbol="square")) for tier in TIERS]
    present = set(rows["claimant_type"].unique())
    entries += [dict(type="scatter", x=[None], y=[None], mode="markers", legendgroup="claimants",
                     legendgrouptitle=dict(text="Symbol: who claimed it"),
                     name=schema.CLAIMANT_TYPE_LABELS[claimant_type],
                     marker=dict(size=11, color="#555555", symbol=SYMBOLS[claimant_type]))
                for claimant_type in [c for c in SYMBOLS if c in present]]
    shapes = [
        ("between X and Y", dict(mode="lines", line=dict(color="#555", width=5))),
        ("at least, more than", dict(mode="lines+markers", line=dict(color="#555", dash="dot"),
                                     marker=dict(symbol="triangle-up-open", size=10))),
        ("up to, fewer than", dict(mode="lines+markers", line=dict(color="#555", dash="dot"),
                                   marker=dict(symbol="triangle-down-open", size=10))),
        ("a word (\"hundreds\")", dict(mode="lines", line=dict(color="#555", width=12), opacity=0.3)),
    ]
    return entries + [dict(type="scatter", x=[None], y=[None], name=name, legendgroup="bounds",
                           legendgrouptitle=dict(text="Shape: what the text says"), **style) for name, style in shapes]


def _incident_strips(incidents: pd.DataFrame, panels: Panels) -> list[dict]:
    """Incidents as diamonds on a strip below the marks: on the main axis, and in the later panel."""
    hovers = [f"<b>{plain(r.date_start)}{' – ' + plain(r.date_end) if r.date_end else ''}</b> "
              f"({plain(r.kind.replace('_', ' '))})<br>{plain(r.summary)}" for r in incidents.itertuples()]
    later = [panels.is_later(stamp) for stamp in incidents["start_ts"]]
    strips = []
    for on_later, axis, name in ((False, "x", "Incident (dated event)"), (True, "x2", "Incident · later")):
        at = [i for i, flag in enumerate(later) if flag == on_later]
        if not at:
            continue
        strips.append(dict(
            type="scatter", x=[panels.x(incidents["start_ts"].iloc[i]) for i in at], y=[0.5] * len(at),
            xaxis=axis, yaxis="y2", mode="markers", name=name, showlegend=not on_later,
            marker=dict(symbol="diamond", size=11, color="#222222"), hovertext=[hovers[i] for i in at],
            hovertemplate="%{hovertext}<extra></extra>", legendgroup="incidents"))
    return strips


def _layout(label: str, x_mode: str, log_y: bool, title: str | None, panels: Panels, with_incidents: bool) -> dict:
    # one year on the main axis: its ticks say the day, the title the year (a line less under the plot)
    year = f", {panels.start + pd.Timedelta(days=1):%Y}" if panels.start.year == panels.end.year else ""
    main_domain = [0, LATER_DOMAIN[0] - 0.04] if panels.later else [0, 1]
    layout = dict(
        title=dict(text=f"{plain(title or label + ': claims over time')}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(title=dict(text=X_MODES[x_mode] + year), gridcolor="#e8e8e8",
                   tickformat="%-d %b" if year else "%-d %b<br>%Y",
                   range=[iso_day(panels.start), iso_day(panels.end)], domain=main_domain, **day_ticks(panels)),
        yaxis=dict(title=dict(text=f"{label} (figure claimed{', log scale' if log_y else ''})"),
                   type="log" if log_y else "linear", gridcolor="#e8e8e8", rangemode="tozero",
                   domain=[0.24, 1] if with_incidents else [0, 1], tickformat=","),
        yaxis2=dict(domain=[0, 0.05], range=[0, 1], showticklabels=False, showgrid=False, zeroline=False,
                    title=dict(text="incidents", font=dict(size=11))),
        legend=dict(groupclick="toggleitem", font=dict(size=12), tracegroupgap=6, grouptitlefont=dict(size=12)),
        height=700, margin=dict(l=70, r=20, t=80, b=40), hovermode="closest", hoverlabel=dict(align="left"),
    )
    if panels.later:
        # its day labels go on top: below, they would run into the incident strip
        layout["xaxis2"] = dict(type="category", categoryorder="array", categoryarray=list(panels.later),
                                tickmode="array", tickvals=list(panels.later), ticktext=list(panels.later),
                                domain=list(LATER_DOMAIN), anchor="y", side="top", tickangle=-90,
                                tickfont=dict(size=11), showgrid=True, gridcolor="#e8e8e8")
        layout["shapes"] = [dict(type="rect", xref="paper", yref="paper", x0=LATER_DOMAIN[0] - 0.01, x1=1,
                                 y0=0, y1=1, fillcolor="#f3f3f3", line=dict(width=0), layer="below")]
        # under the panel, where the main axis has its ticks and the panel has none: its month labels are on top
        layout["annotations"] = [dict(text="<b>Later counts</b><br>by month",
                                      xref="paper", yref="paper", x=LATER_DOMAIN[0], y=0.22, xanchor="left",
                                      yanchor="top", showarrow=False, align="left", font=dict(size=12))]
        layout["margin"] = dict(l=70, r=20, t=120, b=40)
    return layout

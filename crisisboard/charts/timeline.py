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
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style
from crisisboard.claims.attribution import CAVEAT, build_attribution, release_labels
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import as_of_labels, figure_labels
from crisisboard.claims.statements import LIMIT_KEYS, MARK_COLUMNS, Mark, limit_statements, statements_of
from crisisboard.data import schema
from crisisboard.data.frames import per_value
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


def _x(row: pd.Series, x_mode: str) -> str:
    """The mark's date as ISO text, as Plotly would send it (text is copied at no cost, a Timestamp is not)."""
    return (row["as_of_ts"] if x_mode == "as_of" else row["published_ts"]).isoformat()


def mark_hovers(marks: list[Mark], claims: pd.DataFrame) -> list[str]:
    """Each mark's hover: the figure as stated, the claimant, the relay chain, the release, the grade, the
    quote and every text that carried it. `claims`: the marks' claims as a frame, in mark order.

    Built column by column, each piece of text once per distinct value (a claimant, a release, a quote
    recurs across marks): a thousand hovers are built on every filter change."""
    pieces = zip(
        figure_labels(claims), per_value(claims["metric"], lambda metric: plain(schema.METRIC_LABELS[metric].lower())),
        per_value(claims["population"], plain), as_of_labels(claims), per_value(claims["claimant"], plain),
        per_value(claims["claimant_type"], lambda kind: plain(schema.CLAIMANT_TYPE_LABELS[kind])),
        per_value(claims["status_in_text"], lambda status: plain(status.replace("_", " "))),
        per_value(claims["relayed_by"], lambda relay: f"relayed by {plain(relay)}<br>" if relay else ""),
        per_value(claims["title"], lambda title: plain(title)[:90]), [plain(label) for label in release_labels(claims)],
        per_value(claims["grade"], str), per_value(claims["tier"], lambda tier: plain(TIER_LABELS[tier])),
        per_value(claims["quote"], lambda quote: plain(_wrap_quote(quote))), marks)
    hovers = []
    for (figure, metric, population, day, claimant, kind, status, relay, title, label, grade, tier, quote,
         mark) in pieces:
        hover = (f"<b>{plain(figure)}</b> ({metric}, {population}) as of {plain(day)}<br>"
                 f"claimed by <b>{claimant}</b> ({kind}, {status})<br>{relay}{title}, {label}<br>"
                 f"grade {grade}: {tier}<br>“{quote}”")
        if len(mark.carriers) > 1:
            lines = [f"<i>carried by {len(mark.carriers)} texts (one statement, not independent confirmation):</i>"]
            for publisher, published, figure_text in mark.carriers:
                differs = "" if figure_text == mark.claim["figure_text"] else f" — as “{plain(figure_text)}”"
                lines.append(f"· {plain(publisher)[:50]}, {published}{differs}")
            hover += "<br>" + "<br>".join(lines)
        hovers.append(hover)
    return hovers


@lru_cache(maxsize=4096)  # the same quote backs every claim taken from one passage
def _wrap_quote(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width)).replace("\n", "<br>")


@dataclass
class _Layer:
    """Coordinates for one trace, filled mark by mark."""

    x: list
    y: list
    hover: list
    ids: list

    @classmethod
    def empty(cls) -> "_Layer":
        return cls([], [], [], [])

    def add(self, x: object, y: object, hover: str | None = None, claim_id: str | None = None) -> None:
        self.x.append(x)
        self.y.append(y)
        self.hover.append(hover)
        self.ids.append(claim_id)


def build_timeline_figure(claims: pd.DataFrame, incidents: pd.DataFrame | None, metric: str,
                          x_mode: str = "as_of", log_y: bool = False, title: str | None = None,
                          date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> go.Figure:
    """Claims of `metric` over time (see the module docstring for how each kind of claim is drawn).

    Parameters
    ----------
    claims : the filtered claims (any metrics; only `metric` is drawn)
    incidents : incidents to show on the strip below, or None for none
    x_mode : "as_of" or "published"
    log_y : a log scale for the figure axis
    date_range : the x range; by default the span of the marks, padded by a day
    """
    # the statements kept are chosen from their key columns; the rest is read for the rows kept only
    kept, n_statements = limit_statements(claims.loc[claims["metric"] == metric, LIMIT_KEYS])
    rows = claims.loc[kept.index, [c for c in MARK_COLUMNS if c in claims.columns]]
    marks, firsts = statements_of(rows)
    hovers = dict(zip((mark.statement_id for mark in marks), mark_hovers(marks, firsts)))
    by_tier: dict[str, list[Mark]] = {tier: [] for tier in TIERS}
    for mark in marks:
        by_tier[mark.claim["tier"]].append(mark)
    # the data traces, in drawing order: they become the figure, unvalidated (see figure_of), before its legend
    bulk = [trace for tier in TIERS for trace in _vague_traces(tier, by_tier[tier], x_mode, hovers)]
    bulk += [trace for tier in TIERS for trace in _bound_traces(tier, by_tier[tier], x_mode, hovers)]
    bulk += _official_series(rows, x_mode)
    bulk += [trace for tier in TIERS for trace in _point_traces(tier, by_tier[tier], x_mode, hovers)]
    with_incidents = incidents is not None and not incidents.empty
    bulk += _legend(rows) + ([_incident_strip(incidents)] if with_incidents else [])
    fig = figure_of(bulk, layout=_layout(rows, metric, x_mode, log_y, title, date_range, with_incidents))
    add_footer(fig, build_attribution(rows).wrapped(limit=8, width=150), yshift=-60)
    if len(marks) < n_statements:
        fig.add_annotation(
            text=f"<b>Showing {len(marks):,} of {n_statements:,} statements</b>: official ones first, the extremes, "
                 "a fixed sample. Narrow the filters to see all.",
            xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=12, color="#7a2e00"), bgcolor="#fff3d6")
    return apply_style(fig)


def _vague_traces(tier: str, marks: list[Mark], x_mode: str, hovers: dict[str, str]) -> list[dict]:
    """Vague claims of one tier: a pale bar over the order of magnitude the word names."""
    layer = _Layer.empty()
    for mark in marks:
        row = mark.claim
        if row["qualifier"] != "vague":
            continue
        low, high = VAGUE_SPANS[row["vague_term"]]
        x, hover = _x(row, x_mode), hovers[mark.statement_id]
        layer.add(x, low, hover, mark.claim_id)
        layer.add(x, high, hover, mark.claim_id)
        layer.add(None, None)
    if not layer.x:
        return []
    return [dict(type="scatter", x=layer.x, y=layer.y, mode="lines+markers",
                 line=dict(color=TIER_COLOURS[tier], width=14), marker=dict(size=12, opacity=0),
                 opacity=0.28, name=f"vague ({tier})", legendgroup="vague", showlegend=False,
                 hovertext=layer.hover, customdata=layer.ids,
                 hovertemplate="%{hovertext}<extra>vague: the span of the word</extra>")]


def _bound_traces(tier: str, marks: list[Mark], x_mode: str, hovers: dict[str, str]) -> list[dict]:
    """Ranges (a bar from low to high) and open-ended stems (dotted, with an open triangle at their end) of
    one tier."""
    solid, dashed = _Layer.empty(), _Layer.empty()
    ups, downs = _Layer.empty(), _Layer.empty()
    for mark in marks:
        row = mark.claim
        if row["qualifier"] == "vague":
            continue
        x, hover = _x(row, x_mode), hovers[mark.statement_id]
        low, high = row["value_low"], row["value_high"]
        if row["qualifier"] == "between":
            solid.add(x, float(low), hover, mark.claim_id)
            solid.add(x, float(high), hover, mark.claim_id)
            solid.add(None, None)
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
                           name=f"range ({tier})", showlegend=False, hovertext=solid.hover,
                           customdata=solid.ids, hovertemplate="%{hovertext}<extra></extra>"))
    if dashed.x:
        traces.append(dict(type="scatter", x=dashed.x, y=dashed.y, mode="lines",
                           line=dict(color=colour, width=2, dash="dot"), hoverinfo="skip", showlegend=False,
                           name=f"open end ({tier})"))
    for layer, symbol, label in ((ups, "triangle-up-open", "open upwards"),
                                 (downs, "triangle-down-open", "open downwards")):
        if layer.x:
            traces.append(dict(type="scatter", x=layer.x, y=layer.y, mode="markers", showlegend=False,
                               marker=dict(symbol=symbol, size=11, color=colour, line=dict(width=2)),
                               name=f"{label} ({tier})", hovertext=layer.hover, customdata=layer.ids,
                               hovertemplate="%{hovertext}<extra></extra>"))
    return traces


def _official_series(rows: pd.DataFrame, x_mode: str) -> list[dict]:
    """A line through the official series of each government claimant with enough cumulative figures."""
    official = rows[rows["is_official"] & rows["claim_kind"].eq("cumulative") & rows["value_low"].notna()
                    & rows["tier"].isin(["high", "medium"])]
    traces = []
    for claimant, series in official.groupby("claimant"):
        per_statement = series.sort_values("published_ts").drop_duplicates("statement_id")
        if len(per_statement) < MIN_OFFICIAL_POINTS:
            continue
        per_statement = per_statement.assign(
            x=per_statement["as_of_ts" if x_mode == "as_of" else "published_ts"]).sort_values("x", kind="stable")
        traces.append(dict(type="scatter", x=per_statement["x"].to_numpy(),
                           y=per_statement["value_low"].to_numpy(float), mode="lines",
                           line=dict(color="#333333", width=1.5), name=f"Official series: {claimant}",
                           hoverinfo="skip", legendgroup="official"))
    return traces


def _point_traces(tier: str, marks: list[Mark], x_mode: str, hovers: dict[str, str]) -> list[dict]:
    """The marks of one tier: one point per statement at its stated figure (or bound); symbol = claimant
    type. Vague figures and ranges are drawn as their bars."""
    layer, symbols = _Layer.empty(), []
    for mark in marks:
        row = mark.claim
        if row["qualifier"] in ("vague", "between"):
            continue
        y = row["value_high"] if row["qualifier"] in ("up_to", "fewer_than") else row["value_low"]
        layer.add(_x(row, x_mode), float(y), hovers[mark.statement_id], mark.claim_id)
        symbols.append(SYMBOLS[row["claimant_type"]])
    if not layer.x:
        return []
    hollow = [symbol.endswith("open") for symbol in symbols]
    return [dict(type="scatter",
                 x=layer.x, y=layer.y, mode="markers", showlegend=False, name=f"{TIER_LABELS[tier]} · marks",
                 marker=dict(symbol=symbols, size=12, color=TIER_COLOURS[tier],
                             line=dict(color=[TIER_COLOURS[tier] if h else "white" for h in hollow],
                                       width=[2 if h else 1 for h in hollow])),
                 hovertext=layer.hover, customdata=layer.ids, hovertemplate="%{hovertext}<extra></extra>")]


def _legend(rows: pd.DataFrame) -> list[dict]:
    """Legend-only entries: tiers (colour), claimant types present (symbol), how bounds are drawn."""
    entries = [dict(type="scatter", x=[None], y=[None], mode="markers", name=TIER_LABELS[tier], legendgroup="tiers",
                    legendgrouptitle=dict(text="Colour: reliability tier"),
                    marker=dict(size=11, color=TIER_COLOURS[tier], symbol="square")) for tier in TIERS]
    present = set(rows["claimant_type"].unique())
    entries += [dict(type="scatter", x=[None], y=[None], mode="markers", legendgroup="claimants",
                     legendgrouptitle=dict(text="Symbol: who claimed it"),
                     name=schema.CLAIMANT_TYPE_LABELS[claimant_type],
                     marker=dict(size=11, color="#555555", symbol=SYMBOLS[claimant_type]))
                for claimant_type in [c for c in SYMBOLS if c in present]]
    shapes = [
        ("between X and Y: a bar", dict(mode="lines", line=dict(color="#555", width=5))),
        ("at least / more than: open upwards ▵", dict(mode="lines+markers", line=dict(color="#555", dash="dot"),
                                                     marker=dict(symbol="triangle-up-open", size=10))),
        ("up to / fewer than: open downwards ▿", dict(mode="lines+markers", line=dict(color="#555", dash="dot"),
                                                      marker=dict(symbol="triangle-down-open", size=10))),
        ("vague (\"hundreds\"): pale bar over 100–999 etc.", dict(mode="lines", line=dict(color="#555", width=12),
                                                                 opacity=0.3)),
    ]
    return entries + [dict(type="scatter", x=[None], y=[None], name=name, legendgroup="bounds",
                           legendgrouptitle=dict(text="Shape: what the text says"), **style) for name, style in shapes]


def _incident_strip(incidents: pd.DataFrame) -> dict:
    hovers = [f"<b>{plain(r.date_start)}{' – ' + plain(r.date_end) if r.date_end else ''}</b> "
              f"({plain(r.kind.replace('_', ' '))})<br>{plain(r.summary)}" for r in incidents.itertuples()]
    return dict(type="scatter",
        x=[stamp.isoformat() for stamp in incidents["start_ts"]], y=[0.5] * len(incidents), yaxis="y2",
        mode="markers", name="Incident (dated event)", marker=dict(symbol="diamond", size=11, color="#222222"),
        hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>", legendgroup="incidents")


def _layout(rows: pd.DataFrame, metric: str, x_mode: str, log_y: bool, title: str | None,
            date_range: tuple[pd.Timestamp, pd.Timestamp] | None, with_incidents: bool) -> dict:
    label = schema.METRIC_LABELS[metric]
    xs = rows["as_of_ts"] if x_mode == "as_of" else rows["published_ts"]
    if date_range is None and not xs.empty:
        date_range = (xs.min() - pd.Timedelta(days=1), xs.max() + pd.Timedelta(days=1))
    return dict(
        title=dict(text=f"{plain(title or label + ': claims over time')}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(title=dict(text=X_MODES[x_mode]), gridcolor="#e8e8e8", tickformat="%-d %b<br>%Y",
                   **({"range": [pd.Timestamp(day).isoformat() for day in date_range]} if date_range else {})),
        yaxis=dict(title=dict(text=f"{label} (figure claimed{', log scale' if log_y else ''})"),
                   type="log" if log_y else "linear", gridcolor="#e8e8e8", rangemode="tozero",
                   domain=[0.2, 1] if with_incidents else [0, 1], tickformat=","),
        yaxis2=dict(domain=[0, 0.05], range=[0, 1], showticklabels=False, showgrid=False, zeroline=False,
                    title=dict(text="incidents", font=dict(size=11))),
        legend=dict(groupclick="toggleitem", font=dict(size=12), tracegroupgap=12),
        height=640, margin=dict(l=70, r=20, t=80, b=110), hovermode="closest", hoverlabel=dict(align="left"),
    )

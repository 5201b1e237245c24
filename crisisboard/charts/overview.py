"""The Overview's chart: how far apart the claims about the same thing are, at a comparable time. Per metric, a
row (a row per population when a metric's claims count different people, so that figures about different
people are never drawn as rivals); on it, each originator's latest crisis-wide claim of the three days up to a
chosen day (a point at the figure, a bar for a range), coloured by reliability tier, and the final count of the
commission of inquiry, whenever it came, as a black tick (the summaries it draws on are
crisisboard.claims.summaries)."""

from __future__ import annotations


import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style, full_log_ticks
from crisisboard.charts.timeline import SYMBOLS
from crisisboard.claims.attribution import CAVEAT, Attribution, build_attribution, release_labels
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import ClaimRef, as_of_labels, figure_labels
from crisisboard.claims.populations import row_keys
from crisisboard.claims.summaries import RECENT_DAYS, MetricSummary, latest_per_originator, recent, summarise_metrics
from crisisboard.data import schema
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS

OFFSETS = {tier: 0.24 - 0.16 * i for i, tier in enumerate(TIERS)}  # a tier's line within its metric's row


def _row_of(summary: MetricSummary) -> str:
    """The row a summary is drawn on: its key (metric, or metric and country crossed into) and whom it counts."""
    return f"{summary.key}|{summary.population}"


def _keyed(points: pd.DataFrame, summaries: list[MetricSummary], claims: pd.DataFrame) -> pd.DataFrame:
    """`points` with the row each is drawn on: its metric's, or its country's when the summaries keep the
    crossings into several countries apart (one row each, never merged), and its population's when the metric's
    claims count different people (claims.populations.row_keys: never rivals on one row)."""
    keys = points["metric"].astype(str)
    if any(s.destination for s in summaries) and "destination" in points.columns:
        destination = points["destination"].astype(str)
        apart = keys.eq(schema.CROSSED) & destination.ne("")
        keys = keys.where(~apart, keys + ":" + destination)
    whom = row_keys(claims).loc[points.index].astype(str)
    return points.assign(row_key=(keys + "|" + whom).to_numpy())


def _hovers(rows: pd.DataFrame) -> list[str]:
    return [f"<b>{plain(figure)}</b> as of {plain(day)}<br>{plain(claimant)}<br>{plain(label)}<br>grade {grade} "
            f"({plain(TIER_LABELS[tier])})" for figure, day, claimant, label, grade, tier in
            zip(figure_labels(rows), as_of_labels(rows), rows["claimant"].tolist(), release_labels(rows),
                rows["grade"].tolist(), rows["tier"].tolist())]


def _point(row: dict) -> float:
    """Where an open bound's point sits: on the number the text gives."""
    return float(row["value_high"] if row["qualifier"] in ("up_to", "fewer_than") else row["value_low"])


def _tier_traces(points: pd.DataFrame, rows: dict[str, int]) -> list[dict]:
    traces = []
    for tier in TIERS:
        own = points[points["tier"] == tier]
        if own.empty:
            continue
        records = own.to_dict("records")
        ys = [rows[r["row_key"]] + OFFSETS[tier] for r in records]
        bars_x, bars_y = [], []
        for record, y in zip(records, ys):
            if record["qualifier"] == "between":
                bars_x += [float(record["value_low"]), float(record["value_high"]), None]
                bars_y += [y, y, None]
        if bars_x:
            traces.append(dict(type="scatter", x=bars_x, y=bars_y, mode="lines", hoverinfo="skip", showlegend=False,
                               line=dict(color=TIER_COLOURS[tier], width=5), name=f"{TIER_LABELS[tier]} · ranges"))
        # ringed: an official figure the grades find credible (an unconfirmed "could be 2,000" is not)
        official = (own["is_official"] & own["tier"].isin(["high", "medium"])).tolist()
        traces.append(dict(
            type="scatter", x=[_point(r) for r in records], y=ys, mode="markers", name=TIER_LABELS[tier],
            showlegend=False, customdata=own["claim_id"].tolist(), hovertext=_hovers(own),
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(size=[15 if o else 12 for o in official], color=TIER_COLOURS[tier],
                        symbol=[SYMBOLS[k] for k in own["claimant_type"].tolist()],
                        line=dict(color=["#111111" if o else "white" for o in official],
                                  width=[2.5 if o else 1 for o in official]))))
    return traces


def _final_traces(summaries: list[MetricSummary], rows: dict[str, int]) -> list[dict]:
    finals = [(s, s.final) for s in summaries if s.final is not None and _row_of(s) in rows]
    if not finals:
        return []
    return [dict(type="scatter", mode="markers+text", name="Final count (commission)",
                 legendrank=20,
                 x=[_ref_value(ref) for _, ref in finals], y=[rows[_row_of(s)] for s, _ in finals],
                 text=[f"final: {plain(ref.figure)}" for _, ref in finals], textposition="top center",
                 textfont=dict(size=13, color="#111111"), customdata=[ref.claim_id for _, ref in finals],
                 marker=dict(symbol="line-ns-open", size=26, color="#111111", line=dict(width=3)),
                 hovertext=[f"<b>final count: {plain(ref.figure)}</b> as of {plain(ref.as_of)}<br>"
                            f"{plain(ref.claimant)}<br>{plain(ref.source.label)}<br>grade {ref.grade}"
                            for _, ref in finals], hovertemplate="%{hovertext}<extra></extra>")]


def _ref_value(ref: ClaimRef) -> float:
    return float(ref.low if ref.low is not None else ref.high)


def log_ticks(points: pd.DataFrame, summaries: list[MetricSummary]) -> dict:
    """Full-number ticks (charts.style.full_log_ticks) over the figures drawn and the commissions' counts."""
    values = points["value_low"].tolist() + points["value_high"].tolist()
    return full_log_ticks(values + [_ref_value(s.final) for s in summaries if s.final is not None])


def build_overview_figure(claims: pd.DataFrame, day: pd.Timestamp, summaries: list[MetricSummary] | None = None,
                          attribution: Attribution | None = None) -> go.Figure:
    """Per metric with crisis-wide numeric claims of two originators or more in the three days up to `day` (or a
    commission's count), each originator's latest (log scale), and the commission's final count. Official
    figures are ringed in black. A metric whose claims count different people has a row per population, as its
    summaries do (claims.populations.row_keys), drawn with one originator or more: figures about different
    people are never rivals on one row."""
    summaries = summarise_metrics(claims, day) if summaries is None else summaries
    points = _keyed(latest_per_originator(recent(claims, day)), summaries, claims)
    # a metric's only row with one originator compares nothing: it is left to the cards under the chart; a row of
    # one population of a metric (its figures about other people on the rows beside it) is drawn with one
    originators = points["row_key"].value_counts()
    shown = [s for s in summaries if originators.get(_row_of(s), 0) >= (1 if s.population else 2)
             or s.final is not None]
    metrics = [_row_of(s) for s in shown]
    rows = {metric: len(metrics) - 1 - i for i, metric in enumerate(metrics)}  # the first metric on top
    points = points[points["row_key"].isin(metrics)]
    counts = points["row_key"].value_counts()
    bulk = _tier_traces(points, rows) + _final_traces(summaries, rows)
    bulk += [dict(type="scatter", x=[None], y=[None], mode="markers", name=TIER_LABELS[tier], legendrank=i,
                  marker=dict(size=12, color=TIER_COLOURS[tier], symbol="square")) for i, tier in enumerate(TIERS)]
    bulk.append(dict(type="scatter", x=[None], y=[None], mode="markers", name="Official figure (ringed)",
                     legendrank=10, marker=dict(size=14, color="white", line=dict(color="#111111", width=2.5))))
    start = day - pd.Timedelta(days=RECENT_DAYS - 1)
    ticks = [f"{plain(s.label)}<br><i>{int(counts.get(_row_of(s), 0))} originator"
             f"{'' if counts.get(_row_of(s), 0) == 1 else 's'}</i>" for s in shown]
    attribution = build_attribution(points) if attribution is None else attribution
    fig = figure_of(bulk, layout=dict(
        title=dict(text=f"Each originator's latest claim, {start:%-d} – {day:%-d %b %Y}<br><sup>{CAVEAT} Only "
                        "crisis-wide claims; partial counts are listed apart.</sup>", x=0.01, yref="container",
                   y=1, yanchor="top", pad=dict(t=16)),
        xaxis=dict(type="log", title=dict(text="figure claimed (log scale; symbol: who claimed it, as on the "
                                             "Timeline)"), gridcolor="#e5e5e5", **log_ticks(points, summaries)),
        yaxis=dict(tickmode="array", tickvals=list(rows.values()), ticktext=ticks, showgrid=False,
                   range=[-0.6, len(metrics) - 0.15], zeroline=False),  # room above the top row's labels
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, title=dict(text="Reliability ")),
        height=max(380, 76 * len(metrics) + 230), margin=dict(l=10, r=20, t=140, b=60), hovermode="closest",
    ))
    add_footer(fig, attribution.wrapped())
    return apply_style(fig)

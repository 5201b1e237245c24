"""The Who-says-what chart: the latest claim of each kind of claimant side by side (the comparison it draws is
crisisboard.claims.comparisons)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.style import add_footer, apply_style, full_log_ticks
from crisisboard.claims.attribution import CAVEAT, build_attribution
from crisisboard.claims.comparisons import Contest, Entry
from crisisboard.claims.markup import plain
from crisisboard.data.countries import metric_label_in
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS


def build_who_says_what_figure(entries: list[Entry], metric: str, day: pd.Timestamp,
                               result: Contest | None = None, whom: str = "",
                               per: str = "kind of claimant") -> go.Figure:
    """One row per claimant type: its latest claim (a point, a bar for a range, an open end for a bound);
    `whom` (the people the figures count) is said in the title."""
    fig = go.Figure()
    labels = [e.category for e in entries]
    drawn: list[float] = []  # every x drawn, for the axis's ticks
    for entry, label in zip(entries, labels):
        row, ref = entry.claim, entry.ref
        colour = TIER_COLOURS[row["tier"]]
        hover = (f"<b>{plain(ref.figure)}</b> as of {plain(ref.as_of)}<br>{plain(ref.claimant)}<br>"
                 f"{plain(ref.source.label)}<br>grade {row['grade']} ({plain(TIER_LABELS[row['tier']])})")
        if row["qualifier"] == "vague":
            fig.add_trace(go.Scatter(x=[None], y=[label], mode="markers", showlegend=False, hoverinfo="skip"))
            fig.add_annotation(x=0, xref="paper", y=label, text=f"“{plain(ref.figure)}” (no number)",
                               showarrow=False, xanchor="left", xshift=10, font=dict(color=colour, size=14))
            continue
        low, high = float(row["value_low"]), float(row["value_high"])
        if row["qualifier"] in ("at_least", "more_than"):
            high = low * 1.6
        elif row["qualifier"] in ("up_to", "fewer_than"):
            low = high / 1.6
        dash = "dot" if row["qualifier"] in ("at_least", "more_than", "up_to", "fewer_than") else "solid"
        fig.add_trace(go.Scatter(x=[low, high], y=[label, label], mode="lines", showlegend=False,
                                 line=dict(color=colour, width=6, dash=dash), hoverinfo="skip"))
        point = float(row["value_high"]) if row["qualifier"] in ("up_to", "fewer_than") else float(row["value_low"])
        drawn += [low, high, point]
        fig.add_trace(go.Scatter(x=[point], y=[label], mode="markers+text", showlegend=False,
                                 text=[plain(ref.figure)], textposition="top center", cliponaxis=False,
                                 marker=dict(size=16, color=colour, line=dict(color="white", width=1)),
                                 hovertext=[hover], hovertemplate="%{hovertext}<extra></extra>",
                                 customdata=[row["claim_id"]]))
    # the verdict is printed above the chart on the page and under the title of an export (the view's notes),
    # not in the figure, where at projector size it would run past the plot
    subtitle = CAVEAT
    claims = pd.DataFrame([e.claim for e in entries]) if entries else pd.DataFrame()
    counted = f" ({whom})" if whom else ""
    title = (f"{metric_label_in(claims, metric)}{counted}: the latest claim of each {per}, "
             f"as of {day:%-d %b %Y}")
    attribution = build_attribution(claims) if entries else None
    fig.update_layout(
        title=dict(text=f"{plain(title)}<br><sup>{subtitle}</sup>", x=0.01),
        xaxis=dict(type="log", title="figure claimed (log scale; dotted = open-ended bound)", gridcolor="#e8e8e8",
                   **full_log_ticks(drawn)),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(labels)), title=None, automargin=True),
        height=max(360, 70 * len(entries) + 240), margin=dict(l=160, r=110, t=150, b=100)  # r: a label over the last point,
    )
    if attribution is not None:
        add_footer(fig, attribution.wrapped(limit=8, width=150), yshift=-50)
    return apply_style(fig)

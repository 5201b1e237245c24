"""The Overview's chart: per metric, a bar per reliability tier from the lowest to the highest figure claimed
(the summaries it draws are crisisboard.claims.summaries)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.plotly_internals import figure_of
from crisisboard.charts.style import add_footer, apply_style
from crisisboard.claims.attribution import CAVEAT, Attribution, build_attribution
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import ClaimRef
from crisisboard.claims.summaries import MetricSummary, summarise_metrics
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS


def _hover(ref: ClaimRef) -> str:
    return (f"<b>{plain(ref.figure)}</b><br>{plain(ref.claimant)}<br>as of {plain(ref.as_of)}<br>"
            f"{plain(ref.source.label)}<br>grade {ref.grade} ({ref.tier})")


def build_overview_figure(claims: pd.DataFrame, title: str = "Range of claims by reliability tier",
                          summaries: list[MetricSummary] | None = None,
                          attribution: Attribution | None = None) -> go.Figure:
    """A row per metric; per tier, a bar from the lowest to the highest figure claimed (log scale).

    The bar spans claims of different dates and places: it shows how far apart the claims are,
    not an estimate of anything.

    Vague claims ("hundreds") have no number and are counted beside the row, not drawn; partial counts
    (one place, cemetery, incident...) are counted beside it too and listed apart on the page, never drawn
    as the low end of a crisis-wide spread.
    """
    summaries = summarise_metrics(claims) if summaries is None else summaries
    bulk = []  # plain dicts: they become the figure unvalidated (see figure_of)
    offsets = {tier: 0.3 - 0.2 * i for i, tier in enumerate(TIERS)}
    shown_in_legend: set[str] = set()
    tick_values, tick_text = [], []
    for row, summary in enumerate(reversed(summaries)):
        tick_values.append(row)
        vague = sum(t.n_vague for t in summary.tiers)
        apart = [f"{vague} vague"] if vague else []
        apart += [f"{summary.partial.n_claims} partial"] if summary.partial else []
        tick_text.append(f"{plain(summary.label)} ({summary.n_claims})" + (
            f"<br><i>{', '.join(apart)}: not drawn</i>" if apart else ""))
        for tier_range in summary.tiers:
            if tier_range.lowest is None or tier_range.highest is None:
                continue
            y = row + offsets[tier_range.tier]
            bulk.append(dict(
                type="scatter", x=[tier_range.low_value, tier_range.high_value], y=[y, y], mode="lines+markers",
                line=dict(color=TIER_COLOURS[tier_range.tier], width=6),
                marker=dict(size=11, color=TIER_COLOURS[tier_range.tier], line=dict(color="white", width=1)),
                name=TIER_LABELS[tier_range.tier], legendgroup=tier_range.tier,
                legendrank=TIERS.index(tier_range.tier),
                showlegend=tier_range.tier not in shown_in_legend,
                hovertemplate="%{text}<extra></extra>",
                text=[_hover(tier_range.lowest), _hover(tier_range.highest)],
            ))
            shown_in_legend.add(tier_range.tier)
    attribution = build_attribution(claims) if attribution is None else attribution
    fig = figure_of(bulk, layout=dict(
        title=dict(text=f"{title}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(type="log", title=dict(text="figure claimed (log scale)"), gridcolor="#e5e5e5", side="top"),
        yaxis=dict(tickmode="array", tickvals=tick_values, ticktext=tick_text, range=[-0.6, len(summaries) - 0.4],
                   showgrid=False),
        legend=dict(orientation="h", yanchor="top", y=0.99, x=1, xanchor="right", yref="container",
                    title=dict(text="Reliability tier ")),
        height=max(360, 70 * len(summaries) + 260), margin=dict(l=10, r=20, t=150, b=90),
    ))
    add_footer(fig, attribution.wrapped())
    return apply_style(fig)

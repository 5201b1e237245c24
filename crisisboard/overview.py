"""The Overview: for each metric, the spread of claims by reliability tier, the latest official
figure beside the highest other claim, and how many claims, sources and statements stand behind them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from crisisboard import schema
from crisisboard.attribution import CAVEAT, build_attribution
from crisisboard.claimref import ClaimRef
from crisisboard.links import plain
from crisisboard.style import add_footer, apply_style
from crisisboard.tiers import TIER_COLOURS, TIER_LABELS, TIERS


@dataclass(frozen=True)
class TierRange:
    tier: str
    n_claims: int
    n_vague: int
    lowest: ClaimRef | None
    highest: ClaimRef | None
    low_value: float | None
    high_value: float | None

    def markdown(self) -> str:
        """``"High tier, 12 claims: from **46** (HRW, …) to **124** (…)"``, each end linked to its source."""
        head = f"{TIER_LABELS[self.tier]}: {self.n_claims} claim{'s' if self.n_claims != 1 else ''}"
        vague = f" ({self.n_vague} vague)" if self.n_vague else ""
        if self.lowest is None or self.highest is None:
            return f"- {head}{vague}, none with a number"
        if self.lowest.claim_id == self.highest.claim_id:
            return f"- {head}{vague}: {self.lowest.markdown()}"
        return f"- {head}{vague}: from {self.lowest.markdown()} to {self.highest.markdown()}"


@dataclass(frozen=True)
class MetricSummary:
    metric: str
    label: str
    n_claims: int
    n_sources: int
    n_statements: int
    tiers: tuple[TierRange, ...]
    latest_official: ClaimRef | None
    highest_other: ClaimRef | None


def _tier_range(tier: str, claims: pd.DataFrame) -> TierRange:
    numeric = claims[claims["value_low"].notna()]
    if numeric.empty:
        return TierRange(tier, len(claims), len(claims), None, None, None, None)
    lowest = numeric.loc[numeric["value_low"].astype(float).idxmin()]
    highest = numeric.loc[numeric["value_high"].astype(float).idxmax()]
    return TierRange(tier, len(claims), len(claims) - len(numeric), ClaimRef.from_row(lowest),
                     ClaimRef.from_row(highest), float(lowest["value_low"]), float(highest["value_high"]))


def _latest(claims: pd.DataFrame) -> ClaimRef | None:
    """The latest-dated claim, taken from the high and medium tiers when there are any there.

    A doubtful relay (say, a 2024 wiki page restating a 2010 toll, dated by its publication)
    must not displace the last credible official figure.
    """
    if claims.empty:
        return None
    credible = claims[claims["tier"].isin(["high", "medium"])]
    pool = credible if not credible.empty else claims
    ordered = pool.sort_values(["as_of_ts", "published_ts", "value_high"], na_position="first")
    return ClaimRef.from_row(ordered.iloc[-1])


def _highest(claims: pd.DataFrame) -> ClaimRef | None:
    numeric = claims[claims["value_high"].notna()]
    if numeric.empty:
        return None
    return ClaimRef.from_row(numeric.loc[numeric["value_high"].astype(float).idxmax()])


def summarise_metrics(claims: pd.DataFrame) -> list[MetricSummary]:
    """One summary per metric present in `claims`, in the order of data/README.md."""
    summaries = []
    for metric in schema.METRICS:
        rows = claims[claims["metric"] == metric]
        if rows.empty:
            continue
        tiers = tuple(_tier_range(tier, rows[rows["tier"] == tier]) for tier in TIERS
                      if (rows["tier"] == tier).any())
        summaries.append(MetricSummary(
            metric=metric, label=schema.METRIC_LABELS[metric], n_claims=len(rows),
            n_sources=rows["source_id"].nunique(), n_statements=rows["statement_id"].nunique(),
            tiers=tiers, latest_official=_latest(rows[rows["is_official"]]),
            highest_other=_highest(rows[~rows["is_official"]]),
        ))
    return summaries


def _hover(ref: ClaimRef) -> str:
    return (f"<b>{plain(ref.figure)}</b><br>{plain(ref.claimant)}<br>as of {plain(ref.as_of)}<br>"
            f"{plain(ref.source.label)}<br>grade {ref.grade} ({ref.tier})")


def build_overview_figure(claims: pd.DataFrame, title: str = "Range of claims by reliability tier") -> go.Figure:
    """A row per metric; per tier, a bar from the lowest to the highest figure claimed (log scale).

    The bar spans claims of different dates and places: it shows how far apart the claims are,
    not an estimate of anything.

    Vague claims ("hundreds") have no number and are counted beside the row, not drawn.
    """
    summaries = summarise_metrics(claims)
    fig = go.Figure()
    offsets = {tier: 0.3 - 0.2 * i for i, tier in enumerate(TIERS)}
    shown_in_legend: set[str] = set()
    tick_values, tick_text = [], []
    for row, summary in enumerate(reversed(summaries)):
        tick_values.append(row)
        vague = sum(t.n_vague for t in summary.tiers)
        tick_text.append(f"{plain(summary.label)} ({summary.n_claims})" + (f"<br><i>{vague} vague, not drawn</i>"
                                                                       if vague else ""))
        for tier_range in summary.tiers:
            if tier_range.lowest is None or tier_range.highest is None:
                continue
            y = row + offsets[tier_range.tier]
            fig.add_trace(go.Scatter(
                x=[tier_range.low_value, tier_range.high_value], y=[y, y], mode="lines+markers",
                line=dict(color=TIER_COLOURS[tier_range.tier], width=6),
                marker=dict(size=11, color=TIER_COLOURS[tier_range.tier], line=dict(color="white", width=1)),
                name=TIER_LABELS[tier_range.tier], legendgroup=tier_range.tier,
                legendrank=TIERS.index(tier_range.tier),
                showlegend=tier_range.tier not in shown_in_legend,
                hovertemplate="%{text}<extra></extra>",
                text=[_hover(tier_range.lowest), _hover(tier_range.highest)],
            ))
            shown_in_legend.add(tier_range.tier)
    attribution = build_attribution(claims)
    fig.update_layout(
        title=dict(text=f"{title}<br><sup>{CAVEAT}</sup>", x=0.01),
        xaxis=dict(type="log", title="figure claimed (log scale)", gridcolor="#e5e5e5", side="top"),
        yaxis=dict(tickmode="array", tickvals=tick_values, ticktext=tick_text, range=[-0.6, len(summaries) - 0.4],
                   showgrid=False),
        legend=dict(orientation="h", yanchor="top", y=0.99, x=1, xanchor="right", yref="container",
                    title_text="Reliability tier "),
        height=max(360, 70 * len(summaries) + 260), margin=dict(l=10, r=20, t=150, b=90),
    )
    add_footer(fig, attribution.wrapped())
    return apply_style(fig)

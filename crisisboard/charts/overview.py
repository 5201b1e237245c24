"""The Overview: for each metric, the spread of claims by reliability tier, the latest official
figure beside the highest other claim, and how many claims, sources and statements stand behind them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crisisboard.data import schema
from crisisboard.claims.attribution import CAVEAT, Attribution, build_attribution
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef
from crisisboard.data.frames import records
from crisisboard.claims.markup import Markdown, md, plain
from crisisboard.charts.style import add_footer, apply_style, figure_of
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS


@dataclass(frozen=True)
class TierRange:
    tier: str
    n_claims: int
    n_vague: int
    lowest: ClaimRef | None
    highest: ClaimRef | None
    low_value: float | None
    high_value: float | None

    def markdown(self) -> Markdown:
        """``"High tier, 12 claims: from **46** (HRW, …) to **124** (…)"``, each end linked to its source."""
        head = md("{tier}: {n} claim{s}{vague}", tier=TIER_LABELS[self.tier], n=self.n_claims,
                  s="s" if self.n_claims != 1 else "", vague=f" ({self.n_vague} vague)" if self.n_vague else "")
        if self.lowest is None or self.highest is None:
            return md("- {head}, none with a number", head=head)
        if self.lowest.claim_id == self.highest.claim_id:
            return md("- {head}: {only}", head=head, only=self.lowest.markdown())
        return md("- {head}: from {lowest} to {highest}", head=head, lowest=self.lowest.markdown(),
                  highest=self.highest.markdown())


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


def _refs(claims: pd.DataFrame, positions: set[int]) -> dict[int, ClaimRef]:
    """ClaimRefs for the few rows of `claims` at `positions`, keyed by position, read in one pass."""
    ordered = sorted(positions)
    return {position: ClaimRef.from_row(row)
            for position, row in zip(ordered, records(claims[list(CLAIMREF_COLUMNS)].iloc[ordered]))}


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its rows numbered 0.. (positions, not the labels of the dataset's rows)."""
    return frame.reset_index(drop=True)


def _latest_official(claims: pd.DataFrame) -> dict:
    """Per metric, the position of the latest-dated official claim, taken from the high and medium tiers when there are
    any there: a doubtful relay (say, a 2024 wiki page restating a 2010 toll, dated by its publication)
    must not displace the last credible official figure."""
    official = _numbered(claims[["metric", "tier", "as_of_ts", "published_ts", "value_high", "is_official"]])
    official = official[official["is_official"]]
    if official.empty:
        return {}
    credible = official["tier"].isin(["high", "medium"])
    pool = official[credible | ~credible.groupby(official["metric"]).transform("any")]
    ordered = pool.sort_values(["metric", "as_of_ts", "published_ts", "value_high"], na_position="first",
                               kind="stable")
    last = ordered.drop_duplicates("metric", keep="last")
    return dict(zip(last["metric"].tolist(), last.index.tolist()))


def _highest_other(claims: pd.DataFrame) -> dict:
    """Per metric, the position of the highest figure claimed by anyone but the official series."""
    other = _numbered(claims[["metric", "value_high", "is_official"]])
    other = other[~other["is_official"] & other["value_high"].notna()]
    if other.empty:
        return {}
    found = other["value_high"].astype(float).groupby(other["metric"], observed=True).idxmax()
    return dict(zip(found.index.tolist(), found.tolist()))


def _first_by_group(groups: np.ndarray, keys: np.ndarray) -> dict[int, int]:
    """Per group, the position of the row with the smallest key, the first such row on a tie (as
    pandas' idxmin gives): one stable sort of integer group codes and keys."""
    order = np.lexsort((keys, groups))
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]) if len(order) else order
    return dict(zip(sorted_groups[starts].tolist(), order[starts].tolist()))


def _tier_ranges(claims: pd.DataFrame, refs: dict[int, ClaimRef]) -> dict[str, tuple[TierRange, ...]]:
    """Per metric, per tier present: the lowest and highest figure claimed, and the vague claims counted.
    The ClaimRefs of the rows named are added to `refs` (position -> ClaimRef)."""
    # metric and tier are categories: each (metric, tier) pair is one integer, counted and searched as such
    metrics, tiers = claims["metric"].cat, claims["tier"].cat
    pairs = metrics.codes.to_numpy().astype(np.int64) * len(tiers.categories) + tiers.codes.to_numpy()
    low = claims["value_low"].to_numpy(dtype=float, na_value=np.nan)
    high = claims["value_high"].to_numpy(dtype=float, na_value=np.nan)
    numeric = np.flatnonzero(~np.isnan(low))  # a claim with a number has both (load.py fills one from the other)
    sizes = np.bincount(pairs, minlength=len(metrics.categories) * len(tiers.categories))
    n_numeric = np.bincount(pairs[numeric], minlength=len(sizes))
    lowest = {pair: numeric[at] for pair, at in _first_by_group(pairs[numeric], low[numeric]).items()}
    highest = {pair: numeric[at] for pair, at in _first_by_group(pairs[numeric], -high[numeric]).items()}
    refs.update(_refs(claims, {int(at) for at in (*lowest.values(), *highest.values())} - set(refs)))
    ranges: dict[str, list[TierRange]] = {}
    present = np.flatnonzero(sizes)  # by metric, then tier, in category order
    for pair in sorted(present.tolist(), key=lambda pair: TIERS.index(tiers.categories[pair % len(tiers.categories)])):
        metric, tier = metrics.categories[pair // len(tiers.categories)], tiers.categories[pair % len(tiers.categories)]
        n = int(sizes[pair])
        if pair not in lowest:
            ranges.setdefault(metric, []).append(TierRange(tier, n, n, None, None, None, None))
            continue
        ranges.setdefault(metric, []).append(TierRange(
            tier, n, n - int(n_numeric[pair]), refs[int(lowest[pair])], refs[int(highest[pair])],
            float(low[lowest[pair]]), float(high[highest[pair]])))
    return {metric: tuple(found) for metric, found in ranges.items()}


def summarise_metrics(claims: pd.DataFrame) -> list[MetricSummary]:
    """One summary per metric present in `claims`, in the order of data/README.md.

    Grouped in one pass per statistic; only the handful of rows a summary names become ClaimRefs.
    """
    if claims.empty:
        return []
    by_metric = claims.groupby("metric", observed=True)
    counts, n_sources, n_statements = by_metric.size(), by_metric["source_code"].nunique(), \
        by_metric["statement_code"].nunique()
    latest, highest = _latest_official(claims), _highest_other(claims)
    refs = _refs(claims, {*latest.values(), *highest.values()})  # the rows the summaries name, read once
    tiers = _tier_ranges(claims, refs)
    return [MetricSummary(metric=metric, label=schema.METRIC_LABELS[metric], n_claims=int(counts[metric]),
                          n_sources=int(n_sources[metric]), n_statements=int(n_statements[metric]),
                          tiers=tiers.get(metric, ()), latest_official=refs.get(latest.get(metric)),
                          highest_other=refs.get(highest.get(metric)))
            for metric in schema.METRICS if metric in counts.index]


def _hover(ref: ClaimRef) -> str:
    return (f"<b>{plain(ref.figure)}</b><br>{plain(ref.claimant)}<br>as of {plain(ref.as_of)}<br>"
            f"{plain(ref.source.label)}<br>grade {ref.grade} ({ref.tier})")


def build_overview_figure(claims: pd.DataFrame, title: str = "Range of claims by reliability tier",
                          summaries: list[MetricSummary] | None = None,
                          attribution: Attribution | None = None) -> go.Figure:
    """A row per metric; per tier, a bar from the lowest to the highest figure claimed (log scale).

    The bar spans claims of different dates and places: it shows how far apart the claims are,
    not an estimate of anything.

    Vague claims ("hundreds") have no number and are counted beside the row, not drawn.
    """
    summaries = summarise_metrics(claims) if summaries is None else summaries
    bulk = []  # plain dicts: they become the figure unvalidated (see figure_of)
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

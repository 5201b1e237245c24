"""Per metric, what a reader asks first: the latest official figure, the highest other claim, the spread of
claims in each reliability tier, and how many claims, sources and distinct statements stand behind them.

Like is compared with like: the latest, the highest and the tiers' spreads are of crisis-wide claims
(``scope`` crisis); partial counts (one place, incident, cemetery, group or sub-period) are summarised
apart, so that "24 bodies in one morgue" never shows as the low end of the toll. A restated figure (a
later text restating an earlier figure without its date) is never the latest official one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crisisboard.claims.markup import Markdown, md
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef
from crisisboard.data import schema
from crisisboard.data.frames import records
from crisisboard.data.tiers import TIER_LABELS, TIERS


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
class PartialCounts:
    """The partial claims of a metric: how many, and the lowest and highest numbers among them."""

    n_claims: int
    lowest: ClaimRef | None
    highest: ClaimRef | None

    def markdown(self) -> Markdown:
        head = md("Partial counts (one place, incident, cemetery, group or period; not the toll): {n} claim{s}",
                  n=self.n_claims, s="s" if self.n_claims != 1 else "")
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
    tiers: tuple[TierRange, ...]  # of the crisis-wide claims
    latest_official: ClaimRef | None
    highest_other: ClaimRef | None
    partial: PartialCounts | None = None  # None when the metric has no partial claim shown


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
    official = _numbered(claims[["metric", "tier", "as_of_ts", "published_ts", "value_high", "is_official",
                                 "as_of_precision"]])
    official = official[official["is_official"] & official["as_of_precision"].ne("restated")]
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


def _partial_counts(partial: pd.DataFrame) -> dict[str, PartialCounts]:
    """Per metric with partial claims: their number and the lowest and highest figure among them."""
    found = {}
    for metric, rows in partial.groupby("metric", observed=True):
        numeric = rows[rows["value_low"].notna()]
        if numeric.empty:
            found[metric] = PartialCounts(len(rows), None, None)
            continue
        lowest = numeric.loc[numeric["value_low"].astype(float).idxmin()]
        highest = numeric.loc[numeric["value_high"].astype(float).idxmax()]
        found[metric] = PartialCounts(len(rows), ClaimRef.from_row(lowest), ClaimRef.from_row(highest))
    return found


def summarise_metrics(claims: pd.DataFrame) -> list[MetricSummary]:
    """One summary per metric present in `claims`, in the order of data/README.md.

    Grouped in one pass per statistic; only the handful of rows a summary names become ClaimRefs.
    """
    if claims.empty:
        return []
    by_metric = claims.groupby("metric", observed=True)
    counts, n_sources, n_statements = by_metric.size(), by_metric["source_code"].nunique(), \
        by_metric["statement_code"].nunique()
    is_partial = claims["scope"].eq("partial").to_numpy()
    crisis = claims[~is_partial] if is_partial.any() else claims
    latest, highest = _latest_official(crisis), _highest_other(crisis)
    refs = _refs(crisis, {*latest.values(), *highest.values()})  # the rows the summaries name, read once
    tiers = _tier_ranges(crisis, refs) if len(crisis) else {}
    partial = _partial_counts(claims[is_partial]) if is_partial.any() else {}
    return [MetricSummary(metric=metric, label=schema.METRIC_LABELS[metric], n_claims=int(counts[metric]),
                          n_sources=int(n_sources[metric]), n_statements=int(n_statements[metric]),
                          tiers=tiers.get(metric, ()), latest_official=refs.get(latest.get(metric)),
                          highest_other=refs.get(highest.get(metric)), partial=partial.get(metric))
            for metric in schema.METRICS if metric in counts.index]

"""Per metric, what a reader asks first: the latest official figure, the highest other claim, the spread of
claims in each reliability tier, and how many claims, sources and distinct statements stand behind them.

Like is compared with like: the latest, the highest and the tiers' spreads are of crisis-wide claims
(``scope`` crisis); partial counts (one place, incident, cemetery, group or sub-period) are summarised
apart, so that "24 bodies in one morgue" never shows as the low end of the toll. A restated figure (a
later text restating an earlier figure without its date) is never the latest official one."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from crisisboard.claims.markup import Markdown, md
from crisisboard.claims.populations import Labels, key_of, order, row_keys, row_label
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef
from crisisboard.data import schema
from crisisboard.data.countries import country_name, metric_label_in
from crisisboard.data.frames import records
from crisisboard.data.tiers import TIER_LABELS, TIERS


def _range_item(head: Markdown, lowest: ClaimRef | None, highest: ClaimRef | None) -> Markdown:
    """A list item: `head`, then its lowest and highest claim (one when they are the same), each linked."""
    if lowest is None or highest is None:
        return md("- {head}, none with a number", head=head)
    if lowest.claim_id == highest.claim_id:
        return md("- {head}: {only}", head=head, only=lowest.markdown())
    return md("- {head}: from {lowest} to {highest}", head=head, lowest=lowest.markdown(), highest=highest.markdown())


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
        return _range_item(head, self.lowest, self.highest)


@dataclass(frozen=True)
class PartialCounts:
    """The partial claims of a metric: how many, and the lowest and highest numbers among them."""

    n_claims: int
    lowest: ClaimRef | None
    highest: ClaimRef | None

    def markdown(self) -> Markdown:
        head = md("Partial counts (one place, incident, cemetery, group or period; not the toll): {n} claim{s}",
                  n=self.n_claims, s="s" if self.n_claims != 1 else "")
        return _range_item(head, self.lowest, self.highest)


@dataclass(frozen=True)
class MetricSummary:
    """What a reader quotes of one metric, as of a day (the latest, the highest, the credible spread) and in
    the end (the final count, whenever it came)."""

    metric: str
    label: str
    n_claims: int
    n_sources: int
    n_statements: int
    tiers: tuple[TierRange, ...]  # of the crisis-wide claims
    latest_official: ClaimRef | None
    highest_other: ClaimRef | None
    partial: PartialCounts | None = None  # None when the metric has no partial claim shown
    lowest_credible: ClaimRef | None = None  # among each originator's latest crisis-wide claim, high/medium tier
    highest_credible: ClaimRef | None = None
    final: ClaimRef | None = None  # the latest count of a commission of inquiry, crisis-wide
    # refugees_crossed whose claims name several countries: one summary per country crossed into, never merged
    destination: str = ""
    # whom its claims count (claims.populations.row_keys): "" when the metric needs no split, else a population key
    population: str = ""

    @property
    def key(self) -> str:
        """What a chart keys this summary's row by: the metric, and the country when crossings are split."""
        return f"{self.metric}:{self.destination}" if self.destination else self.metric


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


LATEST_KEYS = ["metric", "whom", "claimant", "as_of_ts", "tier_rank", "credibility_rank", "published_ts", "claim_id"]


def latest_per_originator(claims: pd.DataFrame) -> pd.DataFrame:
    """Each originator's latest numeric claim of each metric about each population (everyone, or one group:
    claims.populations.key_of) (crisis-wide, not restated, not an increment), and of each country crossed into:
    latest by the day the figure refers to, then the better graded, then the later published."""
    rows = claims[claims["value_low"].notna() & claims["scope"].ne("partial")
                  & claims["as_of_precision"].ne("restated") & claims["claim_kind"].ne("incremental")]
    apart = ["metric", "destination", "whom", "claimant"] if "destination" in rows.columns else \
        ["metric", "whom", "claimant"]
    keyed = rows[list(dict.fromkeys([c for c in apart if c != "whom"] + ["as_of_ts", "published_ts", "claim_id"]))]\
        .assign(whom=key_of(rows["population"]), tier_rank=-rows["tier"].cat.codes,
                credibility_rank=-rows["info_credibility"].astype(int))
    last = keyed.sort_values(LATEST_KEYS, kind="stable").drop_duplicates(apart, keep="last")
    return rows.loc[last.index]


def _credible_spread(latest: pd.DataFrame) -> dict:
    """Per metric, the positions (in `latest`) of the lowest and highest high- or medium-tier figure."""
    credible = _numbered(latest[["metric", "tier", "value_low", "value_high"]])
    credible = credible[credible["tier"].isin(["high", "medium"])]
    if credible.empty:
        return {}
    by_metric = credible.groupby("metric", observed=True)
    low = by_metric["value_low"].idxmin()
    high = by_metric["value_high"].idxmax()
    return {metric: (int(low[metric]), int(high[metric])) for metric in low.index}


def _finals(crisis: pd.DataFrame) -> dict:
    """Per metric, the position of the latest numeric count of a commission of inquiry."""
    counts = _numbered(crisis[["metric", "claimant_type", "as_of_ts", "value_low", "as_of_precision"]])
    counts = counts[counts["claimant_type"].eq("commission") & counts["value_low"].notna()
                    & counts["as_of_precision"].ne("restated")]
    last = counts.sort_values(["metric", "as_of_ts"], kind="stable").drop_duplicates("metric", keep="last")
    return dict(zip(last["metric"].tolist(), last.index.tolist()))


RECENT_DAYS = 3  # "as of a day" compares the claims of the three days up to it (as who-says-what does)


def recent(claims: pd.DataFrame, day: pd.Timestamp | None, days: int = RECENT_DAYS) -> pd.DataFrame:
    """The claims whose figure refers to the `days` days up to `day` (all of them when `day` is None)."""
    if day is None:
        return claims
    return claims[claims["as_of_day"].between(day - pd.Timedelta(days=days - 1), day)]


def summarise_metrics(claims: pd.DataFrame, day: pd.Timestamp | None = None,
                      labels: Labels = None) -> list[MetricSummary]:
    """One summary per metric present in `claims`, in the order of data/README.md, and within a metric whose
    crisis-wide claims count different people, one per population (claims.populations.row_keys: everyone
    first), labelled "Killed · Armenian military" (`labels`: the crisis's population labels). Figures about
    different people are never summed up, ranked or spread together; nor are crossings into different countries
    (:func:`_by_destination`)."""
    keys = row_keys(claims)
    if not keys.astype(bool).any():
        return _by_destination(claims, day)
    found = [replace(summary, population=key, label=row_label(summary.label, key, labels))
             for key, rows in claims.groupby(keys.to_numpy(), sort=False)
             for summary in _by_destination(rows, day)]
    ranks = {key: i for i, key in enumerate(order({s.population for s in found}, labels))}
    return sorted(found, key=lambda s: (schema.METRICS.index(s.metric), s.destination, ranks.get(s.population, -1)))


def _by_destination(claims: pd.DataFrame, day: pd.Timestamp | None = None) -> list[MetricSummary]:
    """One summary per metric present in `claims`, in the order of data/README.md: the latest official figure
    and the highest other claim of all; the credible spread among each originator's latest claim of the three
    days up to `day` (of all claims when None); the final count whenever it came. Crossings into several
    countries are summarised per country (:func:`split_destinations`), in the metric's place.

    Grouped in one pass per statistic; only the handful of rows a summary names become ClaimRefs.
    """
    if claims.empty:
        return []
    parts = split_destinations(claims)
    if parts:
        others = _summaries(claims[~claims["metric"].eq(schema.CROSSED).to_numpy()], day)
        crossed = [replace(summary, destination=code) for code, part in parts for summary in _summaries(part, day)]
        at = next((i for i, s in enumerate(others) if METRIC_ORDER[s.metric] > METRIC_ORDER[schema.CROSSED]),
                  len(others))
        return others[:at] + crossed + others[at:]
    return _summaries(claims, day)


METRIC_ORDER = {metric: i for i, metric in enumerate(schema.METRICS)}


def split_destinations(claims: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The crossings of `claims` per country crossed into, by country name, when they name two countries or
    more (a chart then keeps them apart); [] otherwise."""
    if "destination" not in claims.columns:
        return []
    crossed = claims[claims["metric"].eq(schema.CROSSED).to_numpy()]
    codes = sorted({str(code) if code == code else "" for code in crossed["destination"].unique().tolist()},
                   key=country_name)  # "" (a crossing that names no country, which validation refuses) first
    if len([code for code in codes if code]) < 2:
        return []
    return [(code, crossed[crossed["destination"].astype(str).eq(code).to_numpy()]) for code in codes]


def _summaries(claims: pd.DataFrame, day: pd.Timestamp | None) -> list[MetricSummary]:
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
    originators = latest_per_originator(recent(crisis, day))
    spread = _credible_spread(originators)
    spread_refs = _refs(originators, {at for pair in spread.values() for at in pair})
    finals = _finals(crisis)
    final_refs = _refs(crisis, set(finals.values()))
    return [MetricSummary(metric=metric, label=metric_label_in(claims, metric), n_claims=int(counts[metric]),
                          n_sources=int(n_sources[metric]), n_statements=int(n_statements[metric]),
                          tiers=tiers.get(metric, ()), latest_official=refs.get(latest.get(metric)),
                          highest_other=refs.get(highest.get(metric)), partial=partial.get(metric),
                          lowest_credible=spread_refs.get(spread.get(metric, (None, None))[0]),
                          highest_credible=spread_refs.get(spread.get(metric, (None, None))[1]),
                          final=final_refs.get(finals.get(metric)))
            for metric in schema.METRICS if metric in counts.index]


def headline(label: str, ref: ClaimRef | None, empty: str) -> Markdown:
    """One number a reader can quote, as Markdown: the label, the figure large, then who said it, as of when,
    the release (a link) and the grade; `empty` in its place when there is none."""
    if ref is None:
        return md("**{label}**  \n_{empty}_", label=label, empty=empty)
    return md("**{label}**\n\n### {figure}\n\n{claimant}, as of {as_of}  \n{source} · grade **{grade}**",
              label=label, figure=ref.figure, claimant=ref.claimant, as_of=ref.as_of, source=ref.source_link(),
              grade=ref.grade)


def headline_sentence(summary: MetricSummary, span: str) -> str:
    """The headline numbers of a metric in one plain sentence (an export prints it under the title)."""
    def said(ref: ClaimRef) -> str:
        return f"{ref.figure} ({ref.claimant}, {ref.as_of}, {ref.grade})"

    parts = [f"latest official {said(summary.latest_official)}"] if summary.latest_official else []
    if summary.lowest_credible and summary.highest_credible:
        low, high = summary.lowest_credible.figure, summary.highest_credible.figure
        parts.append(f"credible claims of {span}: {low}" + (f" to {high}" if high != low else ""))
    if summary.final:
        parts.append(f"final count {said(summary.final)}")
    return f"{summary.label}: " + "; ".join(parts) + "." if parts else ""


def leading(summaries: list[MetricSummary], n: int = 3) -> list[MetricSummary]:
    """The `n` metrics with the most claims among those with a headline number, in the order of data/README.md."""
    quoted = [s for s in summaries if s.latest_official or s.final or s.highest_credible]
    chosen = {(s.key, s.population) for s in sorted(quoted, key=lambda s: -s.n_claims)[:n]}
    return [s for s in summaries if (s.key, s.population) in chosen]

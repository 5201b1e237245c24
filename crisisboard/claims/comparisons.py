"""Who says what: the latest claim of each kind of claimant for one metric on one day, and whether the
comparable claims of those days are *contested* (far apart).

Only crisis-wide claims (``scope`` crisis) are compared; partial counts of the same days (one place,
incident, cemetery, group or period) are listed apart by `partial_near`. A restated figure (its text
restates an earlier figure without its date) is never a claimant's latest."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crisisboard.claims.populations import COMPARABLE_POPULATIONS, EVERYONE, key_of
from crisisboard.claims.refs import ClaimRef
from crisisboard.data import schema
from crisisboard.data.countries import metric_label_in

DEFAULT_FACTOR = 3.0
MIN_FACTOR, MAX_FACTOR = 1.1, 100.0  # the range a reader may set: nearer than ×1.1 is the same figure
DEFAULT_WINDOW_DAYS = 3
__all__ = ["COMPARABLE_POPULATIONS"]  # the default population set of every function here


@dataclass(frozen=True)
class Entry:
    """The latest claim of one kind of claimant; government figures split into official and other."""

    category: str
    claim: pd.Series

    @property
    def ref(self) -> ClaimRef:
        return ClaimRef.from_row(self.claim)


@dataclass(frozen=True)
class Contest:
    """How far apart the comparable claims of a window are."""

    metric: str
    day: pd.Timestamp
    window_days: int
    factor: float
    n_claims: int
    ratio: float | None
    lowest: ClaimRef | None
    highest: ClaimRef | None
    label: str = ""  # the metric's label over the claims compared ("Crossed into Armenia"); "": its general label
    whom: str = ""  # whom the compared figures count ("Armenian military"); "" for everyone

    @property
    def contested(self) -> bool:
        return self.ratio is not None and self.ratio > self.factor

    def sentence(self) -> str:
        span = f"{self.day - pd.Timedelta(days=self.window_days - 1):%-d %b} – {self.day:%-d %b %Y}"
        label = (self.label or schema.METRIC_LABELS[self.metric]) + (f" ({self.whom})" if self.whom else "")
        if self.ratio is None or self.lowest is None or self.highest is None:
            return f"{label}, {span}: fewer than two comparable numeric claims, so no comparison."
        verdict = "CONTESTED" if self.contested else "not contested"
        return (f"{label}, {span}: {verdict} — the highest comparable claim ({self.highest.figure}, "
                f"{self.highest.claimant}) is ×{self.ratio:.1f} the lowest ({self.lowest.figure}, "
                f"{self.lowest.claimant}); threshold ×{self.factor:g}, {self.n_claims} claims compared.")


def day_bounds(claims: pd.DataFrame, metric: str, default_day: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp,
                                                                                   pd.Timestamp]:
    """First and last `as_of` day of the metric's claims, and `default_day` (the crisis definition's) moved
    inside them."""
    days = claims.loc[claims["metric"] == metric, "as_of_day"]
    first, last = days.min(), days.max()
    return first, last, min(max(default_day, first), last)


def category_of(claims: pd.DataFrame) -> pd.Series:
    """"Official figures" for government claims the text presents as a toll, "Government (other)" for
    estimates and unconfirmed government statements, the claimant type's label otherwise."""
    labels = claims["claimant_type"].astype(str).map(schema.CLAIMANT_TYPE_LABELS)
    government = claims["claimant_type"].eq("government")
    return labels.mask(government & claims["is_official"], "Official figures").mask(
        government & ~claims["is_official"], "Government (other)")


CATEGORY_ORDER = ["Official figures", "Government (other)"] + [
    schema.CLAIMANT_TYPE_LABELS[c] for c in schema.CLAIMANT_TYPES if c != "government"]


def population_counts(claims: pd.DataFrame, metric: str) -> dict[str, int]:
    """Per population key (populations.key_of: everyone, or one population or group), how many claims of
    `metric` count it; the keys with claims only."""
    keys = key_of(claims.loc[claims["metric"] == metric, "population"])
    return {str(key): int(n) for key, n in keys.value_counts().items() if n}


def default_population(counts: dict[str, int]) -> str:
    """Everyone when any claim counts everyone, else the population with the most claims (EVERYONE when none)."""
    if counts.get(EVERYONE) or not counts:
        return EVERYONE
    return max(sorted(counts), key=counts.__getitem__)  # on a tie, the first by name


ROWS = ("type", "originator")  # Who says what: a row per kind of claimant, or per originator
ROW_LABELS = {"type": "kind of claimant", "originator": "originator (each side's government apart)"}
MAX_ORIGINATORS = 12  # a row per originator: the latest of this many, the rest said in the count


def latest_by_claimant_type(claims: pd.DataFrame, metric: str, day: pd.Timestamp,
                            populations: tuple[str, ...] | None = None, rows_by: str = "type") -> list[Entry]:
    """For each category of claimant (`rows_by` "type"), or for each originator (`rows_by` "originator": in a war
    each side's government is one originator, and a kind of claimant would put both on one row), its latest
    claim of `metric` about `populations` (all of them when None) as of `day`.

    Latest by the day its figure refers to; among claims of that same day, the better graded one
    (tier, then credibility), then the later published.
    """
    rows = claims[(claims["metric"] == metric) & (claims["as_of_day"] <= day) & claims["scope"].eq("crisis")
                  & claims["as_of_precision"].ne("restated")]
    if populations is not None:
        rows = rows[rows["population"].isin(populations)]
    rows = rows.assign(category=category_of(rows), tier_rank=-rows["tier"].cat.codes,
                       credibility_rank=-rows["info_credibility"])
    if rows_by == "originator":
        return _latest_by_originator(rows)
    entries = []
    for category in CATEGORY_ORDER:
        own = rows[rows["category"] == category]
        if own.empty:
            continue
        ordered = own.sort_values(["as_of_day", "tier_rank", "credibility_rank", "published_ts", "claim_id"])
        entries.append(Entry(category, ordered.iloc[-1]))
    return entries


def contest(claims: pd.DataFrame, metric: str, day: pd.Timestamp, factor: float = DEFAULT_FACTOR,
            window_days: int = DEFAULT_WINDOW_DAYS, populations: tuple[str, ...] = COMPARABLE_POPULATIONS,
            whom: str = "") -> Contest:
    """Compare the crisis-wide cumulative numeric claims about `populations` (by default everyone: population
    all or civilians; or one group, say ``("armenian_military",)``) whose `as_of` falls in the `window_days`
    ending on `day`: the ratio of the highest lower bound to the lowest upper bound. Partial counts (one town,
    one hospital, one raid) and counts of other people are left out as not comparable, as are restated
    figures. `whom` names the populations in the verdict's sentence."""
    start = day - pd.Timedelta(days=window_days - 1)
    rows = claims[(claims["metric"] == metric) & claims["as_of_day"].between(start, day)
                  & claims["value_low"].notna() & claims["claim_kind"].eq("cumulative")
                  & claims["population"].isin(populations) & claims["scope"].eq("crisis")
                  & claims["as_of_precision"].ne("restated")]
    if len(rows) < 2:
        return Contest(metric, day, window_days, factor, len(rows), None, None, None,
                       metric_label_in(claims, metric), whom)
    lowest = rows.loc[rows["value_high"].astype(float).idxmin()]
    highest = rows.loc[rows["value_low"].astype(float).idxmax()]
    ratio = float(highest["value_low"]) / max(float(lowest["value_high"]), 1.0)
    return Contest(metric, day, window_days, factor, len(rows), ratio,
                   ClaimRef.from_row(lowest), ClaimRef.from_row(highest), metric_label_in(rows, metric), whom)


def partial_near(claims: pd.DataFrame, metric: str, day: pd.Timestamp,
                 window_days: int = DEFAULT_WINDOW_DAYS, populations: tuple[str, ...] | None = None) -> list[ClaimRef]:
    """The partial claims of `metric` (about `populations`; about anyone when None) whose `as_of` falls in the
    `window_days` ending on `day`, latest first: shown beside the comparison, never in it."""
    start = day - pd.Timedelta(days=window_days - 1)
    rows = claims[(claims["metric"] == metric) & claims["as_of_day"].between(start, day)
                  & claims["scope"].eq("partial")]
    if populations is not None:
        rows = rows[rows["population"].isin(populations)]
    return [ClaimRef.from_row(row) for _, row in rows.sort_values(["as_of_ts", "claim_id"],
                                                                   ascending=[False, True]).iterrows()]


def _latest_by_originator(rows: pd.DataFrame) -> list[Entry]:
    """Each originator's latest claim (as :func:`latest_by_claimant_type` orders them), the MAX_ORIGINATORS
    latest originators, in the order of their kind of claimant and then of their name; the row reads
    "<originator> (<kind>)"."""
    ordered = rows.sort_values(["as_of_day", "tier_rank", "credibility_rank", "published_ts", "claim_id"])
    last = ordered.drop_duplicates("claimant", keep="last").tail(MAX_ORIGINATORS)
    rank = {category: i for i, category in enumerate(CATEGORY_ORDER)}
    chosen = sorted(last.iterrows(), key=lambda item: (rank.get(item[1]["category"], len(rank)),
                                                       str(item[1]["claimant"]).casefold()))
    return [Entry(f"{_originator(row['claimant'])} ({row['category']})", row) for _, row in chosen]


def _originator(claimant: object) -> str:
    name = str(claimant)
    return "an unnamed source" if name in ("", "unknown") else (name if len(name) <= 60 else name[:57] + "…")

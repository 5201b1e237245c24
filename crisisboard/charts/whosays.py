"""Who says what: the latest claim of each kind of claimant for one metric on one day, side by side,
and whether the claims of those days are *contested* (far apart)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from crisisboard.data import schema
from crisisboard.claims.attribution import CAVEAT, build_attribution
from crisisboard.claims.refs import ClaimRef
from crisisboard.claims.markup import plain
from crisisboard.charts.style import add_footer, apply_style
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS

DEFAULT_FACTOR = 3.0
MIN_FACTOR, MAX_FACTOR = 1.1, 100.0  # the range a reader may set: nearer than ×1.1 is the same figure
DEFAULT_WINDOW_DAYS = 3
COMPARABLE_POPULATIONS = ("all", "civilians")
COMPARABLE_MIN_PRECISION = 5  # places covering the whole south, a country or the border: not one town


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

    @property
    def contested(self) -> bool:
        return self.ratio is not None and self.ratio > self.factor

    def sentence(self) -> str:
        span = f"{self.day - pd.Timedelta(days=self.window_days - 1):%-d %b} – {self.day:%-d %b %Y}"
        label = schema.METRIC_LABELS[self.metric]
        if self.ratio is None or self.lowest is None or self.highest is None:
            return f"{label}, {span}: fewer than two comparable numeric claims, so no comparison."
        verdict = "CONTESTED" if self.contested else "not contested"
        return (f"{label}, {span}: {verdict} — the highest comparable claim ({self.highest.figure}, "
                f"{self.highest.claimant}) is ×{self.ratio:.1f} the lowest ({self.lowest.figure}, "
                f"{self.lowest.claimant}); threshold ×{self.factor:g}, {self.n_claims} claims compared.")


DEFAULT_DAY = pd.Timestamp("2010-06-18")  # the day the interim president's estimate met the official toll


def day_bounds(claims: pd.DataFrame, metric: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """First and last `as_of` day of the metric's claims, and a default day inside them."""
    days = claims.loc[claims["metric"] == metric, "as_of_day"]
    first, last = days.min(), days.max()
    return first, last, min(max(DEFAULT_DAY, first), last)


def category_of(claims: pd.DataFrame) -> pd.Series:
    """"Official figures" for government claims the text presents as a toll, "Government (other)" for
    estimates and unconfirmed government statements, the claimant type's label otherwise."""
    labels = claims["claimant_type"].astype(str).map(schema.CLAIMANT_TYPE_LABELS)
    government = claims["claimant_type"].eq("government")
    return labels.mask(government & claims["is_official"], "Official figures").mask(
        government & ~claims["is_official"], "Government (other)")


CATEGORY_ORDER = ["Official figures", "Government (other)"] + [
    schema.CLAIMANT_TYPE_LABELS[c] for c in schema.CLAIMANT_TYPES if c != "government"]


def latest_by_claimant_type(claims: pd.DataFrame, metric: str, day: pd.Timestamp) -> list[Entry]:
    """For each category of claimant, its latest claim of `metric` as of `day`.

    Latest by the day its figure refers to; among claims of that same day, the better graded one
    (tier, then credibility), then the later published.
    """
    rows = claims[(claims["metric"] == metric) & (claims["as_of_day"] <= day)]
    rows = rows.assign(category=category_of(rows), tier_rank=-rows["tier"].cat.codes,
                       credibility_rank=-rows["info_credibility"])
    entries = []
    for category in CATEGORY_ORDER:
        own = rows[rows["category"] == category]
        if own.empty:
            continue
        ordered = own.sort_values(["as_of_day", "tier_rank", "credibility_rank", "published_ts", "claim_id"])
        entries.append(Entry(category, ordered.iloc[-1]))
    return entries


def contest(claims: pd.DataFrame, metric: str, day: pd.Timestamp, factor: float = DEFAULT_FACTOR,
            window_days: int = DEFAULT_WINDOW_DAYS) -> Contest:
    """Compare the cumulative numeric claims about everyone (population all or civilians) in the whole
    area (the south, a country, the border) whose `as_of` falls in the `window_days` ending on `day`:
    the ratio of the highest lower bound to the lowest upper bound. Subsets (one ethnic group, one
    town, one hospital) are left out as not comparable."""
    start = day - pd.Timedelta(days=window_days - 1)
    rows = claims[(claims["metric"] == metric) & claims["as_of_day"].between(start, day)
                  & claims["value_low"].notna() & claims["claim_kind"].eq("cumulative")
                  & claims["population"].isin(COMPARABLE_POPULATIONS)
                  & claims["place_precision"].ge(COMPARABLE_MIN_PRECISION)]
    if len(rows) < 2:
        return Contest(metric, day, window_days, factor, len(rows), None, None, None)
    lowest = rows.loc[rows["value_high"].astype(float).idxmin()]
    highest = rows.loc[rows["value_low"].astype(float).idxmax()]
    ratio = float(highest["value_low"]) / max(float(lowest["value_high"]), 1.0)
    return Contest(metric, day, window_days, factor, len(rows), ratio,
                   ClaimRef.from_row(lowest), ClaimRef.from_row(highest))


def _wrap(text: str, width: int = 110) -> str:
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def build_who_says_what_figure(entries: list[Entry], metric: str, day: pd.Timestamp,
                               result: Contest | None = None) -> go.Figure:
    """One row per claimant type: its latest claim (a point, a bar for a range, an open end for a bound)."""
    fig = go.Figure()
    labels = [e.category for e in entries]
    for entry, label in zip(entries, labels):
        row, ref = entry.claim, entry.ref
        colour = TIER_COLOURS[row["tier"]]
        hover = (f"<b>{plain(ref.figure)}</b> as of {plain(ref.as_of)}<br>{plain(ref.claimant)}<br>"
                 f"{plain(ref.source.label)}<br>grade {row['grade']} ({plain(TIER_LABELS[row['tier']])})")
        if row["qualifier"] == "vague":
            fig.add_trace(go.Scatter(x=[None], y=[label], mode="markers", showlegend=False, hoverinfo="skip"))
            fig.add_annotation(x=0, xref="paper", y=label, text=f"“{plain(ref.figure)}” (no number)",
                               showarrow=False, xanchor="left", font=dict(color=colour, size=14))
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
        fig.add_trace(go.Scatter(x=[point], y=[label], mode="markers+text", showlegend=False,
                                 text=[plain(ref.figure)], textposition="top center",
                                 marker=dict(size=16, color=colour, line=dict(color="white", width=1)),
                                 hovertext=[hover], hovertemplate="%{hovertext}<extra></extra>",
                                 customdata=[row["claim_id"]]))
    title = f"{schema.METRIC_LABELS[metric]}: the latest claim of each kind of claimant, as of {day:%-d %b %Y}"
    subtitle = CAVEAT + (f"<br><b>{_wrap(plain(result.sentence()))}</b>" if result is not None else "")
    claims = pd.DataFrame([e.claim for e in entries]) if entries else pd.DataFrame()
    attribution = build_attribution(claims) if entries else None
    fig.update_layout(
        title=dict(text=f"{plain(title)}<br><sup>{subtitle}</sup>", x=0.01),
        xaxis=dict(type="log", title="figure claimed (log scale; dotted = open-ended bound)", gridcolor="#e8e8e8"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(labels)), title=None),
        height=max(360, 70 * len(entries) + 240), margin=dict(l=160, r=30, t=150, b=100),
    )
    if attribution is not None:
        add_footer(fig, attribution.wrapped(limit=8, width=150), yshift=-50)
    return apply_style(fig)

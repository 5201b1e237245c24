"""A chart in words (issue #21): one sentence per metric that the chart shows, built from the claims behind its
visible marks. The same text is the chart's accessible name (``alt``), the summary printed under it, on an
exported image and in a briefing pack's README, so that a reader who cannot see the chart reads what it shows.

For example: "Killed: 14 claims, 11 June – 8 June 2011. Official figures went from at least 46 (11 June) to 470
(3 May 2011). The highest claim: up to 2,000, the interim government, grade B4 (19 June). The lowest: 46,
the Ministry of Health, grade A2 (11 June)." Figures are written from the claim's bounds and
qualifier, in English, whatever the language of the text that stated them.
"""

from __future__ import annotations

import pandas as pd

from crisisboard.claims.populations import Labels, order, row_keys, row_label
from crisisboard.data import schema
from crisisboard.data.countries import metric_label_in

MAX_METRICS = 4  # a chart of more metrics is summed up by its first ones, and says how many more


def _day(ts: pd.Timestamp, year: int | None) -> str:
    if pd.isna(ts):
        return "no date"
    text = f"{ts.day} {ts.strftime('%B')}"
    return text if ts.year == year else f"{text} {ts.year}"


_QUALIFIER_WORDS = {"exact": "", "about": "about ", "at_least": "at least ", "more_than": "more than ",
                    "up_to": "up to ", "fewer_than": "fewer than "}


def _figure(row: pd.Series) -> str:
    """The figure in English words whatever the text's language ("more than 2,000", "12–17", "thousands")."""
    low, high = row["value_low"], row["value_high"]
    if row["qualifier"] == "vague" or (pd.isna(low) and pd.isna(high)):
        return str(row["vague_term"] or row["figure_text"]).replace("_", " ")
    if row["qualifier"] == "between" and pd.notna(low) and pd.notna(high):
        return f"{int(low):,}–{int(high):,}"
    value = int(low if pd.notna(low) else high)
    return f"{_QUALIFIER_WORDS.get(row['qualifier'], '')}{value:,}"


def _who(row: pd.Series) -> str:
    claimant = str(row["claimant"]).strip()
    return f"{'an unnamed source' if claimant in ('', 'unknown') else claimant}, grade {row['grade']}"


def metric_sentence(claims: pd.DataFrame, metric: str, label: str | None = None) -> str:
    """What the claims of one metric say: how many, over which days, the official figures' first and last, and
    the highest and lowest claims with who made them and their grade (`label`: the row's, "Killed · Armenian
    military"; the metric's by default)."""
    rows = claims[claims["metric"] == metric].sort_values(["as_of_ts", "claim_id"])
    label = label or metric_label_in(rows, metric)
    if rows.empty:
        return f"{label}: no claim."
    year = rows["as_of_ts"].dropna().iloc[0].year if rows["as_of_ts"].notna().any() else None
    first, last = rows["as_of_ts"].min(), rows["as_of_ts"].max()
    span = _day(first, year) if first == last else f"{_day(first, year)} – {_day(last, year)}"
    parts = [f"{label}: {len(rows)} claim{'s' if len(rows) != 1 else ''}, {span}."]
    official = rows[rows["is_official"].fillna(False).astype(bool)]
    if len(official) > 1:
        a, b = official.iloc[0], official.iloc[-1]
        parts.append(f"Official figures went from {_figure(a)} ({_day(a['as_of_ts'], year)}) to {_figure(b)} "
                     f"({_day(b['as_of_ts'], year)}).")
    counted = rows[rows["value_high"].notna() | rows["value_low"].notna()]
    if not counted.empty:
        top = counted.assign(_v=counted["value_high"].fillna(counted["value_low"])).sort_values("_v").iloc[-1]
        low = counted.assign(_v=counted["value_low"].fillna(counted["value_high"])).sort_values("_v").iloc[0]
        parts.append(f"The highest claim: {_figure(top)}, {_who(top)} ({_day(top['as_of_ts'], year)}).")
        if low["claim_id"] != top["claim_id"]:
            parts.append(f"The lowest: {_figure(low)}, {_who(low)} ({_day(low['as_of_ts'], year)}).")
    else:  # only words ("thousands"): say the latest
        word = rows.iloc[-1]
        parts.append(f"Only in words: {_figure(word)}, {_who(word)} ({_day(word['as_of_ts'], year)}).")
    return " ".join(parts)


def _rows(claims: pd.DataFrame, labels: Labels) -> list[tuple[str, str, pd.DataFrame]]:
    """(metric, label, claims) per row of the summary: a metric, or a metric and one population of it where its
    claims count different people (claims.populations.row_keys), everyone first."""
    keys = row_keys(claims)
    found = []
    for metric in [m for m in schema.METRICS if m in set(claims["metric"])]:
        own = claims["metric"].eq(metric).to_numpy()
        for key in order(set(keys[own]), labels):
            found.append((metric, row_label(schema.METRIC_LABELS.get(metric, metric), key, labels),
                          claims[own & keys.eq(key).to_numpy()]))
    return found


def chart_summary(claims: pd.DataFrame, title: str, labels: Labels = None) -> str:
    """The chart's summary: its title, then a sentence per metric it shows (in the data's order of metrics), and
    per population of a metric whose claims count different people ("Killed · Armenian military: ..."), so that
    no sentence compares figures about different people (`labels`: the crisis's population labels)."""
    if claims.empty:
        return f"{title}: no claim matches the filters."
    rows = _rows(claims, labels)
    said = [metric_sentence(own, metric, label) for metric, label, own in rows[:MAX_METRICS]]
    more, noun = len(rows) - MAX_METRICS, "row" if len({metric for metric, _, _ in rows}) < len(rows) else "metric"
    tail = f" And {more} more {noun}{'s' if more != 1 else ''}: see the data behind this chart." if more > 0 else ""
    return f"{title}. " + " ".join(said) + tail + " Claims as reported, not verified counts."

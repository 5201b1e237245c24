"""Statements: the texts that carry one original statement, grouped, so that repeats are never counted as
independent confirmation. A chart draws one mark per statement; its first-published carrier speaks for it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crisisboard.data.frames import records, sorted_positions


@dataclass(frozen=True)
class Mark:
    """One statement on the chart, with every text that carried it."""

    statement_id: str
    claim: dict  # the earliest-published carrier's columns the chart reads (MARK_READ): column -> value
    carriers: list[tuple[str, str, str]]  # (publisher, published, figure_text) of every carrier, oldest first

    @property
    def claim_id(self) -> str:
        return str(self.claim["claim_id"])


def statement_marks(claims: pd.DataFrame) -> list[Mark]:
    """Group claims into one mark per statement; the first-published carrier speaks for it."""
    return statements_of(claims)[0]


def statements_of(claims: pd.DataFrame) -> tuple[list[Mark], pd.DataFrame]:
    """The marks, and their claims (the first-published carrier of each statement) as a frame, in mark order."""
    ordered = claims.iloc[sorted_positions(claims, ["pub_order"])]  # = by (published_ts, claim_id), see load.py
    carriers: dict[str, list[tuple[str, str, str]]] = {}
    for statement_id, publisher, published, figure_text in zip(
            *(ordered[c].tolist() for c in ("statement_id", "publisher", "published", "figure_text"))):
        carriers.setdefault(statement_id, []).append((publisher, published, figure_text))
    firsts = ordered.drop_duplicates("statement_id")
    read = [c for c in MARK_READ if c in firsts.columns]
    return [Mark(str(row["statement_id"]), row, carriers[row["statement_id"]])
            for row in records(firsts[read])], firsts


# the columns a mark, its hover and its card read (a narrow copy is cheap to sort and to cut)
MARK_COLUMNS = ("claim_id", "statement_id", "source_id", "metric", "figure_text", "low", "high", "qualifier",
                "vague_term", "population", "as_of", "as_of_precision", "as_of_ts", "claimant", "claimant_type",
                "relayed_by", "status_in_text", "claim_kind", "scope", "grade", "tier", "quote", "value_low", "value_high",
                "is_official", "publisher", "published", "published_ts", "published_precision", "title", "url",
                "pub_order", "source_code", "statement_code", "destination")
# the columns of a mark's claim the chart reads to place and draw it (its hover reads the frame)
MARK_READ = ("claim_id", "statement_id", "figure_text", "qualifier", "vague_term", "tier", "claimant_type",
             "value_low", "value_high", "as_of_ts", "published_ts")
LIMIT_KEYS = ["pub_order", "statement_code", "is_official", "value_low", "value_high"]  # what limit_statements reads
MAX_MARKS = 1000  # more marks than this do not fit a screen: a sample is drawn, and the chart says so


def limit_statements(rows: pd.DataFrame, limit: int = MAX_MARKS) -> tuple[pd.DataFrame, int]:
    """At most `limit` statements of `rows`: every official one, the highest and lowest figures, and
    a fixed sample of the rest (the same on every run). Returns the rows kept and the statement count."""
    # statements by their integer code (load.py), each represented by its first-published claim
    keys = rows[LIMIT_KEYS]
    first = keys.iloc[sorted_positions(keys, ["pub_order"])].drop_duplicates("statement_code")
    total = len(first)
    if total <= limit:
        return rows, total
    keep = set(first.loc[first["is_official"], "statement_code"].head(limit // 3))
    numeric = first[first["value_high"].notna()]
    keep |= set(numeric.nlargest(limit // 20, "value_high")["statement_code"])
    keep |= set(numeric.nsmallest(limit // 20, "value_low")["statement_code"])
    rest = first[~first["statement_code"].isin(keep)]
    room = max(limit - len(keep), 0)
    if room and len(rest):
        keep |= set(rest.sample(n=min(room, len(rest)), random_state=2010)["statement_code"])
    return rows[rows["statement_code"].isin(keep)], total


def claim_and_carriers(claims: pd.DataFrame, claim_id: str) -> tuple[pd.Series, pd.DataFrame] | None:
    """A claim and every claim of its statement (itself included), or None if it is not in `claims`."""
    match = claims[claims["claim_id"] == claim_id]
    if match.empty:
        return None
    row = match.iloc[0]
    carriers = claims[claims["statement_id"] == row["statement_id"]].sort_values("published_ts")
    return row, carriers

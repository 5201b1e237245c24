"""The data summary: what the dataset holds, counted (what it does not cover is written by hand in its README).

``python -m crisisboard summary`` prints it; ``--write`` puts it into data/README.md between
the markers ``<!-- summary:start -->`` and ``<!-- summary:end -->`` (atomically, the rest of the
file untouched).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.load import Dataset
from crisisboard.data.tiers import TIERS

START, END = "<!-- summary:start -->", "<!-- summary:end -->"


def _table(counts: pd.Series, header: tuple[str, str]) -> list[str]:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    lines += [f"| {key} | {value} |" for key, value in counts.items()]
    return lines


def build_summary(dataset: Dataset) -> str:
    """The summary as Markdown."""
    claims, sources = dataset.claims, dataset.sources
    uncited = len(sources) - claims["source_id"].nunique()
    out = [f"{len(claims)} claims from {claims['source_id'].nunique()} sources "
           + (f"(and {uncited} more sources cited by incidents only) " if uncited else "")
           + f"({claims['statement_id'].nunique()} distinct statements), {len(dataset.incidents)} incidents, "
           f"{len(dataset.places)} places. Dataset version {dataset.version}.", ""]

    out += ["**Claims by metric, with the span of `as_of` dates**", "",
            "| family | metric | claims | first as_of | last as_of |", "|---|---|---:|---|---|"]
    for metric in schema.METRICS:
        rows = claims[claims["metric"] == metric]
        # a crossing is counted per country crossed into (its destination), never merged
        parts = sorted(rows.groupby(rows["destination"].astype(str), observed=True), key=lambda part: part[0]) \
            if metric == schema.CROSSED and len(rows) else [("", rows)]
        for destination, part in parts:
            if part.empty:
                continue
            into = f" ({destination})" if destination else ""
            out.append(f"| {schema.METRIC_FAMILIES[metric]} | {metric}{into} | {len(part)} | "
                       f"{part['as_of_day'].min():%Y-%m-%d} | {part['as_of_day'].max():%Y-%m-%d} |")
    out.append("")

    by_type = claims["claimant_type"].value_counts().reindex(schema.CLAIMANT_TYPES).dropna().astype(int)
    out += ["**Claims by claimant type**", ""] + _table(by_type, ("claimant type", "claims")) + [""]

    by_scope = claims["scope"].value_counts().reindex(schema.SCOPES).fillna(0).astype(int)
    out += ["**Claims by scope** (`partial`: one place, incident, camp, cemetery, group or period)", ""] + \
        _table(by_scope, ("scope", "claims")) + [""]

    by_tier = claims["tier"].value_counts().reindex(TIERS).fillna(0).astype(int)
    out += ["**Claims by reliability tier**", ""] + _table(by_tier, ("tier", "claims")) + [""]
    by_grade = claims["grade"].value_counts().sort_index()
    out += ["**Claims by Admiralty grade**", ""] + _table(by_grade, ("grade", "claims")) + [""]

    by_month = claims["as_of_ts"].dt.strftime("%Y-%m").value_counts().sort_index()
    out += ["**Claims by month of `as_of`**", ""] + _table(by_month, ("month", "claims")) + [""]

    by_publisher = sources["publisher_type"].value_counts().reindex(schema.PUBLISHER_TYPES).dropna().astype(int)
    out += ["**Sources by publisher type**", ""] + _table(by_publisher, ("publisher type", "sources")) + [""]

    precision = claims["as_of_precision"].value_counts()
    out += [f"{precision.get('inferred', 0)} claims have an inferred `as_of` and {precision.get('restated', 0)} are "
            "restatements without the date of the figure they restate; "
            f"{(sources['published_precision'] == 'inferred').sum()} sources have an inferred publication date."]
    return "\n".join(out) + "\n"


def write_summary(readme: Path, summary: str) -> None:
    """Replace the block between the markers in `readme`, atomically.

    Raises
    ------
    ValueError
        If the markers are missing or out of order.
    """
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{readme}: add the lines {START} and {END} where the summary belongs")
    new = text[: start + len(START)] + "\n" + summary + text[end:]
    handle, tmp = tempfile.mkstemp(dir=readme.parent, prefix=".README.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(new)
    os.replace(tmp, readme)

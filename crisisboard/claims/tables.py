"""The claims behind a view as a table, and as CSV downloads (plain, or with HXL hashtags).

Downloads neutralise cells a spreadsheet would run as a formula; the on-screen table keeps the
original text. Only http(s) URLs are kept as links.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crisisboard.claims.markup import safe_url
from crisisboard.data.frames import sorted_positions
from crisisboard.data.countries import claim_labels
from crisisboard.data.schema import CLAIMANT_TYPE_LABELS, FORMULA_START

# (claims column, table heading, HXL hashtag)
COLUMNS = (
    ("as_of", "As of", "#date"),
    ("metric", "Metric", "#indicator+code"),
    ("figure_text", "Figure as stated", "#indicator+text"),
    ("low", "Low", "#affected+min"),
    ("high", "High", "#affected+max"),
    ("qualifier", "Qualifier", "#meta+qualifier"),
    ("population", "Population", "#meta+population"),
    ("destination", "Destination", "#country+code+destination"),
    ("place_name", "Place", "#adm1+name"),
    ("place_id", "Place id", "#loc+code"),
    ("claimant", "Claimed by", "#org+name+claimant"),
    ("claimant_type", "Claimant type", "#org+type"),
    ("relayed_by", "Relayed by", "#meta+relay"),
    ("status_in_text", "Status in text", "#status"),
    ("grade", "Grade", "#meta+grade"),
    ("tier", "Tier", "#meta+tier"),
    ("publisher", "Publisher", "#meta+source"),
    ("published", "Published", "#date+reported"),
    ("title", "Title", "#meta+title"),
    ("url", "URL", "#meta+url"),
    ("quote", "Quote", "#description+quote"),
    ("notes", "Notes", "#description+notes"),
    ("claim_id", "Claim id", "#meta+id"),
    ("statement_id", "Statement id", "#meta+statement"),
    ("source_id", "Source id", "#meta+source+code"),
)
# HXL attribute naming the metric, used when a table holds a single metric
METRIC_ATTRIBUTES = {
    "killed": "killed", "injured": "injured", "hospitalized": "hospitalized", "missing": "missing",
    "displaced_internal": "idps", "displaced_total": "displaced", "affected": "inneed",
    "refugees_crossed": "refugees", "refugees_at_border": "refugees+border", "refugees_returned": "returnees",
    "refugees_remaining": "refugees+remaining", "detained": "detained", "buildings_destroyed": "buildings+destroyed",
    "buildings_damaged": "buildings+damaged", "buildings_damaged_or_destroyed": "buildings+damaged_destroyed",
}


TABLE_ROWS = 1000  # rows an on-screen table shows; the downloads hold them all
# the columns of "Data behind this chart" on a page (the app's, a published chart's)
SCREEN_COLUMNS = ["As of", "Metric", "Figure as stated", "Low", "High", "Claimed by", "Claimant type", "Grade",
                  "Tier", "Place", "Publisher", "Published", "URL", "Quote", "Claim id"]


def _table_order(claims: pd.DataFrame, limit: int | None) -> np.ndarray:
    """The positions of :func:`claims_table`'s rows: by as-of date, metric and id, the first `limit`."""
    order = sorted_positions(claims, ["as_of_ts", "metric", "claim_id"])
    return order if limit is None else order[:limit]


def _table_at(claims: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    table = as_text(claims[[c for c, _, _ in COLUMNS]].iloc[order])
    urls = table["url"].unique()
    table["url"] = table["url"].map(dict(zip(urls, (safe_url(url) or "" for url in urls))))
    return table.rename(columns={c: heading for c, heading, _ in COLUMNS}).reset_index(drop=True)


def claims_table(claims: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The claims with readable headings, newest figure last; non-http(s) URLs blanked.
    With `limit`, only the first `limit` rows in that order."""
    return _table_at(claims, _table_order(claims, limit))


def claims_table_with_languages(claims: pd.DataFrame, limit: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """:func:`claims_table` and the language of each of its rows (its release's), sorted once."""
    order = _table_order(claims, limit)
    return _table_at(claims, order), claims["language"].iloc[order].astype(str).tolist()


def screen_table(claims: pd.DataFrame, limit: int = TABLE_ROWS) -> tuple[pd.DataFrame, list[str]]:
    """The first `limit` claims by date as "Data behind this chart" shows them (SCREEN_COLUMNS, the metrics and
    claimant types in words), and each row's language (see claims_table_with_languages)."""
    table, languages = claims_table_with_languages(claims, limit=limit)
    labels = claim_labels(table.rename(columns={"Metric": "metric", "Destination": "destination"}))
    return (table[SCREEN_COLUMNS].assign(Metric=labels).replace({"Claimant type": CLAIMANT_TYPE_LABELS}),
            languages)


def table_note(claims: pd.DataFrame, limit: int = TABLE_ROWS) -> str:
    """What an on-screen table of `claims` cut at `limit` rows shows."""
    if len(claims) <= limit:
        return f"All {len(claims):,} claims."
    return f"The first {limit:,} of {len(claims):,} claims by date; the downloads hold all of them."


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` whose category columns (text held as codes, see load.py) are plain text again."""
    return table.astype({name: table[name].cat.categories.dtype for name in table.columns
                         if isinstance(table[name].dtype, pd.CategoricalDtype)})


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix with an apostrophe every text cell that a spreadsheet would run as a formula."""
    table = as_text(table)
    for name in table.columns:
        column = table[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            text = column.astype(str)
            risky = column.map(lambda v: isinstance(v, str)).astype(bool) & text.str.startswith(FORMULA_START)
            if risky.any():
                table[name] = column.where(~risky, "'" + text)
    return table


def hxl_tags(claims: pd.DataFrame) -> list[str]:
    """The hashtag row; with a single metric, the figures carry its attribute (#affected+killed+min)."""
    metrics = set(claims["metric"])
    tags = []
    for column, _, tag in COLUMNS:
        if column in ("low", "high") and len(metrics) == 1:
            tag = tag.replace("#affected", f"#affected+{METRIC_ATTRIBUTES[metrics.pop()]}")
            metrics = set(claims["metric"])
        tags.append(tag)
    return tags


def download_csv(table: pd.DataFrame) -> bytes:
    """A table as a CSV for download (UTF-8 with BOM, so spreadsheets read it as UTF-8), every cell that a
    spreadsheet would run as a formula neutralised: every CSV the app or a briefing pack offers is written here."""
    return neutralise_formulas(table).to_csv(index=False).encode("utf-8-sig")


def claims_csv(claims: pd.DataFrame, hxl: bool = False) -> bytes:
    """The claims as a download (see download_csv); `hxl` adds the hashtag row under the headings."""
    table = claims_table(claims)
    if hxl:
        tags = pd.DataFrame([hxl_tags(claims)], columns=table.columns)
        table = pd.concat([tags, as_text(table).astype(object)], ignore_index=True)
    return download_csv(table)

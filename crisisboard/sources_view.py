"""The Sources page's table: every release, its publisher, date, title, link and the grades of its claims."""

from __future__ import annotations

import pandas as pd

from crisisboard.attribution import SourceRef
from crisisboard.claimref import escape_markdown
from crisisboard.links import safe_url


def _grades(claims: pd.DataFrame) -> str:
    counts = claims["grade"].value_counts().sort_index()
    return ", ".join(f"{grade} ×{n}" if n > 1 else grade for grade, n in counts.items())


def sources_table(sources: pd.DataFrame, all_claims: pd.DataFrame, shown_claims: pd.DataFrame,
                  only_shown: bool = False) -> pd.DataFrame:
    """One row per release, oldest first: claims in total and under the current filters, and their grades.

    With `only_shown`, only the releases that carry at least one of `shown_claims`.
    """
    total = all_claims.groupby("source_id").size()
    shown = shown_claims.groupby("source_id").size()
    grades = all_claims.groupby("source_id")[["grade"]].apply(_grades)
    table = sources.assign(
        date_label=[SourceRef(r.source_id, r.publisher, r.published, r.published_precision, r.title, r.url).label
                    .split(", ")[-1] for r in sources.itertuples()],
        n_claims=sources["source_id"].map(total).fillna(0).astype(int),
        n_shown=sources["source_id"].map(shown).fillna(0).astype(int),
        grades=sources["source_id"].map(grades).fillna(""),
    )
    if only_shown:
        table = table[table["n_shown"] > 0]
    return table.sort_values(["published", "publisher"]).reset_index(drop=True)


def sources_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, the title of each release a link to it."""
    lines = ["| Published | Publisher | Title | Type | Claims (shown / all) | Grades of its claims |",
             "|---|---|---|---|---|---|"]
    for row in table.itertuples():
        url, archive_url = safe_url(row.url), safe_url(row.archive_url)
        title = f"[{escape_markdown(row.title)}]({url})" if url else escape_markdown(row.title)
        archive = f" ([archive]({archive_url}))" if archive_url else ""
        lines.append(
            f"| {row.date_label} | {escape_markdown(row.publisher)} | {title}{archive} "
            f"| {row.publisher_type} | {row.n_shown} / {row.n_claims} | {row.grades} |")
    return "\n".join(lines)

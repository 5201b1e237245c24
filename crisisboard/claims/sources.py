"""The Sources page's table: every release, its publisher, date, title, link and the grades of its claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crisisboard.claims.markup import Markdown, join, link, literal, md, safe_url

if TYPE_CHECKING:
    from crisisboard.data.load import Dataset


PAGE_SIZE = 100  # releases per page of the table: a screenful or two, quick to draw


def release_stats(dataset: "Dataset") -> pd.DataFrame:
    """Per release, what does not depend on the filters: date label, claims in total, grades
    ("B2 ×3, C4"). Computed once per dataset (see Dataset.derive)."""
    sources, claims = dataset.sources, dataset.claims
    total = np.bincount(claims["source_code"].to_numpy(), minlength=len(sources))  # claims per source_code
    pairs = claims.groupby(["source_id", "grade"], observed=True).size().sort_index()
    grades: dict[str, list[str]] = {}
    for (source_id, grade), n in zip(pairs.index.tolist(), pairs.tolist()):
        grades.setdefault(source_id, []).append(f"{grade} ×{n}" if n > 1 else grade)
    day = sources["published_ts"].dt.strftime("%-d %b %Y")
    prefix = sources["published_precision"].map({"inferred": "c. "}).fillna("")
    table = sources.assign(
        date_label=(prefix + day).to_numpy(),
        n_claims=total[sources["source_code"].to_numpy()],
        grades=[", ".join(grades.get(source_id, ())) for source_id in sources["source_id"].tolist()],
    )
    return table.sort_values(["published", "publisher"], kind="stable").reset_index(drop=True)  # oldest first


def sources_table(shown_claims: pd.DataFrame, dataset: "Dataset", only_shown: bool = False) -> pd.DataFrame:
    """One row per release, oldest first: claims in total and under the current filters, and their grades.

    With `only_shown`, only the releases that carry at least one of `shown_claims`.
    """
    stats = dataset.derive(release_stats)  # sorted once per dataset
    shown = np.bincount(shown_claims["source_code"].to_numpy(), minlength=len(dataset.sources))
    table = stats.assign(n_shown=shown[stats["source_code"].to_numpy()])
    if only_shown:
        table = table[table["n_shown"] > 0].reset_index(drop=True)
    return table


def page_of(table: pd.DataFrame, page: int, size: int = PAGE_SIZE) -> tuple[pd.DataFrame, str]:
    """Rows of page `page` (1-based, clamped) and a caption such as "Releases 101–200 of 24,557"."""
    pages = max(1, -(-len(table) // size))
    page = min(max(page, 1), pages)
    rows = table.iloc[(page - 1) * size: page * size]
    if table.empty:
        return rows, "No releases."
    first = (page - 1) * size + 1
    return rows, f"Releases {first:,}–{first + len(rows) - 1:,} of {len(table):,} (page {page} of {pages})"


def page_count(table: pd.DataFrame, size: int = PAGE_SIZE) -> int:
    return max(1, -(-len(table) // size))


def sources_markdown(table: pd.DataFrame) -> Markdown:
    """The table as Markdown, the title of each release a link to it (its host shown); every cell escaped."""
    lines = [literal("| Published | Publisher | Title | Type | Claims (shown / all) | Grades of its claims |"),
             literal("|---|---|---|---|---|---|")]
    for row in table.itertuples():
        title = link(row.title, row.url)
        archive = md(" ({archive})", archive=link("archive", row.archive_url)) if safe_url(row.archive_url) else ""
        lines.append(md("| {date} | {publisher} | {title}{archive} | {kind} | {shown} / {total} | {grades} |",
                        date=row.date_label, publisher=row.publisher, title=title, archive=archive,
                        kind=row.publisher_type, shown=int(row.n_shown), total=int(row.n_claims), grades=row.grades))
    return join(lines, "\n")

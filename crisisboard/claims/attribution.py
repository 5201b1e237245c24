"""Attribution: which releases stand behind a set of claims, in one place.

The page footer, the chart annotations and (later) exported images all call
:func:`build_attribution`, so a figure never travels without its sources.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

CAVEAT = "Figures are claims as reported by the sources named, not verified counts."
COLUMNS = ["source_id", "publisher", "published", "published_precision", "title", "url"]
DATA_LICENCE = ("Curated data: CC BY 4.0, crisisboard contributors. Quotes remain their publishers' "
                "and are reproduced as short quotations for attribution.")


@dataclass(frozen=True)
class SourceRef:
    source_id: str
    publisher: str
    published: str
    published_precision: str
    title: str
    url: str

    @property
    def label(self) -> str:
        """``"Human Rights Watch, 11 Jun 2010"`` (``"c. 14 Jun 2010"`` when the date is inferred)."""
        prefix = "c. " if self.published_precision == "inferred" else ""
        return f"{self.publisher}, {prefix}{_day_label(self.published)}"


def release_labels(claims: pd.DataFrame) -> list[str]:
    """Each claim's release as SourceRef.label shows it, worked out once per release."""
    codes, _ = pd.factorize(claims["source_id"])
    firsts = claims[["publisher", "published", "published_precision"]][~claims["source_id"].duplicated().to_numpy()]
    labels = [SourceRef("", str(publisher), str(published), str(precision), "", "").label
              for publisher, published, precision in zip(*(firsts[c].tolist() for c in firsts.columns))]
    return [labels[code] for code in codes]


@lru_cache(maxsize=8192)  # a dataset has far fewer distinct dates than releases
def _day_label(published: str) -> str:
    return f"{pd.Timestamp(published):%-d %b %Y}"


@dataclass(frozen=True, eq=False)
class Attribution:
    """The sources behind some claims, most-cited first.

    `table` holds one row per release (already ordered); :class:`SourceRef` objects are made only for
    the releases a caption prints, so that a selection of a million claims costs no more than a table.
    """

    table: pd.DataFrame
    n_claims: int

    @property
    def n_sources(self) -> int:
        return len(self.table)

    def refs(self, limit: int | None = None) -> tuple[SourceRef, ...]:
        """The first `limit` releases (all when None), most-cited first."""
        rows = self.table if limit is None else self.table.head(limit)
        return tuple(SourceRef(*(str(value) for value in values)) for values in zip(*(rows[c] for c in COLUMNS)))

    @cached_property
    def sources(self) -> tuple[SourceRef, ...]:
        """Every release (for lists that must be complete, such as a briefing pack's sources file)."""
        return self.refs()

    def short(self, limit: int = 6) -> str:
        """``"Sources: A, 11 Jun 2010; B, 12 Jun 2010 +3 more"``, for footers and chart captions."""
        if not self.n_sources:
            return "Sources: none (no claims match the filters)"
        shown = "; ".join(ref.label for ref in self.refs(limit))
        more = self.n_sources - limit
        return f"Sources: {shown}" + (f" +{more:,} more" if more > 0 else "")

    def wrapped(self, limit: int = 12, width: int = 150, newline: str = "<br>") -> str:
        """:meth:`short`, HTML-escaped and broken into lines of at most `width` characters (chart footers)."""
        words = html.escape(self.short(limit)).split("; ")
        lines, current = [], ""
        for word in words:
            candidate = f"{current}; {word}" if current else word
            if current and len(candidate) > width:
                lines.append(current + ";")
                current = word
            else:
                current = candidate
        lines.append(current)
        return newline.join(lines)


def build_attribution(claims: pd.DataFrame) -> Attribution:
    """The distinct releases carrying `claims`, ordered by how many of them each carries, then date
    (then source id: the order of the `source_code` that load.py gives each release)."""
    if claims.empty:
        return Attribution(table=pd.DataFrame(columns=[*COLUMNS, "n"]), n_claims=0)
    codes = claims["source_code"].to_numpy()
    counts = np.bincount(codes)
    present = np.flatnonzero(counts)
    order = present[np.lexsort((present, -counts[present]))]  # most claims first, then by code
    firsts = pd.Series(codes).drop_duplicates()  # the first row of each code: its label, the code its value
    first_row = np.empty(len(counts), dtype=np.int64)
    first_row[firsts.to_numpy()] = firsts.index.to_numpy()
    table = claims[COLUMNS].iloc[first_row[order]].assign(n=counts[order])
    return Attribution(table=table.reset_index(drop=True), n_claims=len(claims))

"""Attribution: which releases stand behind a set of claims, in one place.

The page footer, the chart annotations and (later) exported images all call
:func:`build_attribution`, so a figure never travels without its sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CAVEAT = "Figures are claims as reported by the sources named, not verified counts."
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
        day = pd.Timestamp(self.published)
        prefix = "c. " if self.published_precision == "inferred" else ""
        return f"{self.publisher}, {prefix}{day:%-d %b %Y}"


@dataclass(frozen=True)
class Attribution:
    """The sources behind some claims, most-cited first."""

    sources: tuple[SourceRef, ...]
    n_claims: int

    def short(self, limit: int = 6) -> str:
        """``"Sources: A, 11 Jun 2010; B, 12 Jun 2010 +3 more"``, for footers and chart captions."""
        if not self.sources:
            return "Sources: none (no claims match the filters)"
        shown = "; ".join(ref.label for ref in self.sources[:limit])
        more = len(self.sources) - limit
        return f"Sources: {shown}" + (f" +{more} more" if more > 0 else "")


    def wrapped(self, limit: int = 12, width: int = 150, newline: str = "<br>") -> str:
        """:meth:`short`, HTML-escaped and broken into lines of at most `width` characters (chart footers)."""
        import html

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
    """The distinct releases carrying `claims`, ordered by how many of them each carries, then date."""
    if claims.empty:
        return Attribution(sources=(), n_claims=0)
    columns = ["source_id", "publisher", "published", "published_precision", "title", "url"]
    counts = claims.groupby("source_id").size().rename("n")
    table = claims[columns].drop_duplicates("source_id").join(counts, on="source_id")
    table = table.sort_values(["n", "published"], ascending=[False, True])
    refs = tuple(SourceRef(*(str(value) for value in values)) for values in zip(*(table[c] for c in columns)))
    return Attribution(sources=refs, n_claims=len(claims))

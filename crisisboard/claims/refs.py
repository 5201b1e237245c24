"""One claim as a reader sees it: the figure as stated, who said it, when, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from crisisboard.claims.attribution import SourceRef
from crisisboard.claims.markup import Markdown, link, md


@lru_cache(maxsize=8192)  # a dataset has far fewer distinct dates than claims
def format_as_of(as_of: str, precision: str) -> str:
    """``"12 Jun 2010 12:00"``, prefixed ``"c. "`` unless the text gives that date."""
    stamp = pd.Timestamp(as_of)
    text = f"{stamp:%-d %b %Y}" + (f" {stamp:%H:%M}" if "T" in as_of else "")
    return text if precision == "exact" else f"c. {text}"


@lru_cache(maxsize=65536)  # claims repeat their wording: "at least 500", "about 100,000"
def figure_label(figure_text: str, low: int | None, high: int | None) -> str:
    """The figure as worded, with its digits added where the words do not show them (see ClaimRef.figure)."""
    bounds = [f"{n:,}" for n in (low, high) if n is not None]
    numbers = " – ".join(dict.fromkeys(bounds))
    plain = figure_text.replace(",", "").replace(" ", "")
    if not numbers or all(b.replace(",", "") in plain for b in bounds):
        return figure_text
    return f"{figure_text} ({numbers})"


def figure_labels(claims: pd.DataFrame) -> list[str]:
    """Each claim's figure as ClaimRef.figure words it."""
    lows, highs = (claims[c].astype("float64").to_numpy().tolist() for c in ("low", "high"))  # NaN: none given
    return [figure_label(str(text), None if low != low else int(low), None if high != high else int(high))
            for text, low, high in zip(claims["figure_text"].tolist(), lows, highs)]


def as_of_labels(claims: pd.DataFrame) -> list[str]:
    """Each claim's date as ClaimRef.as_of words it."""
    return [format_as_of(str(day), str(precision))
            for day, precision in zip(claims["as_of"].tolist(), claims["as_of_precision"].tolist())]


# the columns ClaimRef.from_row reads
CLAIMREF_COLUMNS = ("claim_id", "figure_text", "metric", "claimant", "relayed_by", "as_of", "as_of_precision", "grade",
                    "tier", "quote", "source_id", "publisher", "published", "published_precision", "title", "url",
                    "low", "high")


@dataclass(frozen=True)
class ClaimRef:
    claim_id: str
    figure_text: str
    metric: str
    claimant: str
    relayed_by: str
    as_of: str
    grade: str
    tier: str
    quote: str
    source: SourceRef
    low: int | None = None
    high: int | None = None

    @classmethod
    def from_row(cls, row: pd.Series) -> "ClaimRef":
        return cls(
            claim_id=str(row["claim_id"]), figure_text=str(row["figure_text"]), metric=str(row["metric"]),
            claimant=str(row["claimant"]), relayed_by=str(row["relayed_by"] or ""),
            as_of=format_as_of(str(row["as_of"]), str(row["as_of_precision"])),
            grade=str(row["grade"]), tier=str(row["tier"]), quote=str(row["quote"]),
            source=SourceRef(source_id=str(row["source_id"]), publisher=str(row["publisher"]),
                             published=str(row["published"]), published_precision=str(row["published_precision"]),
                             title=str(row["title"]), url=str(row["url"])),
            low=None if pd.isna(row["low"]) else int(row["low"]),
            high=None if pd.isna(row["high"]) else int(row["high"]),
        )

    @property
    def figure(self) -> str:
        """The figure as worded, with its digits added where the words do not show them:
        ``"1 тысяча 47 (1,047)"``, ``"two (2)"``, ``"at least 500"``."""
        return figure_label(self.figure_text, self.low, self.high)

    def source_link(self) -> Markdown:
        """The source label as a link to its release (host shown), or as text when its URL is not http(s)."""
        return link(self.source.label, self.source.url)

    def markdown(self) -> Markdown:
        """``**at least 124**, Ministry of Health, as of 14 Jun 2010 ([swissinfo.ch, 14 Jun 2010](url)
        (swissinfo.ch), grade B2)``: every part from the data escaped."""
        return md("**{figure}**, {claimant}, as of {as_of} ({source}, grade {grade})", figure=self.figure,
                  claimant=self.claimant, as_of=self.as_of, source=self.source_link(), grade=self.grade)

"""Claims about whole areas (a region, a country, the border): never drawn as a point on the map, listed beside
it instead, one line per area with how many claims, the latest credible figure and the highest."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crisisboard.claims.markup import Markdown, md
from crisisboard.claims.refs import ClaimRef

POINT_PRECISION = 2  # places at precision 1–2 are points (a town, a village); coarser ones are areas


@dataclass(frozen=True)
class AreaLine:
    place_id: str
    name: str
    n_claims: int
    latest_credible: ClaimRef | None  # the latest figure of high or medium reliability
    highest: ClaimRef | None  # the highest figure of any reliability

    def markdown(self) -> Markdown:
        parts = [md("**{name}**: {n} claim{s}", name=self.name, n=self.n_claims, s="s" if self.n_claims != 1 else "")]
        if self.latest_credible:
            parts.append(md("latest credible {ref}", ref=self.latest_credible.markdown()))
        if self.highest and (self.latest_credible is None or self.highest.claim_id != self.latest_credible.claim_id):
            parts.append(md("highest {ref}", ref=self.highest.markdown()))
        return md("- {parts}", parts=Markdown("; ".join(parts)))

    def sentence(self) -> str:
        said = [f"{self.n_claims} claim{'s' if self.n_claims != 1 else ''}"]
        if self.latest_credible:
            ref = self.latest_credible
            said.append(f"latest credible {ref.figure} ({ref.claimant}, {ref.as_of}, {ref.grade})")
        if self.highest and (self.latest_credible is None or self.highest.claim_id != self.latest_credible.claim_id):
            said.append(f"highest {self.highest.figure} ({self.highest.claimant}, {self.highest.grade})")
        return f"{self.name}: " + "; ".join(said)


def area_lines(claims: pd.DataFrame, places: pd.DataFrame, metric: str,
               day: pd.Timestamp | None = None) -> list[AreaLine]:
    """Per area with claims of `metric` known by `day` (all when None), most-claimed first."""
    names = dict(zip(places["place_id"], places["name"]))
    areas = places.loc[places["precision"].gt(POINT_PRECISION), "place_id"]
    rows = claims[(claims["metric"] == metric) & claims["place_id"].isin(areas)]
    if day is not None:
        rows = rows[rows["as_of_day"] <= day]
    lines = []
    for place_id, own in rows.groupby("place_id", observed=True):
        numeric = own[own["value_high"].notna()]
        credible = numeric[numeric["tier"].isin(["high", "medium"])].sort_values(["as_of_ts", "claim_id"])
        highest = numeric.loc[numeric["value_high"].astype(float).idxmax()] if len(numeric) else None
        lines.append(AreaLine(str(place_id), str(names[place_id]), len(own),
                              ClaimRef.from_row(credible.iloc[-1]) if len(credible) else None,
                              ClaimRef.from_row(highest) if highest is not None else None))
    return sorted(lines, key=lambda line: (-line.n_claims, line.name))

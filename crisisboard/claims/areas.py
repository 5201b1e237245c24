"""Claims about whole areas (a region, a country, the border): never drawn as a point on the map, listed beside
it instead, one line per area with how many claims, the latest credible figure and the highest."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crisisboard.claims.markup import Markdown, md
from crisisboard.claims.populations import EVERYONE, Labels, key_label, key_of
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
               day: pd.Timestamp | None = None, labels: Labels = None) -> list[AreaLine]:
    """Per area with claims of `metric` known by `day` (all when None), most-claimed first. The figures quoted are
    about one population only (claims.populations.key_of): everyone's where the area has such claims, else the
    population with the most claims, named in the line ("Nagorno-Karabakh (Armenian military)", `labels`: the
    crisis's population labels), so that no line sets figures about different people side by side; and they are
    crisis-wide ones (a partial count, one strike or one camp, is counted but not quoted) unless there are none."""
    names = dict(zip(places["place_id"], places["name"]))
    areas = places.loc[places["precision"].gt(POINT_PRECISION), "place_id"]
    rows = claims[(claims["metric"] == metric) & claims["place_id"].isin(areas)]
    if day is not None:
        rows = rows[rows["as_of_day"] <= day]
    lines = []
    for place_id, own in rows.groupby("place_id", observed=True):
        whom = key_of(own["population"])
        counts = whom.value_counts()
        quoted = EVERYONE if EVERYONE in counts.index else str(counts.index[0])
        name = str(names[place_id])
        if len(counts) > 1 or quoted != EVERYONE:
            name = f"{name} ({key_label(quoted, labels, short=True)})"
        numeric = own[whom.eq(quoted).to_numpy() & own["value_high"].notna().to_numpy()]
        wide = numeric[numeric["scope"].ne("partial")]
        numeric = wide if len(wide) else numeric
        credible = numeric[numeric["tier"].isin(["high", "medium"])].sort_values(["as_of_ts", "claim_id"])
        highest = numeric.loc[numeric["value_high"].astype(float).idxmax()] if len(numeric) else None
        lines.append(AreaLine(str(place_id), name, len(own),
                              ClaimRef.from_row(credible.iloc[-1]) if len(credible) else None,
                              ClaimRef.from_row(highest) if highest is not None else None))
    return sorted(lines, key=lambda line: (-line.n_claims, line.name))

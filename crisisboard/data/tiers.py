"""Reliability tiers, derived once from the two Admiralty axes.

Every filter, colour, legend and export calls :func:`tier_of` (or :func:`tiers_of` on a column),
so the definition below is the only one in crisisboard. It is documented in data/README.md.
"""

from __future__ import annotations

import pandas as pd

TIERS = ("high", "medium", "low", "unjudged")
TIER_LABELS = {
    "high": "High (A–B / 1–2)",
    "medium": "Medium (A–C / 1–3)",
    "low": "Low (D–E or 4–5)",
    "unjudged": "Unjudged (F or 6)",
}
# Okabe–Ito's hues (blue, orange, reddish purple, grey: told apart with the common forms of colour blindness),
# darkened until each has a contrast of at least 4.5:1 (WCAG AA for text) on every background a chart or map
# draws it on, the map's sea (#dfe6ea) included: Okabe–Ito's own orange had 2.3:1 on white (issue #21).
TIER_COLOURS = {"high": "#005A8F", "medium": "#945200", "low": "#A3307A", "unjudged": "#5E5E5E"}

RELIABILITY_MEANINGS = {
    "A": "Completely reliable", "B": "Usually reliable", "C": "Fairly reliable",
    "D": "Not usually reliable", "E": "Unreliable", "F": "Reliability cannot be judged",
}
CREDIBILITY_MEANINGS = {
    1: "Confirmed by other independent sources", 2: "Probably true", 3: "Possibly true",
    4: "Doubtful", 5: "Improbable", 6: "Truth cannot be judged",
}


def tier_of(reliability: str, credibility: int) -> str:
    """The tier of one Admiralty grade, e.g. ``tier_of("B", 2) == "high"``.

    Raises
    ------
    ValueError
        If the grade is not A–F / 1–6.
    """
    if reliability not in RELIABILITY_MEANINGS or credibility not in CREDIBILITY_MEANINGS:
        raise ValueError(f"not an Admiralty grade: {reliability}{credibility}")
    if reliability == "F" or credibility == 6:
        return "unjudged"
    if reliability in "AB" and credibility <= 2:
        return "high"
    if reliability in "ABC" and credibility <= 3:
        return "medium"
    return "low"


def tiers_of(reliability: pd.Series, credibility: pd.Series) -> pd.Series:
    """Vectorised :func:`tier_of` over two aligned columns, as an ordered categorical."""
    rel = reliability.astype(str)
    cred = credibility.astype(int)
    tier = pd.Series("low", index=reliability.index, dtype=object)
    tier[rel.isin(["A", "B", "C"]) & cred.le(3)] = "medium"
    tier[rel.isin(["A", "B"]) & cred.le(2)] = "high"
    tier[rel.eq("F") | cred.eq(6)] = "unjudged"
    return pd.Series(pd.Categorical(tier, categories=TIERS, ordered=True), index=reliability.index)


def grade_label(reliability: str, credibility: int) -> str:
    """``"B2 — Usually reliable / Probably true"``."""
    return (f"{reliability}{credibility} — {RELIABILITY_MEANINGS[reliability]} / "
            f"{CREDIBILITY_MEANINGS[credibility]}")

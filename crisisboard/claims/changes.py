"""What changed since a day (the Changes page, and ``changes.csv`` in a briefing pack): every claim added,
edited, retracted or restored since then, from the history (crisisboard.data.history), newest first, with who
proposed it and who approved it (crisisboard.data.review), as the reader may see them
(crisisboard.claims.audience: staff see emails and reasons, everyone else roles and no reasons).

Two kinds of change are flagged, because a reader who quoted the data before must hear of them:
- a claim that now holds the highest or lowest figure of its metric and reliability tier;
- a retraction: every chart, export and pack made before it still shows the figure.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd

from crisisboard.claims.audience import PUBLIC, Audience
from crisisboard.data.countries import claim_label
from crisisboard.data.history import Change
from crisisboard.data.load import Dataset

RECENT_DAYS = 30  # the Changes page's and the briefing pack's default: the changes of the last 30 days
COLUMNS = ("at", "what", "flag", "figure", "metric", "grade", "who", "approved_by", "reason", "claim_id")
WHAT = {"add_claim": "added", "edit": "edited", "retract": "retracted", "restore": "restored", "import": "imported"}


def _extremes(claims: pd.DataFrame) -> dict[str, str]:
    """claim_id -> "highest"/"lowest" for the claims that hold their metric and tier's extreme figure."""
    numeric = claims[claims["value_high"].notna()]
    found: dict[str, str] = {}
    for (metric, tier), rows in numeric.groupby(["metric", "tier"], observed=True):
        found.setdefault(str(rows.loc[rows["value_low"].astype(float).idxmin(), "claim_id"]), "lowest")
        found[str(rows.loc[rows["value_high"].astype(float).idxmax(), "claim_id"])] = "highest"
    return found


def default_since(now: datetime | None = None) -> datetime:
    return (now or datetime.now(timezone.utc)) - timedelta(days=RECENT_DAYS)


def changes_since(history: list[Change], dataset: Dataset, since: datetime,
                  audience: Audience = PUBLIC) -> pd.DataFrame:
    """One row per claim and kind of change since `since` (UTC), newest first: an edit of several fields is
    one row naming them. Who proposed and approved it as `audience` may see them (the public by default: roles,
    not emails); the reasons only when it sees reasons (else no `reason` column)."""
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = [c for c in history if c.table == "claims" and c.at >= stamp and c.action in WHAT]
    every = pd.concat([dataset.claims, dataset.retracted], ignore_index=True).drop_duplicates("claim_id")
    rows = every.assign(claim_id=every["claim_id"].astype(str)).set_index("claim_id")
    extremes = _extremes(dataset.claims.assign(claim_id=dataset.claims["claim_id"].astype(str)))
    approvals: dict[str, list[Change]] = {}
    for change in history:
        if change.table == "claims" and change.action == "approve":
            approvals.setdefault(change.row_id, []).append(change)
    grouped: dict[tuple[str, str, str, str], list[Change]] = {}  # two proposals made in one second stay apart
    for change in recent:
        grouped.setdefault((change.row_id, change.action, change.at, change.reason), []).append(change)
    out = []
    for (claim_id, action, at, _), changes in grouped.items():
        row = rows.loc[claim_id] if claim_id in rows.index else None
        metric = str(row["metric"]) if row is not None else ""
        label = claim_label(metric, row.get("destination", "")) if row is not None else ""
        tier = str(row["tier"]) if row is not None else ""
        what = WHAT[action] + (f" ({', '.join(c.field for c in changes)})" if action == "edit" else "")
        flag = ""
        if action == "retract":
            flag = "retracted: older exports still show it"
        elif claim_id in extremes and action in ("add_claim", "edit", "restore", "import"):
            flag = f"now the {extremes[claim_id]} figure of {label}, {tier} tier"
        out.append({"at": at.replace("T", " ").replace("Z", " UTC"), "what": what, "claim_id": claim_id,
                    "metric": label,
                    "figure": str(row["figure_text"]) if row is not None else "",
                    "grade": str(row["grade"]) if row is not None else "", "who": audience.who(changes[0].who),
                    "approved_by": audience.who(next((a.who for a in approvals.get(claim_id, []) if a.at >= at),
                                                     "")),
                    "reason": changes[0].reason, "flag": flag})
    frame = pd.DataFrame(out, columns=[c for c in COLUMNS if c != "reason" or audience.reasons])
    return frame.sort_values(["at", "claim_id"], ascending=[False, True], kind="stable").reset_index(drop=True)

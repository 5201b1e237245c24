"""Who approved what an edition publishes: the approvals the history records since the previous edition
(crisisboard.data.history, ``approve`` of a proposal), for the edition's manifest."""

from __future__ import annotations

from crisisboard.data.history import Change


def approvals_since(history: list[Change], since: str | None) -> list[dict[str, str]]:
    """Each approval of a proposal recorded after `since` (the previous edition's ``published`` time, UTC ISO
    8601 to the second; None for a first edition: all of them), oldest first, as {"who", "at", "proposal"}.
    An approval in the very second of the previous edition counts as published by it."""
    found = [c for c in history if c.action == "approve" and c.table == "proposals" and c.row_id
             and (since is None or c.at > since)]
    return [{"who": c.who, "at": c.at, "proposal": c.row_id} for c in sorted(found, key=lambda c: c.at)]


def reviewers_of(approvals: list[dict[str, str]]) -> list[str]:
    """The reviewers of `approvals`, each once, sorted."""
    return sorted({a["who"] for a in approvals if a["who"]})

"""What a proposal would change, as a table a reviewer reads (the Review page): the claims a release would
add, or each field an edit would change from what it is now to what is proposed (and what it was when the
proposal was made, when that differs: someone changed it since)."""

from __future__ import annotations

import pandas as pd

from crisisboard.data.review import Proposal

RELEASE_COLUMNS = ("figure", "metric", "claimant", "as of", "grade", "quote")
FIELD_COLUMNS = ("field", "now", "proposed", "when proposed")


def proposal_diff(proposal: Proposal, current: dict[str, str] | None) -> pd.DataFrame:
    """The rows a reviewer checks; `current` is the claim as the data holds it now (None for a release, or
    when the claim is gone)."""
    data = proposal.data
    if proposal.kind == "release":
        return pd.DataFrame([{"figure": c.get("figure_text", ""), "metric": c.get("metric", ""),
                              "claimant": c.get("claimant", ""), "as of": c.get("as_of", ""),
                              "grade": f"{c.get('source_reliability', '')}{c.get('info_credibility', '')}",
                              "quote": c.get("quote", "")} for c in data["claims"]], columns=list(RELEASE_COLUMNS))
    now = current or {}
    if proposal.kind == "edit":
        changes = data["fields"]
    else:
        changes = {"retracted": "(today: the claim leaves the charts)" if proposal.kind == "retract" else ""}
    rows = []
    for field, new in changes.items():
        was = data.get("old", {}).get(field, now.get(field, "") or "")
        is_now = now.get(field, "") or ""
        rows.append({"field": field, "now": is_now, "proposed": new,
                     "when proposed": "" if was == is_now else was})
    return pd.DataFrame(rows, columns=list(FIELD_COLUMNS))


LANG_FIELDS = ("quote", "figure_text")  # a claim's fields that are the text of its release


def diff_languages(proposal: Proposal, diff: pd.DataFrame, current: dict[str, str] | None,
                   source_languages: dict[str, str]) -> tuple[list[str], tuple[str, ...]]:
    """For the table of :func:`proposal_diff` (`diff`): the language of each row's release text, and the columns
    it marks. A release's claims are in the release's language (their figure and quote); an edit's rows of the
    quote and the worded figure are in the language of the claim's release (`source_languages`: source id →
    language), its other rows in none."""
    if proposal.kind == "release":
        return [str(proposal.data.get("source", {}).get("language", ""))] * len(diff), ("figure", "quote")
    language = source_languages.get((current or {}).get("source_id", ""), "")
    return [language if field in LANG_FIELDS else "" for field in diff["field"]], ("now", "proposed", "when proposed")


def source_line(proposal: Proposal) -> str:
    """The release's source, as the reviewer should check it against the text."""
    source = proposal.data["source"]
    return (f"{source.get('publisher', '')}, “{source.get('title', '')}”, published {source.get('published', '')} "
            f"({source.get('published_precision', '')}) — {source.get('url', '')}")

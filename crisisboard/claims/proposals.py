"""What a proposal would change, as a table a reviewer reads (the Review page): the claims a release would
add, with every field each sets, and its source's fields (what the data holds now, if it has the source, and
what is proposed); or each field an edit would change from what it is now to what is proposed (and what it was
when the proposal was made, when that differs: someone changed it since). Nothing a proposal sets is left out
of its diff (issue #30: tests/test_review_diff.py walks every field of the schema)."""

from __future__ import annotations

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.review import Proposal

RELEASE_COLUMNS = ("figure", "metric", "claimant", "as of", "grade", "quote")
# a release claim's fields shown in RELEASE_COLUMNS; every other field it sets has a column of its own
SHOWN_AS = {"figure_text": "figure", "metric": "metric", "claimant": "claimant", "as_of": "as of",
            "source_reliability": "grade", "info_credibility": "grade", "quote": "quote"}
FIELD_COLUMNS = ("field", "now", "proposed", "when proposed")
SOURCE_COLUMNS = ("field", "now", "proposed")


def _release_columns(claims: list[dict[str, str]]) -> list[str]:
    """RELEASE_COLUMNS, then every other field (schema order, then any other) that a claim sets."""
    order = [c for c in schema.CLAIM_FIELDS if c not in SHOWN_AS]
    order += sorted({f for c in claims for f in c} - set(order) - set(SHOWN_AS))
    return list(RELEASE_COLUMNS) + [f for f in order if any(str(c.get(f, "") or "") for c in claims)]


def _release_diff(claims: list[dict[str, str]]) -> pd.DataFrame:
    columns = _release_columns(claims)
    rows = [{"figure": c.get("figure_text", ""), "metric": c.get("metric", ""), "claimant": c.get("claimant", ""),
             "as of": c.get("as_of", ""), "grade": f"{c.get('source_reliability', '')}{c.get('info_credibility', '')}",
             "quote": c.get("quote", ""), **{f: str(c.get(f, "") or "") for f in columns[len(RELEASE_COLUMNS):]}}
            for c in claims]
    return pd.DataFrame(rows, columns=columns)


def source_diff(proposal: Proposal, current: dict[str, str] | None) -> pd.DataFrame:
    """A release's source, field by field: what the data holds now (`current`: the stored source with its URL
    or id, None when it is new) and what the release proposes; every field either sets."""
    source, now = proposal.data.get("source", {}), current or {}
    order = list(schema.SOURCE_COLUMNS) + sorted(set(source) - set(schema.SOURCE_COLUMNS))
    rows = [{"field": f, "now": str(now.get(f, "") or ""), "proposed": str(source.get(f, "") or "")} for f in order
            if str(source.get(f, "") or "") or str(now.get(f, "") or "")]
    return pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))


def proposal_diff(proposal: Proposal, current: dict[str, str] | None) -> pd.DataFrame:
    """The rows a reviewer checks; `current` is the claim as the data holds it now (None for a release, or
    when the claim is gone)."""
    data = proposal.data
    if proposal.kind == "release":
        return _release_diff(data["claims"])
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

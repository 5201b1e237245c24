"""A claim's card: everything a reader needs to check one figure, with links back to the release."""

from __future__ import annotations

import pandas as pd

from crisisboard import schema
from crisisboard.claimref import ClaimRef, escape_markdown
from crisisboard.links import safe_url, text_fragment_url, wayback_url
from crisisboard.tiers import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS


def _link(label: str, url: str | None) -> str:
    return f"[{escape_markdown(label)}]({url})" if url else escape_markdown(label)


def release_links(row: pd.Series) -> list[str]:
    """Markdown links for the release: the text itself (jumping to the quote) and an archived copy."""
    links = []
    fragment = text_fragment_url(str(row["url"]), str(row["quote"]))
    if fragment:
        links.append(_link("Open the release at the quote", fragment) +
                     " (browsers without text-fragment support open the page's top)")
    else:
        links.append(f"Release URL not shown: not an http(s) address ({escape_markdown(str(row['url']))})")
    archive = safe_url(row.get("archive_url"))
    if archive:
        links.append(_link("Archived copy", archive))
    else:
        wayback = wayback_url(str(row["url"]), str(row["published"]))
        if wayback:
            links.append(_link(f"Wayback Machine: snapshot nearest to {row['published']}", wayback) +
                         " (no archive recorded; the nearest capture may be later or missing)")
    return links


def claim_card_markdown(row: pd.Series, carriers: pd.DataFrame | None = None) -> str:
    """The card of one claim as Markdown; every text field escaped, only http(s) links."""
    ref = ClaimRef.from_row(row)
    reliability, credibility = row["source_reliability"], int(row["info_credibility"])
    lines = [
        f"#### {escape_markdown(ref.figure)}: {escape_markdown(schema.METRIC_LABELS[row['metric']])} "
        f"({escape_markdown(str(row['population']))})",
        f"**Claimed by** {escape_markdown(str(row['claimant']))} "
        f"({escape_markdown(schema.CLAIMANT_TYPE_LABELS[row['claimant_type']])}); "
        f"the text calls it *{escape_markdown(str(row['status_in_text']).replace('_', ' '))}*  ",
    ]
    if row["relayed_by"]:
        lines.append(f"**Relayed by** {escape_markdown(str(row['relayed_by']))}  ")
    lines += [
        f"**As of** {escape_markdown(ref.as_of)} ({escape_markdown(str(row['as_of_precision']))}) · "
        f"**place** {escape_markdown(str(row['place_name']))}  ",
        f"**Grade {reliability}{credibility}**: {RELIABILITY_MEANINGS[reliability]} source, "
        f"{CREDIBILITY_MEANINGS[credibility].lower()}. {escape_markdown(str(row['grade_rationale']))}",
        "",
        f"> {escape_markdown(str(row['quote']))}",
        "",
        f"**Release**: {escape_markdown(str(row['title']))}, {escape_markdown(ref.source.label)}",
        "",
    ]
    lines += [f"- {link}" for link in release_links(row)]
    if row["notes"]:
        lines += ["", f"**Notes**: {escape_markdown(str(row['notes']))}"]
    if carriers is not None and len(carriers) > 1:
        lines += ["", f"**The same statement in {len(carriers)} texts** (repeats, not independent confirmation):"]
        for _, carrier in carriers.iterrows():
            carrier_ref = ClaimRef.from_row(carrier)
            lines.append(f"- {carrier_ref.source_link()}: “{escape_markdown(str(carrier['figure_text']))}”")
    return "\n".join(lines)

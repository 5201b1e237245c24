"""A claim's card: everything a reader needs to check one figure, with links back to the release."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crisisboard.claims.audience import PUBLIC, Audience
from crisisboard.claims.links import text_fragment_url, wayback_url
from crisisboard.claims.markup import Markdown, join, link, literal, md, safe_url
from crisisboard.claims.refs import CLAIMREF_COLUMNS, ClaimRef
from crisisboard.data import schema
from crisisboard.data.countries import claim_label
from crisisboard.data.frames import records, sorted_positions
from crisisboard.data.history import Change
from crisisboard.data.tiers import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS


def release_links(row: pd.Series) -> list[Markdown]:
    """Links for the release: the text itself (jumping to the quote) and an archived copy."""
    links = []
    fragment = text_fragment_url(str(row["url"]), str(row["quote"]))
    if fragment:
        links.append(link("Open the release at the quote", fragment) +
                     literal(" (browsers without text-fragment support open the page's top)"))
    else:
        links.append(md("Release URL not shown: not an http(s) address ({url})", url=row["url"]))
    archive = safe_url(row.get("archive_url"))
    if archive:
        links.append(link("Archived copy", archive))
    else:
        wayback = wayback_url(str(row["url"]), str(row["published"]))
        if wayback:
            links.append(link(f"Wayback Machine: snapshot nearest to {row['published']}", wayback) +
                         literal(" (no archive recorded; the nearest capture may be later or missing)"))
    return links


@dataclass(frozen=True)
class ClaimCard:
    """A claim's card: the Markdown above the quote, the quote and the language it is written in (its release's),
    and the Markdown below it. The app draws the quote as HTML marked with its language
    (:func:`crisisboard.claims.html.quote_block`), so that a screen reader reads it in that language."""

    head: Markdown
    quote: str
    language: str
    tail: Markdown

    def markdown(self) -> Markdown:
        """The whole card as Markdown, the quote as a block quotation."""
        return join([self.head, literal(""), md("> {quote}", quote=self.quote), literal(""), self.tail], "\n")


def claim_card(row: pd.Series, carriers: pd.DataFrame | None = None) -> ClaimCard:
    """The card of one claim; every text field escaped, links only to http(s) URLs."""
    ref = ClaimRef.from_row(row)
    reliability, credibility = row["source_reliability"], int(row["info_credibility"])
    head = [
        md("#### {figure}: {metric} ({population})", figure=ref.figure, metric=claim_label(row["metric"], row.get("destination", "")),
           population=row["population"]),
        md("**Claimed by** {claimant} ({kind}); the text calls it *{status}*  ", claimant=row["claimant"],
           kind=schema.CLAIMANT_TYPE_LABELS[row["claimant_type"]], status=str(row["status_in_text"]).replace("_", " ")),
    ]
    if row["relayed_by"]:
        head.append(md("**Relayed by** {relay}  ", relay=row["relayed_by"]))
    head += [
        md("**As of** {as_of} ({precision}) · **place** {place}  ", as_of=ref.as_of, precision=row["as_of_precision"],
           place=row["place_name"]),
        md("**Grade {grade}**: {reliability} source, {credibility}. {rationale}", grade=f"{reliability}{credibility}",
           reliability=RELIABILITY_MEANINGS[reliability], credibility=CREDIBILITY_MEANINGS[credibility].lower(),
           rationale=row["grade_rationale"]),
    ]
    tail = [md("**Release**: {title}, {label}", title=row["title"], label=ref.source.label), literal("")]
    tail += [literal("- ") + item for item in release_links(row)]
    if row["notes"]:
        tail += [literal(""), md("**Notes**: {notes}", notes=row["notes"])]
    if carriers is not None and len(carriers) > 1:
        tail += [literal(""), md("**The same statement in {n} texts** (repeats, not independent confirmation):",
                                 n=len(carriers))]
        for _, carrier in carriers.iterrows():
            tail.append(md("- {source}: “{figure}”", source=ClaimRef.from_row(carrier).source_link(),
                           figure=carrier["figure_text"]))
    language = str(row["language"]) if "language" in row.index else ""
    return ClaimCard(join(head, "\n"), str(row["quote"]), language, join(tail, "\n"))


def claim_history(changes: list[Change], audience: Audience = PUBLIC) -> str:
    """The recorded changes of a claim, one line each (plain text, oldest first), as `audience` may see them:
    staff read who (by email) and why; everyone else the role of who made each change, and no reasons."""
    return "\n".join(audience.line(change) for change in changes)


def claim_card_markdown(row: pd.Series, carriers: pd.DataFrame | None = None) -> Markdown:
    """The card of one claim as Markdown (the app draws :func:`claim_card`, its quote marked with its language)."""
    return claim_card(row, carriers).markdown()


def claims_by_place_markdown(claims: pd.DataFrame, limit: int = 60) -> Markdown:
    """The claims on the map as a Markdown list, grouped by place, each linked to its release
    (at most `limit` per place, the earliest first; the rest are counted)."""
    keys = claims[["place_name", "as_of_ts"]].reset_index(drop=True)
    ordered = keys.iloc[sorted_positions(keys, ["place_name", "as_of_ts"])]
    counts = ordered["place_name"].value_counts()
    shown = ordered.groupby("place_name", sort=False, observed=True).head(limit).index.to_numpy()
    lines, current = [], None

    def more(place: str) -> Markdown:
        return md("- … {n:,} more: filter by this place to see them all", n=int(counts[place]) - limit)

    for row in records(claims[[*CLAIMREF_COLUMNS, "place_name"]].iloc[shown]):
        place = row["place_name"]
        if place != current:
            if current is not None and counts[current] > limit:
                lines.append(more(current))
            lines.append(md("**{place}** ({n:,})", place=place, n=int(counts[place])))
            current = place
        lines.append(literal("- ") + ClaimRef.from_row(row).markdown())
    if current is not None and counts[current] > limit:
        lines.append(more(current))
    return join(lines, "\n")

"""The Timeline's hovers: a mark's texts, escaped, filled into one template that is sent once per trace."""

from __future__ import annotations

import textwrap
from functools import lru_cache

import pandas as pd

from crisisboard.claims.attribution import release_labels
from crisisboard.claims.markup import plain
from crisisboard.claims.refs import as_of_labels, figure_labels
from crisisboard.claims.statements import Mark
from crisisboard.data import schema
from crisisboard.data.countries import country_name
from crisisboard.data.frames import per_value

QUOTE_CHARS = 150  # a hover quotes at most this much; the card quotes it all
HOVER_WRAP = 64


# A mark's hover: the markup is sent once per trace, in this template; each point sends only its texts, as its
# customdata after the claim id (Streamlit sends "<" and ">" as six-byte escapes, a thousand marks over).
HOVER_TEMPLATE = ("<b>%{customdata[1]}</b> as of %{customdata[2]}<br>%{customdata[3]}, grade %{customdata[4]}<br>"
                  "\"%{customdata[5]}\"<br><i>%{customdata[6]} - click for the card</i><extra></extra>")


def hover_text(customdata: list | tuple) -> str:
    """The hover a point shows: HOVER_TEMPLATE filled with its customdata (for tests and reviews)."""
    text = HOVER_TEMPLATE.replace("<extra></extra>", "")
    for i, value in enumerate(customdata):
        text = text.replace(f"%{{customdata[{i}]}}", str(value))
    return text


def mark_hovers(marks: list[Mark], claims: pd.DataFrame) -> list[tuple[str, ...]]:
    """Each mark's hover texts, six lines at most once in HOVER_TEMPLATE: the figure as stated (and whom it
    counts), the day, the originator, the grade, the start of the quote, and how many texts carried it (the
    card, on click, lists them all). `claims`: the marks' claims as a frame, in mark order. Every text is
    escaped; the quote's line breaks are the only markup.

    Built column by column, each piece of text once per distinct value (a claimant, a release, a quote
    recurs across marks): a thousand hovers are built on every filter change."""
    pieces = zip(
        figure_labels(claims), per_value(claims["population"], plain), as_of_labels(claims),
        per_value(claims["claimant"], plain),
        per_value(claims["claimant_type"], lambda kind: plain(schema.CLAIMANT_TYPE_LABELS[kind])),
        per_value(claims["grade"], str), per_value(claims["tier"], str),
        per_value(claims["quote"], _hover_quote), [plain(label) for label in release_labels(claims)],
        claims["scope"].eq("partial").tolist(), _into(claims), marks)
    hovers = []
    for figure, population, day, claimant, kind, grade, tier, quote, label, partial, into, mark in pieces:
        whom = ("" if population == "all" else f" ({population})") + into + (" - a partial count" if partial else "")
        carried = f"carried by {len(mark.carriers)} texts" if len(mark.carriers) > 1 else label
        hovers.append((plain(figure) + whom, plain(day), f"{claimant} ({kind})", f"{grade}, {tier} tier", quote,
                       carried))
    return hovers


def _into(claims: pd.DataFrame) -> list[str]:
    """Per claim, ", crossed into <country>" for a claim that names the country people crossed into, else ""."""
    if "destination" not in claims.columns:
        return [""] * len(claims)
    return per_value(claims["destination"], lambda code: f", crossed into {plain(country_name(code))}" if code else "")


@lru_cache(maxsize=4096)  # the same quote backs every claim taken from one passage
def _hover_quote(quote: str) -> str:
    """The quote's start, escaped, then wrapped (line breaks are markup, so they are added after escaping)."""
    short = quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + "\u00a0…"
    return "<br>".join(textwrap.wrap(plain(short), HOVER_WRAP))

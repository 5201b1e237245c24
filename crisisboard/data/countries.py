"""Countries by their ISO 3166-1 alpha-2 codes, from the pycountry package (offline, pinned): whether a code is
one, its short English name, and the label of a claim that names the country people crossed into
(schema.CROSSED, the claims column `destination`)."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pycountry

from crisisboard.data import schema


@lru_cache(maxsize=1)
def codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code pycountry knows (upper case)."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The country's common English name ("Bolivia", not "Bolivia, Plurinational State of"); the code itself
    when it is not an ISO 3166-1 alpha-2 code (validation refuses such a code in the data)."""
    country = pycountry.countries.get(alpha_2=str(code).upper()) if code else None
    if country is None:
        return str(code)
    return getattr(country, "common_name", None) or country.name


def lookup(name: str) -> str:
    """The alpha-2 code of the country `name` names exactly (its name, official or common name, or a code; any
    case, "_" read as a space); "" when none does. Never a guess: no fuzzy match."""
    try:
        return pycountry.countries.lookup(name.replace("_", " ").strip()).alpha_2
    except LookupError:
        return ""


# a refugee metric named after the country people crossed into ("refugees_<country>"), as older datasets and
# reference labels have it; the general vocabulary says refugees_crossed with that country as destination
NAMED_CROSSING_RE = re.compile(r"^refugees_(?!(?:at_border|returned|remaining|crossed)$)([a-z][a-z_]*)$")


def named_crossing(metric: str) -> str:
    """The alpha-2 code of the country an old metric "refugees_<country>" names; "" for any other metric."""
    match = NAMED_CROSSING_RE.match(metric or "")
    return lookup(match.group(1)) if match and not match.group(1).startswith("remaining_") else ""


def claim_label(metric: str, destination: object = "") -> str:
    """What a claim counts, as a reader says it: the metric's label, or "Crossed into <country>" for people who
    crossed into the country `destination` names (the metric's general label when it names none)."""
    code = "" if destination is None or destination != destination else str(destination)  # NaN: none
    if metric == schema.CROSSED and code:
        return f"Crossed into {country_name(code)}"
    return schema.METRIC_LABELS.get(metric, metric)


def destination_fits(claims: pd.DataFrame) -> pd.Series:
    """Per claim, whether its `destination` fits its metric (a validation rule, crisisboard.data.rules): given for
    refugees_crossed, empty for a metric outside the refugees family. A file without the optional column has
    every destination empty."""
    destination = claims["destination"] if "destination" in claims.columns else pd.Series(
        "", index=claims.index, dtype=claims["metric"].dtype)
    given = (destination.str.len() > 0).fillna(False).astype(bool)
    return (claims["metric"].ne(schema.CROSSED) | given) & (claims["metric"].isin(schema.DESTINATION_METRICS) | ~given)

"""Countries by their ISO 3166-1 alpha-2 codes, from the pycountry package (offline, pinned): whether a code is
one, its short English name, and the label of a claim that names the country people crossed into
(schema.CROSSED, the claims column `destination`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

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


def metric_label(metric: str, destinations: Iterable[object] = ()) -> str:
    """The label of a metric over claims whose destinations are `destinations`: for refugees_crossed, "Crossed into
    Armenia" when they all name one country, "Crossed into another country (Armenia, Georgia)" when they name
    several (a chart of the metric then mixes them, and says so), the general label when none; for any other
    metric its label."""
    if metric != schema.CROSSED:
        return schema.METRIC_LABELS.get(metric, metric)
    names = sorted({country_name(str(d)) for d in destinations if d is not None and d == d and str(d)})
    if len(names) == 1:
        return f"Crossed into {names[0]}"
    general = schema.METRIC_LABELS[metric]
    return f"{general} ({', '.join(names)})" if names else general


def _destinations(claims: pd.DataFrame, metric: str) -> list[object]:
    if "destination" not in claims.columns or "metric" not in claims.columns:
        return []
    return claims.loc[claims["metric"].eq(metric).to_numpy(), "destination"].unique().tolist()


def metric_label_in(claims: pd.DataFrame, metric: str) -> str:
    """:func:`metric_label` of `metric` over the claims of `claims` that count it."""
    return metric_label(metric, _destinations(claims, metric) if metric == schema.CROSSED else ())


def metric_labels(claims: pd.DataFrame) -> dict[str, str]:
    """Every metric's label over `claims` (a selector's options, a table's Metric column)."""
    return {metric: metric_label_in(claims, metric) for metric in schema.METRICS}


def claim_labels(claims: pd.DataFrame) -> list[str]:
    """Each claim's own label (:func:`claim_label`: "Crossed into Armenia" for a crossing), in row order."""
    destinations = claims["destination"].tolist() if "destination" in claims.columns else [""] * len(claims)
    return [claim_label(str(m), d) for m, d in zip(claims["metric"].tolist(), destinations)]

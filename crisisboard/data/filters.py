"""Global filters: what they are, how they apply to claims, and how they travel in a URL.

The same :class:`Filters` value drives every page and every export, and round-trips through
the query string (``?metric=killed&from=2010-06-10&to=2010-06-30&tier=high,medium``), so that a
copied link reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Mapping, Sequence

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.tiers import TIERS

PARAM_METRIC = "metric"
PARAM_FROM = "from"
PARAM_TO = "to"
PARAM_TIER = "tier"
PARAM_CLAIMANT = "claimant"
PARAM_PLACE = "place"
PARAM_RETRACTED = "retracted"
PARAM_POPULATION = "population"
PARAMS = (PARAM_METRIC, PARAM_FROM, PARAM_TO, PARAM_TIER, PARAM_CLAIMANT, PARAM_PLACE, PARAM_RETRACTED,
          PARAM_POPULATION)


@dataclass(frozen=True)
class Filters:
    """A selection of claims. Empty tuples and None dates mean "no restriction"."""

    metrics: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    tiers: tuple[str, ...] = ()
    claimant_types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    retracted: bool = False  # also the claims a reviewer retracted (asked for; every text says so)
    populations: tuple[str, ...] = ()  # whom the figures count: general populations and the crisis's groups


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take in one dataset."""

    metrics: tuple[str, ...] = schema.METRICS
    tiers: tuple[str, ...] = TIERS
    claimant_types: tuple[str, ...] = schema.CLAIMANT_TYPES
    places: tuple[str, ...] = field(default_factory=tuple)
    populations: tuple[str, ...] = schema.POPULATIONS  # and the crisis's groups


def apply_filters(claims: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The claims that pass every filter (dates compare the day of `as_of`)."""
    keep = pd.Series(True, index=claims.index)
    if filters.metrics:
        keep &= claims["metric"].isin(filters.metrics)
    if filters.tiers:
        keep &= claims["tier"].isin(filters.tiers)
    if filters.claimant_types:
        keep &= claims["claimant_type"].isin(filters.claimant_types)
    if filters.places:
        keep &= claims["place_id"].isin(filters.places)
    if filters.populations:
        keep &= claims["population"].isin(filters.populations)
    if filters.date_from is not None:
        keep &= claims["as_of_day"] >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= claims["as_of_day"] <= pd.Timestamp(filters.date_to)
    return claims[keep]


def apply_date_filter_to_incidents(incidents: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The incidents that overlap the filters' date range."""
    keep = pd.Series(True, index=incidents.index)
    if filters.date_from is not None:
        keep &= incidents["end_ts"] >= pd.Timestamp(filters.date_from)
    if filters.date_to is not None:
        keep &= incidents["start_ts"] <= pd.Timestamp(filters.date_to)
    return incidents[keep]


def to_query_params(filters: Filters) -> dict[str, str]:
    """Only the restrictions that are set, as comma-separated values."""
    params = {
        PARAM_METRIC: ",".join(filters.metrics),
        PARAM_FROM: filters.date_from.isoformat() if filters.date_from else "",
        PARAM_TO: filters.date_to.isoformat() if filters.date_to else "",
        PARAM_TIER: ",".join(filters.tiers),
        PARAM_CLAIMANT: ",".join(filters.claimant_types),
        PARAM_PLACE: ",".join(filters.places),
        PARAM_RETRACTED: "1" if filters.retracted else "",
        PARAM_POPULATION: ",".join(filters.populations),
    }
    return {key: value for key, value in params.items() if value}


def _values(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    parts = [raw] if isinstance(raw, str) else list(raw)
    return [value.strip() for part in parts for value in part.split(",") if value.strip()]


def _date(raw: str | Sequence[str] | None, name: str, warnings: list[str]) -> date | None:
    values = _values(raw)
    if not values:
        return None
    try:
        return date.fromisoformat(values[0])
    except ValueError:
        warnings.append(f"Ignored '{name}={values[0]}' in the link: not a date like YYYY-MM-DD.")
        return None


def from_query_params(params: Mapping[str, str | Sequence[str]],
                      vocabulary: Vocabulary) -> tuple[Filters, list[str]]:
    """Filters from a query string, and a warning for each value that was not understood."""
    warnings: list[str] = []

    def known(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        chosen = []
        for value in _values(params.get(name)):
            if value in allowed:
                if value not in chosen:
                    chosen.append(value)
            else:
                warnings.append(f"Ignored '{name}={value}' in the link: not a known value.")
        return tuple(chosen)

    filters = Filters(
        metrics=known(PARAM_METRIC, vocabulary.metrics),
        date_from=_date(params.get(PARAM_FROM), PARAM_FROM, warnings),
        date_to=_date(params.get(PARAM_TO), PARAM_TO, warnings),
        tiers=known(PARAM_TIER, vocabulary.tiers),
        claimant_types=known(PARAM_CLAIMANT, vocabulary.claimant_types),
        places=known(PARAM_PLACE, vocabulary.places),
        retracted=_values(params.get(PARAM_RETRACTED))[:1] == ["1"],
        populations=known(PARAM_POPULATION, vocabulary.populations),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        warnings.append("Ignored the dates in the link: 'from' is after 'to'.")
        filters = replace(filters, date_from=None, date_to=None)
    return filters, warnings


def describe_filters(filters: Filters, place_names: Mapping[str, str] | None = None,
                     population_names: Mapping[str, str] | None = None) -> str:
    """The filters in words, for subtitles and exports: "Killed; 10 Jun 2010 – 30 Jun 2010; ..."
    (`population_names`: the crisis's population labels; a population without one reads as its slug)."""
    place_names, population_names = place_names or {}, {**schema.POPULATION_LABELS, **(population_names or {})}
    parts = [
        ", ".join(schema.METRIC_LABELS[m] for m in filters.metrics) if filters.metrics else "All metrics",
    ]
    if filters.date_from or filters.date_to:
        start = f"{filters.date_from:%d %b %Y}" if filters.date_from else "start"
        end = f"{filters.date_to:%d %b %Y}" if filters.date_to else "latest"
        parts.append(f"as of {start} – {end}")
    parts.append("tiers: " + ", ".join(filters.tiers) if filters.tiers else "all reliability tiers")
    if filters.claimant_types:
        parts.append("claimants: " + ", ".join(schema.CLAIMANT_TYPE_LABELS[c] for c in filters.claimant_types))
    if filters.places:
        parts.append("places: " + ", ".join(place_names.get(p, p) for p in filters.places))
    if filters.populations:
        parts.append("counting: " + ", ".join(population_names.get(p, p.replace("_", " "))
                                              for p in filters.populations))
    if filters.retracted:
        parts.append("RETRACTED CLAIMS INCLUDED (withdrawn by a reviewer)")
    return "; ".join(parts)


def vocabulary_of(places: pd.DataFrame, populations: tuple[str, ...] = schema.POPULATIONS) -> Vocabulary:
    """The values a link's filters may take: the places of `places`, the `populations` (the crisis's)."""
    return Vocabulary(places=tuple(places["place_id"]), populations=populations)

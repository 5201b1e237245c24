"""Whom a figure counts, as a dimension the charts keep apart: claims about different people are never drawn or
compared as rivals (issue #31). The general populations and a crisis's groups each have a label; "all" and
"civilians" together are *everyone*, the set the comparisons have always put side by side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.crisis import humanise

COMPARABLE_POPULATIONS = ("all", "civilians")  # figures about everyone, compared with each other
EVERYONE = "everyone"  # the key of COMPARABLE_POPULATIONS taken together
EVERYONE_LABEL = "Everyone (all people or civilians)"
EVERYONE_SHORT = "everyone"  # in a row label: "Killed · everyone"
EVERYONE_WORDS = "all people or civilians"  # in a title: "Killed (all people or civilians): ..."
SEPARATOR = " · "

Labels = Mapping[str, str] | Iterable[tuple[str, str]] | None


def label_map(labels: Labels = None) -> dict[str, str]:
    """The labels given (a mapping or (slug, label) pairs) over the general populations' own."""
    return {**schema.POPULATION_LABELS, **dict(labels or {})}


def members(key: str) -> tuple[str, ...]:
    """The populations a key stands for: COMPARABLE_POPULATIONS for EVERYONE, else the population itself."""
    return COMPARABLE_POPULATIONS if key == EVERYONE else (key,)


def key_of(populations: pd.Series) -> pd.Series:
    """Each claim's population key: EVERYONE for all and civilians, the population otherwise."""
    values = populations.astype(str)
    return values.where(~values.isin(COMPARABLE_POPULATIONS), EVERYONE)


def key_label(key: str, labels: Labels = None, short: bool = False) -> str:
    """How a key reads: EVERYONE_LABEL (or EVERYONE_SHORT), else the population's label, else the slug humanised."""
    if key == EVERYONE:
        return EVERYONE_SHORT if short else EVERYONE_LABEL
    return label_map(labels).get(key) or humanise(key)


def order(keys: Iterable[str], labels: Labels = None) -> list[str]:
    """Keys in reading order: everyone first, then the crisis's groups (in the order of `labels`), then the other
    general populations, then any other."""
    named = list(label_map(labels))
    known = [EVERYONE] + [p for p in named if p not in schema.POPULATIONS] + \
        [p for p in schema.POPULATIONS if p not in COMPARABLE_POPULATIONS]
    given = set(keys)
    return [k for k in known if k in given] + sorted(given - set(known))


def row_keys(claims: pd.DataFrame) -> pd.Series:
    """Per claim, the population key of the row (summary, chart row, sentence) it belongs to; "" where its metric
    needs none: all its crisis-wide claims are about everyone, or it has none.

    A metric whose crisis-wide claims count different populations gets a row per population; a metric whose
    crisis-wide claims all count one group gets that group's row (so its label says whom it counts). A partial
    claim goes to its own population's row when there is one, else to everyone's, else to the metric's first."""
    if claims.empty:
        return pd.Series("", index=claims.index, dtype=object)
    keys = key_of(claims["population"])
    metric = claims["metric"].astype(str)
    wide = ~claims["scope"].astype(str).eq("partial")
    found: dict[str, list[str]] = {}
    for m, k in set(zip(metric[wide], keys[wide])):
        found.setdefault(m, []).append(k)
    result = pd.Series("", index=claims.index, dtype=object)
    for m, present in found.items():
        if present == [EVERYONE]:
            continue
        ordered = order(present)
        own = metric.eq(m)
        fallback = EVERYONE if EVERYONE in ordered else ordered[0]
        result[own] = keys[own].where(keys[own].isin(ordered), fallback)
    return result


def row_label(metric_label: str, key: str, labels: Labels = None) -> str:
    """"Killed" for a metric's only row, "Killed · Armenian military" for one of its population rows."""
    return metric_label if not key else f"{metric_label}{SEPARATOR}{key_label(key, labels, short=True)}"


def counted_label(key: str, n_claims: int, labels: Labels = None) -> str:
    """An option of a "whom the figures count" choice: "Armenian military (12 claims)"."""
    return f"{key_label(key, labels)} ({n_claims} claim{'' if n_claims == 1 else 's'})"

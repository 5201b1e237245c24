"""A selection: the claims and incidents that pass some filters, and what the pages derive from them.

Each derived value is computed at most once per selection; the app keeps recent selections per data
version and filters (shared by every session), so a page switch or a second viewer with the same
filters recomputes nothing.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Hashable, TypeVar

import pandas as pd

from crisisboard.attribution import Attribution, build_attribution
from crisisboard.filters import Filters, apply_date_filter_to_incidents, apply_filters
from crisisboard.load import Dataset, memoised

T = TypeVar("T")


class Selection:
    def __init__(self, dataset: Dataset, filters: Filters):
        self.dataset = dataset
        self.filters = filters
        self._derived: dict[tuple, Any] = {}

    def derive(self, function: Callable[..., T], *args: Hashable) -> T:
        """``function(self.claims, *args)``, computed once per selection (pages share it)."""
        return memoised(self._derived, function, self.claims, args)

    @cached_property
    def claims(self) -> pd.DataFrame:
        return apply_filters(self.dataset.claims, self.filters)

    @cached_property
    def incidents(self) -> pd.DataFrame:
        return apply_date_filter_to_incidents(self.dataset.incidents, self.filters)

    @cached_property
    def attribution(self) -> Attribution:
        return build_attribution(self.claims)

    @cached_property
    def summaries(self) -> list:
        from crisisboard.overview import summarise_metrics

        return summarise_metrics(self.claims)

    @cached_property
    def metrics(self) -> list[str]:
        from crisisboard.timeline import metric_options

        return metric_options(self.claims)

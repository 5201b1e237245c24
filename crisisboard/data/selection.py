"""A selection: the claims and incidents that pass some filters, and what the pages derive from them.

Each derived value is computed at most once per selection; the app keeps recent selections per data
version and filters (shared by every session), so a page switch or a second viewer with the same
filters recomputes nothing.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import cached_property
from typing import Any, Callable, Hashable, TypeVar

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.filters import Filters, apply_date_filter_to_incidents, apply_filters
from crisisboard.data.load import Dataset, memoised

T = TypeVar("T")


def with_retracted(dataset: Dataset) -> pd.DataFrame:
    """The claims in force and the retracted ones, typed alike (once per dataset, when asked for)."""
    frame = pd.concat([dataset.claims, dataset.retracted], ignore_index=True)
    return frame.astype({c: "category" for c in dataset.claims.columns
                         if isinstance(dataset.claims[c].dtype, pd.CategoricalDtype)})


class Selection:
    def __init__(self, dataset: Dataset, filters: Filters):
        self.dataset = dataset
        self.filters = filters
        self._derived: dict[tuple, Any] = {}
        self._bytes: dict[str, int] = {}  # the rows' bytes, measured once per frame (a selection never changes)

    def derive(self, function: Callable[..., T], *args: Hashable) -> T:
        """``function(self.claims, *args)``, computed once per selection (pages share it)."""
        return memoised(self._derived, function, self.claims, args)

    @cached_property
    def claims(self) -> pd.DataFrame:
        if self.filters.retracted and len(self.dataset.retracted):
            return apply_filters(self.dataset.derive(with_retracted), self.filters)
        return apply_filters(self.dataset.claims, self.filters)

    @cached_property
    def incidents(self) -> pd.DataFrame:
        return apply_date_filter_to_incidents(self.dataset.incidents, self.filters)

    @cached_property
    def metrics(self) -> list[str]:
        """The metrics present in the selection, in the order of data/README.md."""
        return metrics_present(self.claims)

    @property
    def nbytes(self) -> int:
        """Bytes of the claim and incident rows this selection holds (0 until they are first read);
        text held as categories counts its codes, whose categories are the dataset's."""
        for name in ("claims", "incidents"):
            if name in self.__dict__ and name not in self._bytes:
                self._bytes[name] = frame_bytes(self.__dict__[name])
        return sum(self._bytes.values())


def metrics_present(claims: pd.DataFrame) -> list[str]:
    """The metrics present in `claims`, in the order of data/README.md."""
    present = set(claims["metric"].unique())
    return [metric for metric in schema.METRICS if metric in present]


def frame_bytes(frame: pd.DataFrame) -> int:
    total = 0
    for _, column in frame.items():
        values = column.array
        total += values.codes.nbytes if isinstance(values, pd.Categorical) else values.nbytes
    return total


BUDGET_ENV = "CRISISBOARD_SELECTION_MB"


class SelectionCache:
    """The recent selections of one process, shared by all its sessions (least recently used first out):
    at most `max_entries`, and beyond the `keep` most recent, at most `budget_mb` of rows held, so
    that many viewers with different filters on a large dataset do not hold a copy of it each."""

    def __init__(self, budget_mb: float = 1024, keep: int = 4, max_entries: int = 32):
        self.budget = budget_mb * 1024 * 1024
        self.keep = keep
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Selection] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> "SelectionCache":
        """The budget from CRISISBOARD_SELECTION_MB (default 1024 MB)."""
        return cls(budget_mb=float(os.environ.get(BUDGET_ENV) or 1024))

    def get(self, dataset: Dataset, filters: Filters) -> Selection:
        key = (str(dataset.data_dir), dataset.version, filters)
        with self._lock:
            selection = self._entries.pop(key, None)
            if selection is None or selection.dataset is not dataset:
                selection = Selection(dataset, filters)
            self._entries[key] = selection
            self._trim()
        return selection

    def _trim(self) -> None:
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        held = sum(selection.nbytes for selection in self._entries.values())
        while held > self.budget and len(self._entries) > self.keep:
            _, oldest = self._entries.popitem(last=False)
            held -= oldest.nbytes

    def __len__(self) -> int:
        return len(self._entries)

"""Reading rows out of wide claim tables cheaply.

A claims table holds about fifty columns, most of them Arrow-backed text; sorting or converting all of
them to cut out a few hundred rows costs far more than the cut. These helpers order by the key columns
only and read the other columns for the rows kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts (column -> value), built column by column: much faster than
    DataFrame.to_dict for Arrow-backed text columns. Missing values become None."""
    columns = {name: (frame[name].to_numpy(dtype=object, na_value=None) if frame[name].hasnans
                      else frame[name].tolist()) for name in frame.columns}
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def sorted_positions(frame: pd.DataFrame, by: list[str], kind: str = "stable") -> np.ndarray:
    """Row positions of `frame` in the order of sorting it by the columns `by` (ties keep their order),
    computed from those columns alone."""
    return frame[by].reset_index(drop=True).sort_values(by, kind=kind).index.to_numpy()


def ranks(frame: pd.DataFrame, by: list[str], dtype: type = np.int64) -> np.ndarray:
    """Each row's rank (0..) in the order of sorting `frame` by the columns `by` (ties keep their order)."""
    rank = np.empty(len(frame), dtype=dtype)
    rank[sorted_positions(frame, by)] = np.arange(len(frame))
    return rank


def per_value(column: pd.Series, function) -> np.ndarray:  # noqa: ANN001 - any function of one value
    """`function` of each value of `column`, in row order (an object array), computed once per distinct
    value (missing values come as None): for text held as categories, once per category the rows use."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, values = column.cat.codes.to_numpy(), column.cat.categories
        used = np.unique(codes[codes >= 0])  # a selection uses few of the dataset's categories
    else:
        codes, values = pd.factorize(column)
        used = np.arange(len(values))
    results = np.empty(len(values) + 1, dtype=object)  # the last slot: what a missing value (code -1) gives
    results[used] = [function(value) for value in values[used].tolist()]
    if (codes < 0).any():
        results[-1] = function(None)
    return results[codes]

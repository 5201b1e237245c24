"""The one door to Plotly's internals: building figures without Plotly checking every item again.

Plotly deep-copies and validates every item of every array a trace holds when a figure is built, and copies
them again when Streamlit sends it. For a chart of a thousand marks with their hovers, or a map with a frame
per day, that costs more than building the chart. The traces, frames and layouts crisisboard builds are made
from checked values with property names Plotly knows, so they go in unvalidated, through the private
attributes below (``_validate``, a trace's ``_props``, ``_frame_objs``). The test suite sets
CRISISBOARD_VALIDATE_FIGURES=1, under which everything here validates as usual, so a wrong property still
fails there; ``tests/test_internals.py`` pins the Plotly version this was written for and checks that each
private attribute still exists.
"""

from __future__ import annotations

import base64
import os

import numpy as np
import plotly.graph_objects as go

VALIDATE_ENV = "CRISISBOARD_VALIDATE_FIGURES"
WRITTEN_FOR = "7.1.0"  # plotly, as pinned in constraints.txt


def validating() -> bool:
    """Whether figures are validated as Plotly normally does (the tests set CRISISBOARD_VALIDATE_FIGURES=1)."""
    return os.environ.get(VALIDATE_ENV) == "1"


def set_layout_unvalidated(fig: go.Figure, name: str, value: object) -> None:
    """``fig.layout[name] = value`` without validating `value` (a template checked once when built)."""
    fig.layout._validate = False
    try:
        fig.layout[name] = value
    finally:
        fig.layout._validate = True


def unvalidated_figure(spec: dict) -> go.Figure:
    """A figure from a dict of data and layout taken from another figure, which validated them already."""
    return go.Figure(spec, _validate=False)


def figure_of(bulk: list[go.BaseTraceType | dict], frames: list[dict] | None = None,
              layout: dict | None = None) -> go.Figure:
    """A figure holding the `bulk` data traces, `frames` and `layout`, without Plotly validating every
    item of them again; what is added to it afterwards (legend entries, layout, annotations) is
    validated as usual.

    Plotly checks each element of every array a trace holds; for a chart of a thousand marks with their
    hover texts that takes longer than building the chart. The bulk traces are built by crisisboard from
    values it has checked, with property names Plotly knows; the test suite sets
    CRISISBOARD_VALIDATE_FIGURES=1, which validates them too, so a wrong property still fails there.
    Their arrays are held as Frozen tuples, which Plotly's copies return as they are.
    """
    if validating():
        return go.Figure(data=[trace if isinstance(trace, dict) else trace.to_plotly_json() for trace in bulk],
                         frames=frames, layout=layout)
    fig = go.Figure(data=[_frozen(trace if isinstance(trace, dict) else trace._props) for trace in bulk],
                    layout=layout, _validate=False)
    if frames:
        # go.Figure(frames=...) and fig.frames = ... validate every item of every frame whatever
        # _validate says; unvalidated Frame objects go in directly (plotly pinned in constraints.txt)
        # a frame's traces are copied whole on every send: built here, read only, they are held Frozen too
        fig._frame_objs = [go.Frame(dict(frame, traces=Frozen(frame["traces"]),
                                         data=Frozen(_frozen(trace) for trace in frame["data"])), _validate=False)
                           for frame in frames]
    fig._validate = fig.layout._validate = True  # from here on, validated
    return fig


def typed_array(values: object, dtype: str = "f8") -> dict:
    """Numbers as a Plotly typed array (``{"dtype": "f8", "bdata": base64}``): what Plotly sends for a
    NumPy array, encoded once here. Copying a figure and sending it then cost nothing per number, and no
    per-array conversion on every send (which costs more than the encoding). NaN draws nothing, like None.
    `dtype` "f4" (single precision, 7 significant digits) halves the bytes, for positions on a drawing.
    """
    array = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def numbers_of(typed: dict) -> np.ndarray:
    """The numbers a typed array (see typed_array) holds."""
    return np.frombuffer(base64.b64decode(typed["bdata"]), dtype=np.dtype(typed["dtype"]).newbyteorder("<"))


class Frozen(tuple):
    """A sequence Plotly need not copy. A figure deep-copies its traces item by item when it is built and
    again when it is sent. A tuple of text and numbers cannot change, so its copy is itself; figure_of also
    holds a day frame's list of traces so, traces that crisisboard builds once and never changes."""

    def __copy__(self) -> "Frozen":
        return self

    def __deepcopy__(self, memo: dict) -> "Frozen":
        return self


def _frozen(props: dict) -> dict:
    """A trace's properties with every array of plain values (numbers, text, None) held as Frozen."""
    frozen = {}
    for name, value in props.items():
        if isinstance(value, dict):
            value = _frozen(value)
        elif isinstance(value, list) and not any(isinstance(item, (dict, list, tuple)) for item in value):
            value = Frozen(value)
        frozen[name] = value
    return frozen

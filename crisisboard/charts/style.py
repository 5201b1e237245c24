"""The one Plotly template crisisboard uses, on screen and in exports.

``import streamlit`` replaces Plotly's default template with one whose colours are placeholders
(Kaleido then renders black charts). Every figure builder therefore sets this template
explicitly through :func:`apply_style`, and never relies on ``plotly.io.templates.default``.
"""

from __future__ import annotations

import base64
import os

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
VALIDATE_ENV = "CRISISBOARD_VALIDATE_FIGURES"
TEMPLATE_NAME = "crisisboard"


def _build_template() -> go.layout.Template:
    base = pio.templates["plotly_white"]
    template = go.layout.Template(base)
    template.layout.font = dict(family=FONT_FAMILY, size=14, color="#1a1a1a")
    template.layout.paper_bgcolor = "#ffffff"
    template.layout.plot_bgcolor = "#ffffff"
    template.layout.hoverlabel = dict(font=dict(family=FONT_FAMILY, size=13), align="left")
    return template


TEMPLATE = _build_template()
pio.templates[TEMPLATE_NAME] = TEMPLATE


TEMPLATE_JSON = TEMPLATE.to_plotly_json()  # validated once, here


def apply_style(fig: go.Figure) -> go.Figure:
    """Set crisisboard's template on `fig` (in place) and return it.

    Plotly would check the whole template again for every figure; it was checked when built above, so
    it is set as it is (validated as usual under CRISISBOARD_VALIDATE_FIGURES=1, as in the tests).
    """
    if os.environ.get(VALIDATE_ENV) == "1":
        fig.update_layout(template=TEMPLATE)
        return fig
    fig.layout._validate = False
    try:
        fig.layout.template = TEMPLATE_JSON
    finally:
        fig.layout._validate = True
    return fig


FOOTER = "footer"


def add_footer(fig: go.Figure, text: str, yshift: int = -20, size: int = 11) -> None:
    """The attribution footer under the plot, named so that an export can replace it with its own."""
    fig.add_annotation(name=FOOTER, text=text, xref="paper", yref="paper", x=0, y=0, yshift=yshift,
                       xanchor="left", yanchor="top", showarrow=False, align="left",
                       font=dict(size=size, color="#444"))


def scale_text(fig: go.Figure, factor: float, minimum: int) -> None:
    """Scale every text size (never below `minimum` px) and marker size of `fig` in place."""
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        if marker is not None and marker.size is not None:
            size = marker.size
            if isinstance(size, dict):  # a typed array (see typed_array)
                marker.size = typed_array(numbers_of(size) * factor, size["dtype"])
            else:
                marker.size = [s * factor for s in size] if isinstance(size, (list, tuple)) else size * factor
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size:
            textfont.size = max(round(textfont.size * factor), minimum)
    for annotation in fig.layout.annotations:
        if annotation.font and annotation.font.size:
            annotation.font.size = max(round(annotation.font.size * factor), minimum)
    if fig.layout.legend.font.size:
        fig.layout.legend.font.size = max(round(fig.layout.legend.font.size * factor), minimum)
    for axis in ("xaxis", "yaxis"):
        layout_axis = fig.layout[axis]
        layout_axis.tickfont.size = max(round((layout_axis.tickfont.size or 14) * factor), minimum)
    base = fig.layout.font.size or 14
    fig.layout.font.size = max(round(base * factor), minimum)


BRIEFING_FACTOR = 24 / 14  # body text at least 24 px on a 1920×1080 projector


def scale_for_briefing(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with projector-size type (24 px body text) and a taller plot."""
    big = go.Figure(fig)
    scale_text(big, BRIEFING_FACTOR, 20)
    if big.layout.title.font.size is None:
        big.layout.title.font.size = 34
    big.layout.height = int((big.layout.height or 600) * 1.25)
    margin = big.layout.margin
    for side in ("t", "b", "l"):
        if margin[side] is not None:
            margin[side] = int(margin[side] * BRIEFING_FACTOR)
    return big


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
    if os.environ.get(VALIDATE_ENV) == "1":
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

"""The one Plotly template crisisboard uses, on screen and in exports, and the sizes of its text.

``import streamlit`` replaces Plotly's default template with one whose colours are placeholders
(Kaleido then renders black charts). Every figure builder therefore sets this template
explicitly through :func:`apply_style`, and never relies on ``plotly.io.templates.default``.
"""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go
import plotly.io as pio

from crisisboard.charts.plotly_internals import numbers_of, set_layout_unvalidated, typed_array, validating

# Latin, Cyrillic and Greek from Noto Sans or DejaVu Sans; Arabic script (Arabic, Urdu) from the Noto fonts
# of the same family; the browser or Kaleido's Chromium takes each character from the first font that has it.
# `make` installs Debian's fonts-noto-core, so that exports look the same on any machine.
FONT_FAMILY = ("Noto Sans, Noto Naskh Arabic, Noto Nastaliq Urdu, Noto Sans Arabic, DejaVu Sans, Arial, "
               "sans-serif")
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
    if validating():
        fig.update_layout(template=TEMPLATE)
        return fig
    set_layout_unvalidated(fig, "template", TEMPLATE_JSON)
    return fig


FOOTER = "footer"


LINE_HEIGHT = 1.3  # Plotly sets annotation lines at about this many times their font size


def add_footer(fig: go.Figure, text: str, yshift: int = -20, size: int = 11) -> None:
    """The attribution footer under the plot, named so that an export can replace it with its own. The
    bottom margin grows to hold every line of it: a footer is never cut."""
    fig.add_annotation(name=FOOTER, text=text, xref="paper", yref="paper", x=0, y=0, yshift=yshift,
                       xanchor="left", yanchor="top", showarrow=False, align="left",
                       font=dict(size=size, color="#444"))
    lines = text.count("<br>") + 1
    needed = int(-yshift + lines * size * LINE_HEIGHT + 12)
    before = fig.layout.margin.b
    if (before or 0) < needed:
        fig.layout.margin.b = needed
        fig.layout.meta = {**(fig.layout.meta or {}), MARGIN_KEY: before}


MARGIN_KEY = "margin_b_without_footer"


def detach_footer(fig: go.Figure) -> str:
    """Remove the footer from `fig` (in place), give the bottom margin back, and return the footer as plain
    text: a page prints it under the chart as text, where it wraps to any width and is never cut."""
    footers = [a for a in fig.layout.annotations if a.name == FOOTER]
    if not footers:
        return ""
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != FOOTER]
    meta = dict(fig.layout.meta or {})
    if MARGIN_KEY in meta:
        fig.layout.margin.b = meta.pop(MARGIN_KEY)
        fig.layout.meta = meta or None
    return html.unescape(" ".join(f.text.replace("<br>", " ") for f in footers))


def scale_markers(fig: go.Figure, factor: float) -> None:
    """Scale every marker size of `fig` in place, its animation frames' too."""
    for trace in [*fig.data, *(trace for frame in fig.frames or () for trace in frame.data)]:
        marker = getattr(trace, "marker", None)
        if marker is not None and marker.size is not None:
            size = marker.size
            if isinstance(size, dict):  # a typed array (see typed_array)
                marker.size = typed_array(numbers_of(size) * factor, size["dtype"])
            else:
                marker.size = [s * factor for s in size] if isinstance(size, (list, tuple)) else size * factor


def scale_text(fig: go.Figure, factor: float, minimum: int) -> None:
    """Scale every text size (never below `minimum` px) and marker size of `fig` in place."""
    scale_markers(fig, factor)
    for trace in fig.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size:
            textfont.size = max(round(textfont.size * factor), minimum)
    for annotation in fig.layout.annotations:
        if annotation.font and annotation.font.size:
            annotation.font.size = max(round(annotation.font.size * factor), minimum)
    legend = fig.layout.legend
    for font in (legend.font, legend.grouptitlefont, legend.title.font):
        if font.size:
            font.size = max(round(font.size * factor), minimum)
    for name in [key for key in fig.layout.to_plotly_json() if key.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        axis = fig.layout[name]
        axis.tickfont.size = max(round((axis.tickfont.size or 14) * factor), minimum)
        if axis.title.font.size:
            axis.title.font.size = max(round(axis.title.font.size * factor), minimum)
    base = fig.layout.font.size or 14
    fig.layout.font.size = max(round(base * factor), minimum)


BRIEFING_FACTOR = 24 / 14  # body text at least 24 px on a 1920×1080 projector


def scale_for_briefing(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with projector-size type (24 px body text) and a taller plot."""
    big = go.Figure(fig)
    scale_text(big, BRIEFING_FACTOR, 20)
    if big.layout.title.font.size is None:
        big.layout.title.font.size = 34
    # a map (its axes locked to one scale) grows as its type does, so that its labels' places hold
    big.layout.height = int((big.layout.height or 600) * (BRIEFING_FACTOR if big.layout.yaxis.scaleanchor else 1.25))
    entries = sum(1 for trace in big.data if trace.showlegend is not False and trace.name)
    if big.layout.legend.orientation != "h" and entries > 12:
        # a long legend at projector size would be taller than the plot: it flows in rows under it instead
        big.layout.legend.update(orientation="h", x=0, xanchor="left", y=-0.03, yanchor="top", traceorder="normal",
                                 entrywidth=300, entrywidthmode="pixels")
        big.layout.height = int(big.layout.height * 1.15)
    margin = big.layout.margin
    for side in ("t", "b", "l"):
        if margin[side] is not None:
            margin[side] = int(margin[side] * BRIEFING_FACTOR)
    return big


def _short(value: float) -> str:
    return f"{value / 1e6:g}M" if value >= 1e6 else f"{value / 1e3:g}k" if value >= 1e4 else f"{value:,.0f}"


def full_log_ticks(values: list[float]) -> dict:
    """A log axis's ticks at 1, 2, 5, 10, 20, 50… over `values`, each labelled in full ("200", "5,000", "20k",
    "1M"): a log axis's own "2" and "5" read as two and five to anyone but an engineer."""
    values = [v for v in values if v == v and v > 0]
    if not values:
        return {}
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    ticks = [m * 10 ** e for e in range(low, high + 1) for m in (1, 2, 5) if min(values) / 2.5 <= m * 10 ** e
             <= max(values) * 2.5]
    return dict(tickmode="array", tickvals=ticks, ticktext=[_short(t) for t in ticks])

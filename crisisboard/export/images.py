"""Images that carry their own provenance.

An exported chart travels alone, so :func:`prepare_figure` prints on it the title, the filters in
words, the caveat, the sources behind its marks, the generation date, the dataset version and the
URL that reproduces the view (plus the map attributions on maps). It starts from the figure the
screen shows (see :mod:`crisisboard.charts.views`), so what you see is what you export.
"""

from __future__ import annotations

import html
import math
import textwrap
import weakref
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from crisisboard.charts.plotly_internals import unvalidated_figure
from crisisboard.charts.style import FOOTER, scale_text
from crisisboard.charts.views import ViewFigure
from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.export.presets import PRESETS, Preset
from crisisboard.export.render import render


@dataclass(frozen=True)
class ExportContext:
    """What an export prints about itself besides the chart."""

    filters_text: str
    dataset_version: str
    url: str
    generated: date


def footer_lines(view: ViewFigure, context: ExportContext, preset: Preset, limit: int = 10) -> list[str]:
    """The footer: sources behind the marks (+N more), maps' attributions, date, dataset, URL."""
    attribution = build_attribution(view.claims)
    width = int(preset.width / (preset.small * 0.56))
    sources = attribution.short(limit=limit)
    if attribution.n_sources > limit:
        sources += " (full list in the briefing pack's sources.csv)"
    lines = textwrap.wrap(sources, width)
    if view.is_map:
        lines += textwrap.wrap(view.dataset.crisis.geo.attribution, width)
    lines += textwrap.wrap(f"Generated {context.generated:%-d %b %Y} by crisisboard · dataset {context.dataset_version}"
                           f" · {DATA_LICENCE}", width)
    lines += textwrap.wrap(f"Reproduce this view: {context.url}", width, break_on_hyphens=False)
    return lines


_PREPARED: "weakref.WeakKeyDictionary[ViewFigure, dict]" = weakref.WeakKeyDictionary()


def prepare_figure(view: ViewFigure, context: ExportContext, preset_name: str = "slide") -> go.Figure:
    """The screen figure restyled for `preset_name`, with the export's title, subtitle and footer.

    Kept per view, context and preset while the view lives, so a PNG then an SVG of one chart
    restyle it once. The returned figure must not be modified.
    """
    cache = _PREPARED.setdefault(view, {})
    key = (context, preset_name)
    if key not in cache:
        cache[key] = _prepare_figure(view, context, preset_name)
    return cache[key]


def _prepare_figure(view: ViewFigure, context: ExportContext, preset_name: str) -> go.Figure:
    preset = PRESETS[preset_name]
    # A static image has no animation: the copy leaves out frames, slider and play buttons, and
    # skips re-validating what the builder already validated (a map copies in a tenth of the time).
    layout = view.figure.layout.to_plotly_json()
    for key in ("sliders", "updatemenus"):
        layout.pop(key, None)
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != FOOTER]
    fig = unvalidated_figure({"data": [trace.to_plotly_json() for trace in view.figure.data], "layout": layout})
    scale_text(fig, preset.font / 14, preset.small)
    width = int(preset.width / (preset.font * 0.55))
    subtitle = "<br>".join(html.escape(line) for line in
                           textwrap.wrap(context.filters_text, width) + [CAVEAT] +
                           [w for note in view.notes for w in textwrap.wrap(note, width)])
    lines = footer_lines(view, context, preset)
    line_px = int(preset.small * 1.35)
    footer_px = line_px * len(lines) + 20
    left = fig.layout.margin.l if fig.layout.margin.l is not None else 60
    right = fig.layout.margin.r if fig.layout.margin.r is not None else 20
    legend_below = view.is_map
    legend_px = _legend_height(fig, preset, preset.width - left - right) if legend_below else preset.font * 3
    bottom = footer_px + legend_px + 30
    subtitle_lines = subtitle.count("<br>") + 1
    top = int(preset.title * 1.6 + preset.font * 1.4 * subtitle_lines + 30)
    fig.update_layout(
        width=preset.width, height=preset.height, font=dict(size=preset.font),
        title=dict(text=f"<b>{html.escape(view.title)}</b>", x=0, xref="container", xanchor="left", yref="container",
                   y=1, yanchor="top", pad=dict(t=14, l=16), font=dict(size=preset.title)),
        margin=dict(t=top, b=bottom, l=left, r=right),
    )
    # Plotly places multi-line titles badly, so the subtitle and footer are annotations whose x is
    # the image's left edge expressed in the plot's paper coordinates.
    plot_width = preset.width - left - right
    plot_height = preset.height - top - bottom
    edge = -(left - 16) / plot_width
    fig.add_annotation(name="subtitle", text=subtitle, xref="paper", yref="paper", x=edge, y=1,
                       yshift=top - int(preset.title * 1.6) - 14, xanchor="left", yanchor="top", showarrow=False,
                       align="left", font=dict(size=preset.font, color="#222222"))
    if legend_below:
        fig.update_layout(legend=dict(y=-(preset.font * 1.2) / max(plot_height, 1), yanchor="top", x=edge))
    fig.add_annotation(name=FOOTER, text="<br>".join(html.escape(line) for line in lines), xref="paper",
                       yref="paper", x=edge, y=0, yshift=-(bottom - footer_px - 5), xanchor="left", yanchor="top",
                       showarrow=False, align="left", font=dict(size=preset.small, color="#333333"))
    return fig


def _legend_height(fig: go.Figure, preset: Preset, width: int) -> int:
    """Pixels a horizontal legend under the plot needs, from its entries and their longest name: as many
    entries per row as fit `width` at the widest entry's width (Plotly packs them at least that tightly),
    so the legend never runs into the footer of sources printed below it."""
    names = [trace.name or "" for trace in fig.data if trace.showlegend is not False and trace.name]
    if not names:
        return preset.font * 2
    size = fig.layout.legend.font.size or preset.font
    entry = 50 + 0.62 * size * max(len(name) for name in names)  # symbol, gap and text (DejaVu Sans)
    rows = math.ceil(len(names) / max(1, int(width // entry)))
    return int(preset.font * 1.2 + rows * size * 1.6 + 10)  # the gap above the legend, then its rows



def export_view(view: ViewFigure, context: ExportContext, fmt: str = "png", preset_name: str = "slide") -> bytes:
    """Prepare and render one view."""
    return render(prepare_figure(view, context, preset_name), fmt, preset_name)

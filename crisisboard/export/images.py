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
from collections import Counter
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from crisisboard.charts.map_labels import TEXT_SCALE
from crisisboard.charts.map_markers import px_per_degree
from crisisboard.charts.maps import LABEL_FONTS
from crisisboard.charts.plotly_internals import unvalidated_figure
from crisisboard.charts.style import FOOTER, scale_markers, scale_text
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
    full_list: str = "the briefing pack's sources.csv"  # where a reader finds every source when not all fit


def footer_lines(view: ViewFigure, context: ExportContext, preset: Preset, limit: int = 10) -> list[str]:
    """The footer: the chart in words, the sources behind the marks (+N more), maps' attributions, date,
    dataset, URL."""
    attribution = build_attribution(view.claims)
    width = int(preset.width / (preset.small * 0.56))
    sources = attribution.short(limit=limit)
    if attribution.n_sources > limit:
        sources += f" (full list in {context.full_list})"
    # the chart in words, as on screen; a square map leaves it to the pack's README: the lines would shrink
    # the map below its labels' smallest type, and its labels would collide
    in_words = view.summary and not (view.is_map and preset.width / preset.height < 1.2)
    lines = textwrap.wrap(view.summary, width) if in_words else []
    lines += textwrap.wrap(sources, width)
    if view.is_map:
        lines += textwrap.wrap(view.dataset.crisis.geo.attribution, width)
        lines += textwrap.wrap(view.dataset.crisis.geo.layers_note, width)  # the crisis folder's own layers
    lines += textwrap.wrap(f"Generated {context.generated:%-d %b %Y} by crisisboard, {view.dataset.crisis.citation} · "
                           f"dataset {context.dataset_version} · {DATA_LICENCE}", width)
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
    # as wide as the y axis's labels need: Plotly would widen it itself, and the texts aligned on the image's
    # left edge (subtitle, legend, footer) would then start inside the image and run off its right side
    left = max(fig.layout.margin.l if fig.layout.margin.l is not None else 60, _tick_labels_px(fig))
    right = fig.layout.margin.r if fig.layout.margin.r is not None else 20
    wide = preset.width / preset.height >= 1.6
    legend_below = _legend_below(fig, view, preset, subtitle.count("<br>") + 1, footer_px)
    if view.is_map and wide:
        right = max(right, _legend_side_px(fig, preset))
    if legend_below and not view.is_map:  # entries say what they key; a title would widen the legend past the plot
        fig.layout.legend.title.text = None
    legend_width = preset.width - left - right
    legend_px = _legend_height(fig, preset, legend_width) if legend_below else 10 if view.is_map else preset.font * 3
    legend_px += _axis_title_px(fig) if legend_below and not view.is_map else 0
    bottom = footer_px + legend_px + 30
    subtitle_lines = subtitle.count("<br>") + 1
    top = int(preset.title * 1.6 + preset.font * 1.4 * subtitle_lines + 30) + top_axis_room(fig)
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
    if view.is_map:
        _fit_map_labels(fig, view, plot_width, plot_height, preset.font / 14)
    fig.add_annotation(name="subtitle", text=subtitle, xref="paper", yref="paper", x=edge, y=1,
                       yshift=top - int(preset.title * 1.6) - 14, xanchor="left", yanchor="top", showarrow=False,
                       align="left", font=dict(size=preset.font, color="#222222"))
    _room_above_strip(fig, plot_height)
    if legend_below:
        _legend_under(fig, view, preset, plot_height, legend_width, edge)
    elif view.is_map:
        _legend_beside_map(fig, view, plot_width, plot_height)
    fig.add_annotation(name=FOOTER, text="<br>".join(html.escape(line) for line in lines), xref="paper",
                       yref="paper", x=edge, y=0, yshift=-(bottom - footer_px - 5), xanchor="left", yanchor="top",
                       showarrow=False, align="left", font=dict(size=preset.small, color="#333333"))
    return fig


def _legend_under(fig: go.Figure, view: ViewFigure, preset: Preset, plot_height: int, width: int, edge: float) -> None:
    """The legend under the plot, its left edge on the image's (`edge`, in paper coordinates)."""
    if view.is_map:
        fig.update_layout(legend=dict(y=-(preset.font * 1.2) / max(plot_height, 1), yanchor="top", x=edge))
        return
    # entries flow in rows (groups stacked would take the plot's height); their names say what they key
    below_axis = preset.font * 1.2 + _axis_title_px(fig)
    fig.update_layout(legend=dict(orientation="h", y=-below_axis / max(plot_height, 1), yanchor="top",
                                  x=edge, xanchor="left", traceorder="normal",
                                  entrywidth=_fitting_entry(fig, preset, width), entrywidthmode="pixels"))


def _legend_below(fig: go.Figure, view: ViewFigure, preset: Preset, subtitle_lines: int, footer_px: int) -> bool:
    """Whether the legend goes under the plot: the Overview's always; the Timeline's and a map's when the image is
    not wide; on a wide image a map's goes beside it (which leaves the map the image's height), and the
    Timeline's while it fits beside the plot's height (else Plotly would cut its last entries)."""
    wide = preset.width / preset.height >= 1.6
    if view.spec.name == "overview" or (view.spec.name in ("timeline", "map") and not wide):
        return True
    if view.spec.name != "timeline":
        return False
    title_px = int(preset.title * 1.6 + preset.font * 1.4 * subtitle_lines + 30)
    return _side_legend_px(fig, preset) > preset.height - title_px - footer_px - preset.font * 3 - 30


def _side_legend_px(fig: go.Figure, preset: Preset) -> int:
    """Pixels high a legend beside the plot would be: an entry per trace shown in it, a title per group, and the
    gaps between groups (Plotly clips a taller one: its last entries would be missing from a still image)."""
    size = fig.layout.legend.font.size or preset.font
    entries = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name)
    groups = {trace.legendgroup for trace in fig.data if trace.showlegend is not False and trace.name}
    titles = sum(1 for trace in fig.data if trace.showlegend is not False and trace.legendgrouptitle.text)
    return int(1.3 * size * (entries + titles) + 10 * len(groups) + 2 * size)


def _legend_side_px(fig: go.Figure, preset: Preset) -> int:
    """Pixels a legend beside the plot needs: its widest entry or group title, the symbol and the gaps."""
    size = fig.layout.legend.font.size or preset.font
    texts = [trace.name for trace in fig.data if trace.showlegend is not False and trace.name] + \
        [trace.legendgrouptitle.text for trace in fig.data if trace.legendgrouptitle.text]
    return int(70 + 0.55 * size * max(map(len, texts), default=0))


def _legend_beside_map(fig: go.Figure, view: ViewFigure, plot_width: int, plot_height: int) -> None:
    """The map at the plot's left, its legend just right of it (the map keeps its aspect, so it is narrower
    than the plot on a wide image)."""
    area = view.dataset.crisis.areas[view.spec.area or view.dataset.crisis.defaults.map_area]
    domain = fig.layout.yaxis.domain or (0, 1)
    scale = px_per_degree(area, plot_width, plot_height * (domain[1] - domain[0]))
    squash = math.cos(math.radians(sum(area.lat) / 2))
    map_width = scale * (area.lon[1] - area.lon[0]) * squash
    fig.layout.xaxis.constraintoward = "left"
    fig.update_layout(legend=dict(orientation="v", x=min(map_width / plot_width, 1) + 0.015, xanchor="left",
                                  y=1, yanchor="top"))


def _fit_map_labels(fig: go.Figure, view: ViewFigure, plot_width: int, plot_height: int, scaled: float) -> None:
    """A map's labels were placed for the smallest screen map (crisisboard.charts.map_labels), beside markers of
    their screen size, with room for text up to TEXT_SCALE times larger against the map: on an image whose map
    is smaller against its type (a square), their type is held within that room and the markers (`scaled` up
    with the type) grow no more than the map did, so that labels still never overlap."""
    area = view.dataset.crisis.areas[view.spec.area or view.dataset.crisis.defaults.map_area]
    domain = fig.layout.yaxis.domain or (0, 1)  # the map's share of the plot's height (its key has the rest)
    grown = px_per_degree(area, plot_width, plot_height * (domain[1] - domain[0])) / px_per_degree(area)
    ceiling = grown * TEXT_SCALE * 0.95
    if grown < scaled:
        scale_markers(fig, grown / scaled)
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size and trace.text is not None:
            base = LABEL_FONTS.get(trace.name, 13)
            font.size = max(min(font.size, round(base * ceiling)), 8)


def _tick_labels_px(fig: go.Figure) -> int:
    """Pixels the y axis's tick labels take left of the plot (Plotly widens the margin to hold them)."""
    labels = [line for label in (fig.layout.yaxis.ticktext or ()) for line in str(label).split("<br>")]
    size = fig.layout.yaxis.tickfont.size or fig.layout.font.size or 14
    return int(0.6 * size * max(map(len, labels))) + 10 if labels else 0


def _fitting_entry(fig: go.Figure, preset: Preset, width: int) -> int:
    """An entry width that packs as many entries per row as fit `width`: a legend wider than the plot would
    push the margins and squeeze the plot to nothing."""
    entry = _legend_entry(fig, preset)
    per_row = max(1, width // entry)
    return max(entry, width // per_row - 8) if per_row > 1 else min(entry, width - 8)


def _axis_title_px(fig: go.Figure) -> int:
    """Pixels the x axis's tick labels and title take under the plot (a legend under it starts below them)."""
    axis = fig.layout.xaxis
    tick = axis.tickfont.size or fig.layout.font.size or 14
    title = (axis.title.font.size or fig.layout.font.size or 14) if axis.title.text else 0
    return int(tick * 1.4 + title * 1.6)


def _room_above_strip(fig: go.Figure, plot_height: int) -> None:
    """Lift the plot above a strip below it (the Timeline's incidents) by what its x axis's tick labels and title
    take at the export's type size, so that they never run into the strip."""
    if "yaxis2" not in fig.layout.to_plotly_json() or not fig.layout.yaxis.domain:
        return
    strip_top = fig.layout.yaxis2.domain[1]
    axis = fig.layout.xaxis
    tick = axis.tickfont.size or fig.layout.font.size or 14
    lines = 1 + str(axis.tickformat or "").count("<br>")
    title = (axis.title.font.size or fig.layout.font.size or 14) if axis.title.text else 0
    needed = (lines * tick * 1.3 + title * 1.6 + 16) / max(plot_height, 1)
    bottom = max(fig.layout.yaxis.domain[0], strip_top + needed)
    fig.layout.yaxis.domain = [min(bottom, 0.6), 1]


def top_axis_room(fig: go.Figure) -> int:
    """Pixels the tick labels of an axis drawn on top of the plot need above it (the Timeline's later panel):
    its longest label's length when the labels stand upright, a line otherwise; 0 without such an axis."""
    room = 0
    for name in [key for key in fig.layout.to_plotly_json() if key.startswith("xaxis")]:
        axis = fig.layout[name]
        if axis.side != "top":
            continue
        size = axis.tickfont.size or fig.layout.font.size or 14
        labels = [str(label) for label in (axis.ticktext or axis.categoryarray or ())] or [""]
        upright = axis.tickangle in (-90, 90)
        room = max(room, int(max(map(len, labels)) * size * 0.62) + 12 if upright else int(size * 1.6))
    return room


def _legend_height(fig: go.Figure, preset: Preset, width: int) -> int:
    """Pixels a horizontal legend under the plot needs, from its entries and their longest name: as many
    entries per row as fit `width` at the widest entry's width (Plotly packs them at least that tightly),
    so the legend never runs into the footer of sources printed below it."""
    names = [trace.name or "" for trace in fig.data if trace.showlegend is not False and trace.name]
    if not names:
        return preset.font * 2
    size = fig.layout.legend.font.size or preset.font
    rows = math.ceil(len(names) / max(1, int(width // _legend_entry(fig, preset))))
    # entries of a group stack under its title, the groups side by side (the map's legend)
    groups = Counter(trace.legendgroup for trace in fig.data if trace.showlegend is not False and trace.name
                     and trace.legendgroup)
    titled = {trace.legendgroup for trace in fig.data if trace.legendgroup and trace.legendgrouptitle.text}
    rows = max([rows] + [n + (group in titled) for group, n in groups.items()])
    if groups:  # groups that do not fit side by side wrap to a row of their own, under the tallest of the first
        rows = max(rows, _group_rows(fig, size, width))
    return int(preset.font * 1.2 + rows * size * 1.6 + 10)  # the gap above the legend, then its rows


def _group_rows(fig: go.Figure, size: int, width: int) -> int:
    """Rows of entries a legend of groups takes when its groups (and ungrouped entries, one each) are laid side
    by side, each as wide as its longest name or title, and wrap when the next does not fit `width`."""
    blocks: dict[str, list[str]] = {}
    for number, trace in enumerate(fig.data):
        if trace.showlegend is not False and trace.name:
            block = blocks.setdefault(trace.legendgroup or f"#{number}", [])
            block += ([trace.legendgrouptitle.text] if trace.legendgrouptitle.text and not block else []) + [trace.name]
    rows, line_width, line_rows = 0, 0, 0
    for texts in blocks.values():
        block_width = int(50 + 0.47 * size * max(map(len, texts)))  # measured: about 0.45 of the size a character
        if line_width and line_width + block_width > width:
            rows, line_width, line_rows = rows + line_rows + 1, 0, 0  # a gap between rows of groups
        line_width, line_rows = line_width + block_width, max(line_rows, len(texts))
    return rows + line_rows


def _legend_entry(fig: go.Figure, preset: Preset) -> int:
    """The width of one entry of a legend under the plot: its longest name's (the legend is given this width per
    entry, so that it packs as :func:`_legend_height` counts)."""
    names = [trace.name or "" for trace in fig.data if trace.showlegend is not False and trace.name] or [""]
    size = fig.layout.legend.font.size or preset.font
    return int(50 + 0.62 * size * max(len(name) for name in names))  # symbol, gap and text (DejaVu Sans)



def export_view(view: ViewFigure, context: ExportContext, fmt: str = "png", preset_name: str = "slide") -> bytes:
    """Prepare and render one view."""
    return render(prepare_figure(view, context, preset_name), fmt, preset_name)

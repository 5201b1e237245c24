"""Images and briefing packs that carry their own provenance.

An exported chart travels alone, so :func:`prepare_figure` prints on it the title, the filters in
words, the caveat, the sources behind its marks, the generation date, the dataset version and the
URL that reproduces the view (plus the map attributions on maps). It starts from the figure the
screen shows (see :mod:`crisisboard.charts.views`), so what you see is what you export.

Rendering uses Kaleido with the machine's Chromium (Debian's ``chromium``), no download, no
MathJax, through one persistent Kaleido server whose calls are serialised (it is not thread-safe).
"""

from __future__ import annotations

import html
import io
import math
import os
import shutil
import textwrap
import threading
import weakref
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.claims.tables import claims_csv, download_csv
from crisisboard.data.geo import ATTRIBUTION as MAP_ATTRIBUTION
from crisisboard.claims.markup import safe_url
from crisisboard.charts.style import FOOTER, scale_text
from crisisboard.charts.views import ViewFigure

FORMATS = ("png", "svg", "pdf")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_HINT = ("Image export needs Chromium, which is not installed. On Debian or Ubuntu: "
                "sudo apt-get install chromium (make test installs it when run as root).")


@dataclass(frozen=True)
class Preset:
    label: str
    width: int
    height: int
    png_scale: float
    font: int  # body text, px at the exported size
    title: int
    small: int  # the smallest text printed (footer, legend), legible at its intended use


PRESETS = {
    "slide": Preset("16:9 slide, 1920×1080", 1920, 1080, 1.0, font=22, title=36, small=16),
    "a4": Preset("A4 landscape", 1123, 794, 2.5, font=12, title=20, small=9),
    "square": Preset("Square, 1080×1080", 1080, 1080, 1.0, font=20, title=30, small=15),
}


class ExportUnavailable(RuntimeError):
    """Image export cannot run here (no Chromium); the message says what to install."""


@dataclass(frozen=True)
class ExportContext:
    """What an export prints about itself besides the chart."""

    filters_text: str
    dataset_version: str
    url: str
    generated: date


def find_chromium() -> str | None:
    """The Chromium Kaleido will use: $BROWSER_PATH, else Debian's, else one on the PATH."""
    for candidate in (os.environ.get("BROWSER_PATH", ""), *CHROMIUM_CANDIDATES):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def export_available() -> bool:
    return find_chromium() is not None


# --- the figure as exported ------------------------------------------------------------------

def footer_lines(view: ViewFigure, context: ExportContext, preset: Preset, limit: int = 10) -> list[str]:
    """The footer: sources behind the marks (+N more), maps' attributions, date, dataset, URL."""
    attribution = build_attribution(view.claims)
    width = int(preset.width / (preset.small * 0.56))
    sources = attribution.short(limit=limit)
    if attribution.n_sources > limit:
        sources += " (full list in the briefing pack's sources.csv)"
    lines = textwrap.wrap(sources, width)
    if view.is_map:
        lines += textwrap.wrap(MAP_ATTRIBUTION, width)
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
    fig = go.Figure({"data": [trace.to_plotly_json() for trace in view.figure.data], "layout": layout},
                    _validate=False)
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


# --- rendering ------------------------------------------------------------------------------

TABS = 2  # Chromium tabs: a pack renders two figures at a time on this 2-core machine


class _Renderer:
    """One Kaleido (one Chromium, TABS tabs) on its own event-loop thread, shared by the process.

    Every request gets its own future, so concurrent callers can never receive each other's
    images (Kaleido's own sync server shares one result queue). After a render Kaleido reloads
    the tab before it can be used again; here that reload runs in the background instead of
    inside the caller's wait, which halves the time of a single warm export.
    """

    def __init__(self) -> None:
        import asyncio

        chromium = find_chromium()
        if chromium is None:
            raise ExportUnavailable(INSTALL_HINT)
        os.environ.setdefault("BROWSER_PATH", chromium)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="crisisboard-kaleido", daemon=True)
        self._thread.start()
        self._kaleido = self._call(self._open())

    async def _open(self):  # noqa: ANN202 - kaleido.Kaleido
        import asyncio

        import kaleido

        class BackgroundReload(kaleido.Kaleido):
            _pending: set = set()

            async def _return_kaleido_tab(self, tab) -> None:  # noqa: ANN001
                task = asyncio.get_running_loop().create_task(super()._return_kaleido_tab(tab))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)

        engine = BackgroundReload(n=TABS, mathjax=False, timeout=120)
        await engine.open()
        return engine

    def _call(self, coroutine):  # noqa: ANN001, ANN202
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def render_many(self, jobs: list[tuple[go.Figure, dict]]) -> list[bytes]:
        import asyncio

        async def run() -> list[bytes]:
            return list(await asyncio.gather(*(self._kaleido.calc_fig(fig, opts=opts) for fig, opts in jobs)))

        return self._call(run())


_RENDERER: _Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def _renderer() -> _Renderer:
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None:
            _RENDERER = _Renderer()
        return _RENDERER


def _opts(fmt: str, preset_name: str) -> dict:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    preset = PRESETS[preset_name]
    return dict(format=fmt, width=preset.width, height=preset.height,
                scale=preset.png_scale if fmt == "png" else 1)


def render_many(jobs: list[tuple[go.Figure, str, str]]) -> list[bytes]:
    """Render (figure, format, preset) jobs, two at a time, in order.

    Raises
    ------
    ExportUnavailable
        When no Chromium is installed.
    ValueError
        For an unknown format or preset.
    """
    prepared = [(fig, _opts(fmt, preset)) for fig, fmt, preset in jobs]
    if find_chromium() is None:
        raise ExportUnavailable(INSTALL_HINT)
    return _renderer().render_many(prepared)


def render(fig: go.Figure, fmt: str, preset_name: str = "slide") -> bytes:
    """The figure as PNG, SVG or PDF bytes."""
    return render_many([(fig, fmt, preset_name)])[0]


def export_view(view: ViewFigure, context: ExportContext, fmt: str = "png", preset_name: str = "slide") -> bytes:
    """Prepare and render one view."""
    return render(prepare_figure(view, context, preset_name), fmt, preset_name)


# --- briefing pack --------------------------------------------------------------------------

def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60]


def sources_list(claims: pd.DataFrame) -> pd.DataFrame:
    """The releases behind `claims`, with links, for the pack's sources.csv."""
    attribution = build_attribution(claims)
    return pd.DataFrame([{"publisher": ref.publisher, "published": ref.published,
                          "published_precision": ref.published_precision, "title": ref.title,
                          "url": safe_url(ref.url) or "", "source_id": ref.source_id} for ref in attribution.sources])


def pack_readme(views: list[ViewFigure], contexts: list[ExportContext], names: list[str]) -> str:
    context = contexts[0]
    lines = [
        "# crisisboard briefing pack", "",
        f"Generated {context.generated:%-d %B %Y} from crisisboard dataset version {context.dataset_version}.",
        f"Filters: {context.filters_text}.", "",
        f"**{CAVEAT}** Each claim names who made it, which text carried it and an Admiralty grade "
        "(source reliability A–F, information credibility 1–6).", "",
        "## Contents", "",
    ]
    for view, ctx, name in zip(views, contexts, names):
        lines.append(f"- `{name}.png` (16:9 slide) and `{name}.svg` (print, editable): {view.title}. "
                     f"Reproduce: {ctx.url}")
    lines += [
        "- `claims.csv`: every claim behind these charts, with quote, grade, source and URL "
        "(cells that a spreadsheet would run as formulas are prefixed with an apostrophe).",
        "- `claims-hxl.csv`: the same with HXL hashtags in the second row, for humanitarian tools.",
        "- `sources.csv`: the releases behind the charts, with links.", "",
        "## How to cite", "",
        "Cite the original release for any single figure (see `sources.csv`), and the compilation as:", "",
        f"> crisisboard, claims on the June 2010 violence in southern Kyrgyzstan, dataset {context.dataset_version}, "
        f"generated {context.generated:%-d %B %Y}. {context.url}", "",
        f"{DATA_LICENCE}", "",
    ]
    return "\n".join(lines)


def build_pack(views: list[ViewFigure], contexts: list[ExportContext],
               progress: Callable[[float, str], None] | None = None) -> bytes:
    """A ZIP of every view as PNG and SVG, the claims behind them (CSV and HXL), the sources and a README."""
    progress = progress or (lambda fraction, message: None)
    names = [f"{i + 1:02d}-{_slug(view.title)}" for i, view in enumerate(views)]
    buffer = io.BytesIO()
    steps = 2 * len(views) + 1
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        done = 0
        for start in range(0, len(views), 2):  # two charts (four images) per batch keeps both tabs busy
            batch = list(zip(views, contexts, names))[start:start + 2]
            progress(done / steps, "Drawing " + ", ".join(name for _, _, name in batch))
            figures = [prepare_figure(view, context, "slide") for view, context, _ in batch]
            images = render_many([(figure, fmt, "slide") for figure in figures for fmt in ("png", "svg")])
            for (_, _, name), png, svg in zip(batch, images[0::2], images[1::2]):
                pack.writestr(f"{name}.png", png, compress_type=zipfile.ZIP_STORED)  # PNG is compressed already
                pack.writestr(f"{name}.svg", svg)
            done += 2 * len(batch)
        progress(done / steps, "Writing the claims and sources")
        claims = pd.concat([v.claims for v in views]).drop_duplicates("claim_id") if views else pd.DataFrame()
        pack.writestr("claims.csv", claims_csv(claims))
        pack.writestr("claims-hxl.csv", claims_csv(claims, hxl=True))
        pack.writestr("sources.csv", download_csv(sources_list(claims)))
        pack.writestr("README.md", pack_readme(views, contexts, names))
    progress(1.0, "Done")
    return buffer.getvalue()

"""Every chart file of an edition: ``assets/plotly.min.js`` (one shared copy of Plotly, as
crisisboard.publish.bundle chooses it) and ``assets/charts.js``, then per chart its page, its embed page, its data
(CSV, JSON) and its images (PNG, SVG), and ``charts.json``, the list of them all (relative paths), which other
tools and tests read."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from crisisboard.data.load import Dataset
from crisisboard.export.render import INSTALL_HINT, ExportUnavailable, export_available, render_many
from crisisboard.publish.bundle import plotly_bundle
from crisisboard.publish.chart_pages import chart_page, embed_page, sources_list
from crisisboard.publish.charts import Chart, build_charts, data_files, image_files
from crisisboard.publish.citations import Citer

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class ChartFiles:
    """The chart files by path, charts.json's entries, and the charts that could not be built (and why)."""

    files: dict[str, bytes]
    entries: list[dict]
    problems: list[str]


def metric_pages(charts: list[Chart]) -> dict[str, dict[str, str]]:
    """Per kind of per-metric chart, each metric's page (``{"timeline": {"killed": "timeline-killed.html"}}``)."""
    pages: dict[str, dict[str, str]] = {}
    for chart in charts:
        if chart.metric:
            pages.setdefault(chart.kind, {})[chart.metric] = f"{chart.name}.html"
    return pages


def _pages(charts: list[Chart], citer: Citer, images: bool) -> dict[str, bytes]:
    """The assets, and each chart's page, embed page and data."""
    types = {trace.type or "scatter" for chart in charts for trace in chart.view.figure.data}
    files = {"assets/plotly.min.js": plotly_bundle(types).script,
             "assets/charts.js": (STATIC / "charts.js").read_bytes()}
    switches = metric_pages(charts)
    for chart in charts:
        citation = citer.of(chart.view.title, f"charts/{chart.name}.html", chart.name)
        switch = switches.get(chart.kind, {}) if chart.metric else {}
        sources = sources_list(chart)
        files[f"charts/{chart.name}.html"] = chart_page(chart, switch, citation, images, sources).encode("utf-8")
        files[f"charts/{chart.name}.embed.html"] = embed_page(chart, citation, sources).encode("utf-8")
        files.update(data_files(chart))
    return files


def chart_files(dataset: Dataset, citer: Citer, images: bool = True) -> ChartFiles:
    """The chart files of an edition of `dataset` (`images`: render each chart's PNG and SVG).

    Raises
    ------
    crisisboard.export.render.ExportUnavailable
        When `images` is asked and no Chromium is installed (before anything is built).
    """
    if images and not export_available():
        raise ExportUnavailable(INSTALL_HINT + " Or publish with --no-images.")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-images") as drawing:
        # Chromium starts while the views are built, and draws the images while the pages are written
        started = drawing.submit(render_many, []) if images else None
        charts, problems = build_charts(dataset, citer.url)
        drawn = drawing.submit(image_files, charts, date.fromisoformat(citer.published[:10])) if images else None
        files = _pages(charts, citer, images)
        if started is not None and drawn is not None:
            started.result()
            files.update(drawn.result())
    entries = [chart.entry(images) for chart in charts]
    files["charts.json"] = json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8")
    return ChartFiles(files, entries, problems)

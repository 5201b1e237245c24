"""An edition's charts: the app's views, built as the app and the briefing pack build them
(`crisisboard.charts.views.build_view` under the default filters), with the data behind each (CSV and JSON) and its
PNG and SVG as the export makes them (`crisisboard.export.images.prepare_figure`, rendered by Kaleido).

The charts are those of a briefing pack (`pack_specs`: the overview, the main metric's timeline and who-says-what,
its map per area, the default area's map of each movement metric) plus a timeline and a who-says-what of every
other metric present. Each has a file name (`overview`, `timeline-killed`, `who-says-what-killed`,
`map-<area>-<metric>`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from crisisboard.charts.views import (
    MapSpec,
    OverviewSpec,
    TimelineSpec,
    ViewFigure,
    ViewSpec,
    WhoSaysSpec,
    build_view,
    pack_specs,
)
from crisisboard.charts.style import detach_footer
from crisisboard.claims.tables import as_text, claims_table, download_csv
from crisisboard.data import schema
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import Dataset
from crisisboard.data.selection import Selection
from crisisboard.export.images import ExportContext, prepare_figure
from crisisboard.export.render import render_many

IMAGE_PRESET = "slide"  # as the briefing pack: 16:9, its PNG for slides, its SVG for print
BATCH = 2  # charts per render_many call (four images), as pack.py: both Chromium tabs busy


@dataclass(frozen=True)
class Chart:
    """One published chart: its file name, the view built, and the URL its citation and images give."""

    name: str
    view: ViewFigure
    url: str

    @property
    def kind(self) -> str:
        return self.view.spec.name

    @property
    def metric(self) -> str | None:
        """The metric of a per-metric chart (timeline, who-says-what), else None."""
        return getattr(self.view.spec, "metric", None) if self.kind in ("timeline", "who-says-what") else None

    def entry(self, images: bool) -> dict[str, str | None]:
        """Its row of charts.json: the paths of its files, relative to the edition."""
        base = f"charts/{self.name}"
        return {"name": self.name, "title": self.view.title, "page": f"{base}.html", "embed": f"{base}.embed.html",
                "png": f"{base}.png" if images else None, "svg": f"{base}.svg" if images else None,
                "csv": f"{base}.csv", "json": f"{base}.json"}


def safe_name(text: str) -> str:
    """A file name part: lower case letters, digits, '-' and '_' only."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(text).lower()).strip("-") or "chart"


def chart_name(spec: ViewSpec) -> str:
    """`overview`, `timeline-<metric>`, `who-says-what-<metric>` or `map-<area>-<metric>`."""
    if isinstance(spec, OverviewSpec):
        return "overview"
    if isinstance(spec, MapSpec):
        return safe_name(f"map-{spec.area}-{spec.metric}")
    return safe_name(f"{spec.name}-{spec.metric}")


def chart_specs(dataset: Dataset) -> list[ViewSpec]:
    """The pack's charts, then a timeline and a who-says-what of every other metric present."""
    specs = pack_specs(dataset.claims, dataset)
    present = [m for m in schema.METRICS if m in set(dataset.claims["metric"])]
    for metric in present:
        for spec in (TimelineSpec(metric=metric), WhoSaysSpec(metric=metric)):
            if spec not in specs:
                specs.append(spec)
    return specs


def build_charts(dataset: Dataset, url_of: Callable[[str], str]) -> tuple[list[Chart], list[str]]:
    """Every chart of `dataset` under the default filters (as the app first shows it), and the problems of those
    that could not be built (a view refusing its settings: said on the index, never a failed publish).
    `url_of(path)`: the URL of a path inside the edition."""
    filters = Filters()
    selection = Selection(dataset, filters)
    geodata = load_geodata(dataset.crisis.geo_dir) if dataset.crisis.areas else None
    charts, problems = [], []
    for spec in chart_specs(dataset):
        name = chart_name(spec)
        try:
            view = build_view(dataset, filters, spec, geodata, selection=selection)
        except ValueError as error:
            problems.append(f"{name}: {error}")
            continue
        view.footer = detach_footer(view.figure)  # as the app: the sources go under the chart, as text
        charts.append(Chart(name, view, url_of(f"charts/{name}.html")))
    return charts, problems


def data_files(chart: Chart) -> dict[str, bytes]:
    """The claims behind a chart's marks as CSV (as the app's download, claims.tables.claims_csv) and JSON (the
    same table, as records)."""
    table = claims_table(chart.view.claims)
    records = as_text(table).to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
    return {f"charts/{chart.name}.csv": download_csv(table),
            f"charts/{chart.name}.json": records.encode("utf-8")}


def export_context(chart: Chart, generated: date) -> ExportContext:
    """What the chart's images print about themselves: the filters in words (the default ones), the dataset's
    version, the chart page's URL and the edition's date."""
    dataset = chart.view.dataset
    places = dict(zip(dataset.places["place_id"], dataset.places["name"]))
    text = describe_filters(Filters(), places, dict(dataset.crisis.population_labels))
    return ExportContext(text, dataset.version, chart.url, generated,
                         full_list="the chart's page, at the address below")


def image_files(charts: list[Chart], generated: date) -> dict[str, bytes]:
    """Each chart's PNG and SVG as the export makes them, rendered two charts at a time.

    Raises
    ------
    crisisboard.export.render.ExportUnavailable
        When no Chromium is installed (the message says what to install).
    """
    files: dict[str, bytes] = {}
    for start in range(0, len(charts), BATCH):
        batch = charts[start:start + BATCH]
        figures = [prepare_figure(chart.view, export_context(chart, generated), IMAGE_PRESET) for chart in batch]
        images = render_many([(figure, fmt, IMAGE_PRESET) for figure in figures for fmt in ("png", "svg")])
        for chart, png, svg in zip(batch, images[0::2], images[1::2]):
            files[f"charts/{chart.name}.png"] = png
            files[f"charts/{chart.name}.svg"] = svg
    return files

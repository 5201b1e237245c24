"""The map briefs (issue #17): at 1366×768, in every view, no two labels overlap, no label is cut by the map's
edge and at most 10 % of the markers are more than half hidden under another; and so in the SVG of every
export preset. Boxes are measured by Chromium on what it drew (tests/map_boxes.js, tests/svg_boxes.js)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from conftest import PROJECT
from map_layout import MAX_HIDDEN_SHARE, problems
from test_browser import CHROMIUM, running_app

from crisisboard.charts.views import build_view, spec_of
from crisisboard.data.filters import Filters
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import load_dataset
from crisisboard.export.images import ExportContext, export_view

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")]
HERE = Path(__file__).parent
VIEWS = ("osh", "jalal_abad", "border", "fergana")
METRICS = ("killed", "refugees_crossed")


def _clean(report: dict) -> bool:
    return not report["overlapping_labels"] and not report["cut_labels"] and report["hidden_share"] <= MAX_HIDDEN_SHARE


def test_the_checks_catch_what_they_look_for() -> None:
    plot = {"x0": 0, "y0": 0, "x1": 100, "y1": 100}
    two = [{"text": "A", "x0": 10, "y0": 10, "x1": 40, "y1": 20}, {"text": "B", "x0": 30, "y0": 12, "x1": 60, "y1": 22}]
    assert problems({"plot": plot, "labels": two, "markers": []})["overlapping_labels"] == [("A", "B")]
    cut = [{"text": "C", "x0": 90, "y0": 10, "x1": 120, "y1": 20}]
    assert problems({"plot": plot, "labels": cut, "markers": []})["cut_labels"] == ["C"]
    pile = [{"order": i, "x0": 10, "y0": 10, "x1": 20, "y1": 20} for i in range(3)]
    assert problems({"plot": plot, "labels": [], "markers": pile})["hidden_share"] == round(2 / 3, 3)


@pytest.fixture(scope="module")
def shipped_map() -> Iterator[str]:
    with running_app(PROJECT / "data") as base:
        yield base


@pytest.mark.parametrize("metric", METRICS)
def test_every_view_is_readable_in_the_browser(shipped_map: str, page, metric: str) -> None:  # noqa: ANN001
    script = (HERE / "map_boxes.js").read_text()
    page.set_viewport_size({"width": 1366, "height": 768})
    reports = {}
    for view in VIEWS:
        page.goto(f"{shipped_map}/map?view={view}&chart={metric}", wait_until="domcontentloaded")
        page.locator(".js-plotly-plot .scatterlayer").first.wait_for(timeout=60_000)
        page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=60_000)
        page.wait_for_timeout(1500)
        found = page.evaluate(script)
        assert found["markers"], view  # something is drawn to measure
        reports[view] = problems(found)
    assert {view: report for view, report in reports.items() if not _clean(report)} == {}


def test_every_export_preset_is_readable(page, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import date

    from crisisboard.charts.views import view_url
    from crisisboard.data.filters import describe_filters

    dataset = load_dataset(PROJECT / "data")
    geo = load_geodata(dataset.crisis.geo_dir)
    script = (HERE / "svg_boxes.js").read_text()
    reports = {}
    for view_key in VIEWS:
        for metric in METRICS:
            spec = spec_of("map", area=view_key, metric=metric)
            view = build_view(dataset, Filters(), spec, geo)
            context = ExportContext(describe_filters(Filters()), dataset.version,
                                    view_url("http://localhost:8501", Filters(), spec), date(2026, 12, 2))
            for preset in ("slide", "a4", "square"):
                svg = tmp_path / f"{view_key}-{metric}-{preset}.svg"
                svg.write_bytes(export_view(view, context, "svg", preset))
                page.goto(svg.as_uri())
                reports[svg.name] = problems(page.evaluate(script))
    assert {name: report for name, report in reports.items() if not _clean(report)} == {}

"""A crisis folder's own map layers ([[geo.layers]] of crisis.toml: a line of contact, areas of control, camps):
checked when crisis.toml is read, drawn and keyed on the map, attributed under it and in its exports.

The layers are those of the made-up crisis (tests/fixtures/madeup_crisis/geo/layers: made-up shapes and
made-up source names, drawn for these tests only)."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, VALID

from crisisboard.charts.views import build_view, spec_of, view_url
from crisisboard.data.crisis import CrisisError, read_crisis
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.load import load_dataset
from crisisboard.data.validate import validate_dataset
from crisisboard.export import render
from crisisboard.export.images import ExportContext, export_view, prepare_figure

MADE_UP = FIXTURES / "madeup_crisis"
LAYERS = MADE_UP / "geo" / "layers"
FILTERS = Filters(tiers=("high", "medium", "low", "unjudged"))
# what the fixture's crisis.toml says of each layer, written out here, not read through the code under test
EXPECTED = {
    "Area held by the fixture militia": ("held.geojson", "Fixture Monitoring Group (made up), 2010-06-20"),
    "Fixture line of contact": ("front.geojson", "Fixture Monitoring Group (made up), 2010-06-21"),
    "Fixture camps": ("camps.geojson", "Fixture Relief Agency (made up), 2010-06-22"),
}


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("layers") / "data"
    shutil.copytree(VALID, folder)
    shutil.copy(MADE_UP / "crisis.toml", folder / "crisis.toml")
    shutil.copytree(MADE_UP / "geo", folder / "geo")
    assert validate_dataset(folder).problems == []
    return folder


@pytest.fixture(scope="module")
def view(made_up: Path):  # noqa: ANN201
    return build_view(load_dataset(made_up), FILTERS, spec_of("map", area="valley", metric="killed"))


def _positions(geometry: dict) -> list[tuple[float, float]]:
    if geometry["type"] == "Point":
        return [tuple(geometry["coordinates"])]
    if geometry["type"] == "LineString":
        return [tuple(p) for p in geometry["coordinates"]]
    return [tuple(p) for ring in geometry["coordinates"] for p in ring]


def _drawn(trace) -> list[tuple[float, float]]:  # noqa: ANN001 - a Plotly trace (typed arrays: decode them)
    xs, ys = (json.loads(trace.to_json())[axis] for axis in ("x", "y"))
    import base64

    import numpy as np

    def values(v):  # noqa: ANN001, ANN202
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]) if isinstance(v, dict) else v
    return [(round(float(x), 4), round(float(y), 4)) for x, y in zip(values(xs), values(ys))
            if x is not None and not math.isnan(x)]


def test_each_layer_is_drawn_where_its_file_says_and_keyed_in_the_legend(view) -> None:  # noqa: ANN001
    traces = {trace.name: trace for trace in view.figure.data if trace.showlegend}
    for label, (file, attribution) in EXPECTED.items():
        assert label in traces, sorted(traces)
        features = json.loads((LAYERS / file).read_text(encoding="utf-8"))["features"]
        expected = {(round(x, 4), round(y, 4)) for f in features for x, y in _positions(f["geometry"])}
        assert set(_drawn(traces[label])) == expected, label
        assert attribution in traces[label].hovertemplate
    assert traces["Fixture camps"].mode == "markers" and traces["Fixture line of contact"].mode == "lines"
    assert traces["Area held by the fixture militia"].fill == "toself"
    assert traces["Fixture line of contact"].line.color == "#7b3294"


def test_the_map_footer_attributes_every_layer(view) -> None:  # noqa: ANN001
    footer = " ".join(a.text for a in view.figure.layout.annotations if "Made-up" in (a.text or ""))
    assert all(len(line) <= 170 for line in footer.split("<br>"))  # wrapped: a long line would run off the page
    footer = footer.replace("<br>", " ")
    for label, (_, attribution) in EXPECTED.items():
        assert f"{label}: {attribution}" in footer


@pytest.mark.parametrize("preset", ["slide", "square"])
def test_an_exported_map_attributes_every_layer(view, preset: str) -> None:  # noqa: ANN001
    spec = spec_of("map", area="valley", metric="killed")
    context = ExportContext(describe_filters(FILTERS), "abc123", view_url("http://127.0.0.1:8501", FILTERS, spec),
                            date(2026, 12, 7))
    fig = prepare_figure(view, context, preset)
    text = " ".join(a.text or "" for a in fig.layout.annotations).replace("<br>", " ")
    for label, (_, attribution) in EXPECTED.items():
        assert f"{label}: {attribution}" in text, preset
    assert {t.name for t in fig.data if t.showlegend} >= set(EXPECTED)


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    shutil.copytree(MADE_UP / "geo", folder / "geo")
    text = (MADE_UP / "crisis.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "crisis.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder, text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "field", "message", "line_of"), [
    ('file = "geo/layers/front.geojson"', 'file = "geo/layers/gone.geojson"', "geo.layers.1.file",
     "geo/layers/gone.geojson is missing", 'file = "geo/layers/gone.geojson"'),
    # a key left out: the line of its table's header
    ('source = "Fixture Relief Agency (made up)"\n', "", "geo.layers.2.source", "Field required",
     '[[geo.layers]] of file = "geo/layers/camps.geojson"'),
    ("date = 2010-06-21\n", "", "geo.layers.1.date", "Field required",
     '[[geo.layers]] of file = "geo/layers/front.geojson"'),
    ('kind = "point"', 'kind = "line"', "geo.layers.2.file", "feature 1 is a Point, not a LineString",
     'file = "geo/layers/camps.geojson"'),
    ('kind = "area"', 'kind = "region"', "geo.layers.0.kind", "'line', 'area' or 'point'", 'kind = "region"'),
    ('label = "Fixture camps"', 'label = ""', "geo.layers.2.label", "at least 1 character", 'label = ""'),
])
def test_a_broken_layer_is_reported_by_its_crisis_toml_key_and_line(tmp_path: Path, old: str, new: str, field: str,
                                                                     message: str, line_of: str) -> None:
    folder, text = _broken(tmp_path, old, new)
    with pytest.raises(CrisisError) as caught:
        read_crisis(folder)
    problems = caught.value.problems
    assert any(where == field and message in said for _, where, said in problems), problems
    lines = text.splitlines()
    header = line_of.startswith("[[geo.layers]] of ")
    line = next(number for number, line in enumerate(lines, start=1) if line == line_of.removeprefix("[[geo.layers]] of "))
    if header:
        line -= 1
        assert lines[line - 1] == "[[geo.layers]]"
    assert [number for number, where, _ in problems if where == field] == [line]
    reported = [str(p) for p in validate_dataset(folder).problems]
    assert any(p.startswith(f"crisis.toml:{line}: {field}: ") for p in reported), reported


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not GeoJSON"),
    ('{"type": "FeatureCollection", "features": []}', "at least one feature"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": '
     '{"type": "LineString", "coordinates": [[72.9, 40.1], [272.9, 40.2]]}}]}', "not [longitude, latitude]"),
])
def test_a_layer_file_that_is_not_good_geojson_is_reported(tmp_path: Path, content: str, message: str) -> None:
    folder, _ = _broken(tmp_path, "date = 2010-06-21", "date = 2010-06-21")
    (folder / "geo" / "layers" / "front.geojson").write_text(content, encoding="utf-8")
    with pytest.raises(CrisisError) as caught:
        read_crisis(folder)
    assert [(where, message in said) for _, where, said in caught.value.problems] == [("geo.layers.1.file", True)]


@pytest.mark.skipif(render.find_chromium() is None, reason="Debian's chromium is not installed (make test installs it)")
def test_an_exported_square_map_keeps_its_layers_legend_above_the_footer(view) -> None:  # noqa: ANN001
    """The layers' legend group is wide: the groups after it wrap to a second row, which the export makes room
    for (read from the SVG Chromium drew: the legend's bottom is above the footer's first line)."""
    import re

    spec = spec_of("map", area="valley", metric="killed")
    context = ExportContext(describe_filters(FILTERS), "abc123", view_url("http://127.0.0.1:8501", FILTERS, spec),
                            date(2026, 12, 7))
    svg = export_view(view, context, "svg", "square").decode("utf-8")
    legend = re.search(r'<g class="legend"[^>]*transform="translate\(([\d.]+),([\d.]+)\)">'
                       r'<rect class="bg"[^>]*height="([\d.]+)"', svg)
    assert legend, "no legend drawn"
    assert "Fixture line of contact" in svg
    footer_at = svg.index("Sources: ")
    footer = re.findall(r'class="cursor-pointer" transform="translate\(([\d.]+),([\d.]+)\)"', svg[:footer_at])[-1]
    assert float(legend.group(2)) + float(legend.group(3)) <= float(footer[1])


def test_a_layers_words_are_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    folder, _ = _broken(tmp_path, 'label = "Fixture camps"', 'label = "<img src=x onerror=alert(1)> camps"')
    view = build_view(load_dataset(folder), FILTERS, spec_of("map", area="valley", metric="killed"))
    names = [trace.name for trace in view.figure.data if trace.showlegend]
    assert "&lt;img src=x onerror=alert(1)&gt; camps" in names
    shown = " ".join(names) + " ".join(a.text or "" for a in view.figure.layout.annotations) + \
        " ".join(str(trace.hovertemplate) for trace in view.figure.data)
    assert "<img" not in shown


def test_a_missing_layer_file_is_reported_with_the_other_problems_of_crisis_toml(tmp_path: Path) -> None:
    folder, text = _broken(tmp_path, "date = 2010-06-21\n", "")
    path = folder / "crisis.toml"
    path.write_text(text.replace('file = "geo/layers/camps.geojson"', 'file = "geo/layers/nope.geojson"'),
                    encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    second_layer = lines.index("[[geo.layers]]", lines.index('file = "geo/layers/held.geojson"')) + 1
    missing_file = lines.index('file = "geo/layers/nope.geojson"') + 1
    reported = [str(p) for p in validate_dataset(folder).problems]
    assert reported == [
        f"crisis.toml:{second_layer}: geo.layers.1.date: Field required",
        f"crisis.toml:{missing_file}: geo.layers.2.file: geo/layers/nope.geojson is missing (a layer's file is "
        "relative to crisis.toml)"]

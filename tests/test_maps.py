"""The Map figure: offline traces only, point claims at points, area claims never as points."""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd
import pytest
from conftest import VALID

from crisisboard.charts.map_markers import marker_size
from crisisboard.charts.maps import build_map_figure
from crisisboard.charts.style import BRIEFING_FACTOR, scale_for_briefing
from crisisboard.claims.areas import area_lines
from crisisboard.data.crisis import read_crisis
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import load_dataset

CRISIS = read_crisis(VALID)


@pytest.fixture(scope="module")
def fixture_map():  # noqa: ANN201
    dataset = load_dataset(VALID)
    return dataset, build_map_figure(dataset, load_geodata(dataset.crisis.geo_dir), dataset.claims, dataset.incidents,
                                     "osh")


def _values(array) -> list:  # noqa: ANN001
    """A trace's numbers as a list, None where nothing is drawn, whether Plotly holds them as a list or
    as a typed array ({"dtype", "bdata"}, base64 of the raw numbers)."""
    if isinstance(array, dict):
        array = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in (array or ())]


def test_only_plain_scatter_traces_so_nothing_is_fetched(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    assert {trace.type for trace in fig.data} == {"scatter"}
    layout = fig.to_plotly_json()["layout"]
    assert not {"geo", "map", "mapbox"} & set(layout)


def _trace(fig, name: str):  # noqa: ANN001, ANN202
    return next(trace for trace in fig.data if trace.name == name)


def test_one_marker_per_place_for_one_metric_and_area_claims_never_as_points(fixture_map) -> None:  # noqa: ANN001
    dataset, fig = fixture_map
    markers = _trace(fig, "Claims at the place")
    # the three killed claims at City A are one marker (fx-06 counts buildings: another metric, not drawn)
    assert list(markers.text) == ["Fixture City A: 90 (3)"]  # the highest credible figure, the claims behind it
    assert "3 claims of Killed" in markers.hovertext[0]
    assert not any("Fixture Region B" in str(trace.text) + str(trace.hovertext) for trace in fig.data)
    displaced = build_map_figure(dataset, load_geodata(dataset.crisis.geo_dir), dataset.claims, dataset.incidents,
                                 "osh", metric="displaced_total")
    assert _values(_trace(displaced, "Claims at the place").y) == []  # region-b is an area: listed, not a point
    lines = area_lines(dataset.claims, dataset.places, "displaced_total")
    assert [(line.name, line.n_claims) for line in lines] == [("Fixture Region B", 1)]


def test_hover_lists_every_claim_with_who_said_it_its_grade_and_its_source(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    hover = _trace(fig, "Claims at the place").hovertext[0]
    assert "at least 300 · Fixture Council · 12 Jun 2010 12:00 · C4 · <i>Fixture NGO, 12 Jun 2010</i>" in hover
    assert "40 · Fixture Ministry" in hover and "90 · Fixture Ministry" in hover
    assert hover.index("90 ·", hover.index("latest")) < hover.index("40 ·")  # newest first


def test_size_key_draws_each_marker_at_the_size_it_stands_for(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    key = _trace(fig, "Size key")
    assert list(key.text) == ["10", "100", "1,000", "10,000"]
    assert _values(key.marker.size) == [marker_size(v) for v in (10, 100, 1_000, 10_000)]
    assert _values(_trace(fig, "Claims at the place").marker.size) == [pytest.approx(marker_size(90), abs=0.05)]


def test_attribution_and_border_caveat_are_printed_on_the_map(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    notes = " ".join(a.text for a in fig.layout.annotations)
    for words in ("OpenStreetMap contributors", "Natural Earth", "GeoNames", "not exactly the 2010 one",
                  "Sources: Fixture"):
        assert words in notes


def test_day_slider_runs_from_10_june_to_31_july_then_all(fixture_map) -> None:  # noqa: ANN001
    dataset, fig = fixture_map
    steps = fig.layout.sliders[0].steps
    window = dataset.crisis.window
    assert len(steps) == (window.end - window.start).days + 2
    assert steps[0].label == "10 Jun" and steps[-2].label == "31 Jul" and steps[-1].label == "all dates"
    frame_names = {frame.name for frame in fig.frames}
    assert all(step.args[0][0] in frame_names for step in steps)


def test_a_day_shows_only_claims_known_by_then(fixture_map) -> None:  # noqa: ANN001
    dataset, fig = fixture_map
    frames = {frame.name: frame for frame in fig.frames}
    marker = fig.data.index(_trace(fig, "Claims at the place"))
    assert frames["2010-06-10"].traces[0] == marker
    assert _values(frames["2010-06-10"].data[0].y) == [None]  # no fixture claim of killed is as of 10 June
    by_13 = max(name for name in frames if name != "all" and name <= "2010-06-13")
    hover = frames[by_13].data[0].hovertext[0]
    assert "2 claims known by 1" in hover and "at least 300" in hover and "90 (" not in hover  # fx-03: 14 Jun
    assert frames[by_13].data[0].text == ("Fixture City A: 40 (2)",)  # sized by fx-01 then, the credible one
    assert "3 claims" in frames["all"].data[0].hovertext[0]
    # incidents likewise: the last dynamic trace keeps a y for each diamond, drawn once one has begun by then
    incidents = _values(frames[by_13].data[-1].y)
    begun = int((dataset.incidents["start_ts"] <= pd.Timestamp(by_13)).sum())
    assert len(incidents) == 1 and (incidents[0] is not None) == (begun > 0)


@pytest.mark.parametrize("view", list(CRISIS.areas))
def test_every_view_builds_on_the_shipped_data(view: str) -> None:
    dataset = load_dataset()
    fig = build_map_figure(dataset, load_geodata(dataset.crisis.geo_dir), dataset.claims, dataset.incidents, view)
    assert list(fig.layout.xaxis.range) == list(CRISIS.areas[view].lon)
    assert len(fig.frames) > 10


def test_briefing_mode_enlarges_the_markers_and_the_map_alike(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    big = scale_for_briefing(fig)
    index = fig.data.index(_trace(fig, "Claims at the place"))
    assert _values(big.data[index].marker.size) == pytest.approx([s * BRIEFING_FACTOR for s in
                                                                  _values(fig.data[index].marker.size)])
    for small_frame, big_frame in zip(fig.frames, big.frames):  # what the slider shows grows too
        assert _values(big_frame.data[0].marker.size) == pytest.approx(
            [s * BRIEFING_FACTOR for s in _values(small_frame.data[0].marker.size)])
    assert big.layout.height == int(fig.layout.height * BRIEFING_FACTOR)  # the map grows as its type: labels hold


def test_marker_size_grows_with_the_figure_but_stays_readable() -> None:
    assert marker_size(1) == 12 and marker_size(100) == 20 and marker_size(10_000) == 28  # the stated rule
    assert marker_size(0) == marker_size(1)
    assert marker_size(100) < marker_size(100_000) < 45


def test_a_detached_part_is_an_enclave_an_exclave_or_an_island() -> None:
    """Made-up squares (degrees): B's enclave inside A; B's exclave astride the line between A and C; B's island
    in no country's land; B's main part away from them all."""
    from shapely.geometry import box

    from crisisboard.charts.map_geography import _detached_kind

    enclave, exclave, island = box(1, 1, 2, 2), box(3.5, 1, 4.5, 2), box(20, 20, 21, 21)
    a = box(0, 0, 4, 4).difference(enclave).difference(exclave)
    c = box(4, 0, 8, 4).difference(exclave)
    b = enclave.union(exclave).union(island).union(box(0, 6, 8, 9))
    assert _detached_kind(enclave, b, [a, c]) == "enclave"
    assert _detached_kind(exclave, b, [a, c]) == "exclave"
    assert _detached_kind(island, b, [a, c]) is None

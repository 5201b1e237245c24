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


def _hovers(fig, name_part: str) -> list[str]:  # noqa: ANN001
    return [h for trace in fig.data if trace.name and name_part in trace.name for h in (trace.hovertext or ())]


def test_only_plain_scatter_traces_so_nothing_is_fetched(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    assert {trace.type for trace in fig.data} == {"scatter"}
    layout = fig.to_plotly_json()["layout"]
    assert not {"geo", "map", "mapbox"} & set(layout)


def test_point_claims_are_markers_and_area_claims_are_badges(fixture_map) -> None:  # noqa: ANN001
    dataset, fig = fixture_map
    tier_markers = [h for trace in fig.data if trace.name and trace.name.startswith(("High", "Medium", "Low", "Unjudged"))
                    for h in (trace.hovertext or ())]
    point_claims = dataset.claims[dataset.claims["place_id"] == "city-a"]
    assert len(tier_markers) == len(point_claims) == 4
    assert all("Fixture City A" in h for h in tier_markers)
    badges = _hovers(fig, "Claims about a whole area")
    assert len(badges) == 1 and "Fixture Region B</b>: 2 claims" in badges[0]


def test_hover_shows_the_figure_as_stated_who_said_it_and_the_source(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    text = "\n".join(_hovers(fig, "Medium") + _hovers(fig, "Low"))
    assert "<b>at least 300</b>" in text and "Fixture Council" in text and "Fixture NGO, 12 Jun 2010" in text


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
    def drawn(frame) -> int:  # noqa: ANN001  (a frame hides a point not known yet by giving it no y)
        return sum(y is not None for trace in frame.data[:8] for y in _values(trace.y))

    assert drawn(frames["2010-06-10"]) == 0  # no fixture claim is as of 10 June
    by_13 = max(name for name in frames if name != "all" and name <= "2010-06-13")
    assert drawn(frames[by_13]) == 3  # fx-01, fx-02, fx-06
    # each frame's y values line up with the figure's trace, whose x, sizes and hover texts it keeps
    for k, index in enumerate(frames[by_13].traces[:8]):
        assert len(_values(frames[by_13].data[k].y)) == len(fig.data[index].hovertext or ())
    # incidents likewise: the last dynamic trace keeps a y for each incident begun by that day
    incidents = _values(frames[by_13].data[-1].y)
    begun = int((dataset.incidents["start_ts"] <= pd.Timestamp(by_13)).sum())
    assert len(incidents) == len(dataset.incidents) and sum(y is not None for y in incidents) == begun


@pytest.mark.parametrize("view", list(CRISIS.areas))
def test_every_view_builds_on_the_shipped_data(view: str) -> None:
    dataset = load_dataset()
    fig = build_map_figure(dataset, load_geodata(dataset.crisis.geo_dir), dataset.claims, dataset.incidents, view)
    assert list(fig.layout.xaxis.range) == list(CRISIS.areas[view].lon)
    assert len(fig.frames) > 10


def test_briefing_mode_enlarges_every_claim_marker(fixture_map) -> None:  # noqa: ANN001
    _, fig = fixture_map
    big = scale_for_briefing(fig)
    scaled = 0
    for small_trace, big_trace in zip(fig.data, big.data):
        if small_trace.name and small_trace.name.startswith(("High", "Medium", "Low", "Unjudged")) \
                and small_trace.showlegend is False:  # the claims' traces, not their legend entries
            before, after = _values(small_trace.marker.size), _values(big_trace.marker.size)
            assert after == pytest.approx([size * BRIEFING_FACTOR for size in before])
            scaled += len(before)
    assert scaled == 4  # the fixture's claims at points


def test_marker_size_grows_with_the_figure_but_stays_readable() -> None:
    assert marker_size(1) == 10
    assert marker_size(0) == marker_size(1)
    assert marker_size(100) < marker_size(100_000) < 45

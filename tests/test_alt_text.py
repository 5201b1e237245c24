"""Every chart in words (issue #21): the sentence that is a chart's accessible name, is printed under it, on its
exported image and in the pack's README. Expected sentences are written from the fixture's rows by hand."""

from __future__ import annotations

import pytest
from conftest import VALID

from crisisboard.charts.views import OverviewSpec, TimelineSpec, build_view
from crisisboard.claims.alt_text import chart_summary, metric_sentence
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset


@pytest.fixture(scope="module")
def dataset():  # noqa: ANN201
    return load_dataset(VALID, cache=False)


def test_a_metric_in_words_names_the_official_trend_and_the_extremes_with_who_and_grade(dataset) -> None:  # noqa: ANN001
    # fx-01 40 (Fixture Ministry, B2, 12 June), fx-02 at least 300 (Fixture Council, C4, 12 June),
    # fx-03 90 (Fixture Ministry, B2, 14 June)
    assert metric_sentence(dataset.claims, "killed") == (
        "Killed: 3 claims, 12 June – 14 June. Official figures went from 40 (12 June) to 90 (14 June). "
        "The highest claim: at least 300, Fixture Council, grade C4 (12 June). "
        "The lowest: 40, Fixture Ministry, grade B2 (12 June).")


def test_a_word_figure_and_a_bound_only_figure_are_said_in_words(dataset) -> None:  # noqa: ANN001
    said = metric_sentence(dataset.claims, "displaced_total")  # fx-05 "thousands", Fixture witness, F3
    assert said == "Displaced (all): 1 claim, 13 June. Only in words: thousands, Fixture witness, grade F3 (13 June)."
    assert "up to 900" in metric_sentence(dataset.claims, "buildings_destroyed")


def test_every_view_carries_its_summary_and_an_empty_one_says_so(dataset) -> None:  # noqa: ANN001
    timeline = build_view(dataset, Filters(), TimelineSpec(metric="killed"))
    assert timeline.summary.startswith(timeline.title + ". Killed: 3 claims")
    assert timeline.summary.endswith("Claims as reported, not verified counts.")
    overview = build_view(dataset, Filters(), OverviewSpec())
    assert "Killed:" in overview.summary and overview.summary
    assert chart_summary(dataset.claims.iloc[0:0], "Killed") == "Killed: no claim matches the filters."

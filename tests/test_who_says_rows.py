"""Who says what, a row per originator: in a war both sides' tolls come from governments, so a row per kind of
claimant would show one of them and hide the other (issue #31). Expected rows are read from
crises/nagorno-karabakh-2020/claims.csv by hand."""

from __future__ import annotations

import pytest
from conftest import PROJECT

from crisisboard.charts.views import WhoSaysSpec, build_view
from crisisboard.data.filters import Filters
from crisisboard.data.load import Dataset, load_dataset

NK = PROJECT / "crises" / "nagorno-karabakh-2020"


@pytest.fixture(scope="module")
def nk() -> Dataset:
    return load_dataset(NK)


def test_a_row_per_originator_keeps_each_government_apart(nk: Dataset) -> None:
    view = build_view(nk, Filters(), WhoSaysSpec(metric="killed", day="2021-01-14", population="azerbaijani_civilians",
                                                 rows="originator"))
    shown = {entry.claim["claimant"]: entry.claim["claim_id"] for entry in view.entries}
    # the latest of each originator counting Azerbaijani civilians killed, up to 14 January 2021 (not restated)
    assert shown == {"Azerbaijan Ministry of Foreign Affairs and Prosecutor General's Office (joint statement)":
                     "c012-01", "Azerbaijan Prosecutor General's Office": "c033-01",
                     "Government of Azerbaijan": "c030-03", "Amnesty International": "c058-02"}
    assert all("(" in entry.category for entry in view.entries)  # "<originator> (<kind of claimant>)"
    assert "each originator" in view.figure.layout.title.text


def test_a_row_per_kind_of_claimant_puts_the_governments_on_one_row(nk: Dataset) -> None:
    view = build_view(nk, Filters(), WhoSaysSpec(metric="killed", day="2021-01-14", population="azerbaijani_civilians",
                                                 rows="type"))
    assert [entry.category for entry in view.entries] == ["Official figures", "NGO"]


def test_the_crisis_folder_chooses_the_rows_when_the_link_does_not(nk: Dataset) -> None:
    assert nk.crisis.defaults.who_says_rows == "originator"
    view = build_view(nk, Filters(), WhoSaysSpec(metric="killed", day="2021-01-14", population="azerbaijani_civilians"))
    assert view.spec.rows == "originator" and len(view.entries) == 4
    shipped = load_dataset(PROJECT / "data")
    assert shipped.crisis.defaults.who_says_rows == "type"
    assert build_view(shipped, Filters(), WhoSaysSpec(metric="killed")).spec.rows == "type"


def test_the_timeline_keeps_to_one_population_when_asked(nk: Dataset) -> None:
    from crisisboard.charts.views import TimelineSpec

    together = build_view(nk, Filters(), TimelineSpec(metric="killed"))
    one = build_view(nk, Filters(), TimelineSpec(metric="killed", population="armenian_military"))
    # crises/nagorno-karabakh-2020/claims.csv: 12 claims of Armenian military dead, 59 of killed in all
    assert (len(together.rows), len(one.rows)) == (59, 12)
    assert set(nk.claims.loc[one.rows, "population"]) == {"armenian_military"}
    assert "Armenian military" in one.figure.layout.title.text
    # a population the metric's claims do not count falls back to all of them, rather than an empty chart
    assert len(build_view(nk, Filters(), TimelineSpec(metric="killed", population="nobody")).rows) == 59


def test_a_log_axis_over_few_decades_is_labelled_1_2_5_not_at_every_step(nk: Dataset) -> None:
    from crisisboard.charts.views import TimelineSpec

    one = build_view(nk, Filters(), TimelineSpec(metric="killed", population="armenian_military"))
    # its figures run from 40 to 7,000: Plotly alone labels 100, 200, 300 … 9,000 one over the other
    assert list(one.figure.layout.yaxis.ticktext) == ["20", "50", "100", "200", "500", "1,000", "2,000", "5,000",
                                                      "10k"]


def test_the_map_s_area_lines_quote_figures_about_one_population(nk: Dataset) -> None:
    from crisisboard.claims.areas import area_lines
    from crisisboard.claims.populations import key_of

    lines = {line.place_id: line for line in area_lines(nk.claims, nk.places, "killed")}
    karabakh = lines["nagorno_karabakh"]
    # its killed-claims count everyone (Putin, Amnesty), each side's soldiers and civilians: everyone's are quoted
    assert karabakh.name == "Nagorno-Karabakh (everyone)"
    quoted = nk.claims[nk.claims["claim_id"].isin([karabakh.latest_credible.claim_id, karabakh.highest.claim_id])]
    assert set(key_of(quoted["population"])) == {"everyone"}
    # Azerbaijan's country-level line quotes no partial count (the one strike on Gashalti)
    assert lines["azerbaijan"].latest_credible.claim_id != "c060-05"

"""Whom the figures count (issue #31): claims about different people are never drawn or compared as rivals.

A small crisis of its own: the valid fixture plus two groups, each counted by two originators on the same day
(the northern forces' dead: 20 by the ministry, 200 by the agency, ten times apart; the southern villagers':
50 and 60), beside the fixture's tolls of everyone (40, 300 civilians, 90)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, VALID, shown
from streamlit.testing.v1 import AppTest

from crisisboard.charts.views import OverviewSpec, WhoSaysSpec, build_view
from crisisboard.claims.comparisons import contest, latest_by_claimant_type
from crisisboard.claims.summaries import summarise_metrics
from crisisboard.data.crisis import CrisisError, read_crisis
from crisisboard.data.filters import Filters
from crisisboard.data.load import Dataset, load_dataset

DAY = pd.Timestamp("2010-06-14")
# claim_id, metric, population, low, claimant, claimant_type, status; all crisis-wide, as of 14 June
GROUP_CLAIMS = [
    ("gp-01", "killed", "north_forces", 20, "Fixture Ministry", "government", "official"),
    ("gp-02", "killed", "north_forces", 200, "Fixture Agency", "un_agency", "estimate"),
    ("gp-03", "killed", "south_villagers", 50, "Fixture Council", "local_official", "reported"),
    ("gp-04", "killed", "south_villagers", 60, "Fixture Monitor", "ngo", "reported"),
    ("gp-05", "injured", "north_forces", 15, "Fixture Ministry", "government", "official"),
    ("gp-06", "injured", "north_forces", 18, "Fixture Agency", "un_agency", "estimate"),
    ("gp-07", "injured", "south_villagers", 4, "Fixture Council", "local_official", "reported"),
]
POPULATION_OF = {"fx-01": "all", "fx-02": "civilians", "fx-03": "all",
                 **{row[0]: row[2] for row in GROUP_CLAIMS}}


def make_crisis(target: Path) -> Path:
    """The valid fixture with groups north_forces (labelled "Northern forces") and south_villagers (no label: its
    slug in words) and the claims of GROUP_CLAIMS."""
    shutil.copytree(VALID, target)
    toml = (target / "crisis.toml").read_text(encoding="utf-8")
    toml = re.sub(r"(?m)^groups = .*$", 'groups = ["uzbek", "kyrgyz", "north_forces", "south_villagers"]\n'
                  'group_labels = { north_forces = "Northern forces" }', toml)
    (target / "crisis.toml").write_text(toml, encoding="utf-8")
    path = target / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    template = rows[2]  # fx-03: the ministry's toll, as of 14 June
    for claim_id, metric, population, low, claimant, kind, status in GROUP_CLAIMS:
        rows.append({**template, "claim_id": claim_id, "statement_id": f"st-{claim_id}", "metric": metric,
                     "population": population, "low": str(low), "high": str(low), "figure_text": str(low),
                     "quote": f"{claimant} counted {low}", "claimant": claimant, "claimant_type": kind,
                     "status_in_text": status})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.fixture
def crisis_dir(tmp_path: Path) -> Path:
    return make_crisis(tmp_path / "groups")


@pytest.fixture
def dataset(crisis_dir: Path) -> Dataset:
    return load_dataset(crisis_dir)


def test_group_labels_come_from_crisis_toml_else_the_slug_in_words(crisis_dir: Path) -> None:
    labels = dict(read_crisis(crisis_dir).population_labels)
    assert labels["north_forces"] == "Northern forces" and labels["south_villagers"] == "South villagers"
    assert labels["all"] == "All people" and labels["security_forces"] == "Security forces"


def test_a_label_for_a_group_that_is_not_one_names_the_field(crisis_dir: Path) -> None:
    path = crisis_dir / "crisis.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("north_forces = ", "nowhere = "), encoding="utf-8")
    with pytest.raises(CrisisError) as error:
        read_crisis(crisis_dir)
    assert re.search(r"crisis\.toml:\d+: group_labels: 'nowhere' is not one of the groups", str(error.value))
    line = int(re.search(r"crisis\.toml:(\d+)", str(error.value)).group(1))
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("group_labels")


def test_contest_compares_only_the_population_asked_for(dataset: Dataset) -> None:
    claims = dataset.claims
    north = contest(claims, "killed", DAY, populations=("north_forces",), whom="Northern forces")
    assert north.contested and north.ratio == pytest.approx(200 / 20) and north.n_claims == 2
    assert (north.lowest.claim_id, north.highest.claim_id) == ("gp-01", "gp-02")
    assert "Killed (Northern forces)" in north.sentence() and "CONTESTED" in north.sentence()
    south = contest(claims, "killed", DAY, populations=("south_villagers",))
    assert not south.contested and south.ratio == pytest.approx(60 / 50)
    everyone = contest(claims, "killed", DAY)  # the default: all and civilians, the groups left out
    assert everyone.n_claims == 3 and everyone.highest.claim_id == "fx-02"
    entries = latest_by_claimant_type(claims, "killed", DAY, ("north_forces",))
    assert {e.claim["claim_id"] for e in entries} == {"gp-01", "gp-02"}


def test_who_says_what_for_a_group_shows_that_group_s_claims_only(dataset: Dataset) -> None:
    view = build_view(dataset, Filters(), WhoSaysSpec(metric="killed", day="2010-06-14", population="north_forces"))
    assert set(view.claims["claim_id"]) == {"gp-01", "gp-02"}
    assert view.contest.contested and "Northern forces" in view.title
    assert "Northern forces" in view.figure.layout.title.text
    assert "Northern forces" in view.summary and "200" in view.summary and "Council" not in view.summary
    assert view.spec.params()["whom"] == "north_forces"
    south = build_view(dataset, Filters(), WhoSaysSpec(metric="killed", day="2010-06-14",
                                                       population="south_villagers"))
    assert set(south.claims["claim_id"]) == {"gp-03", "gp-04"} and not south.contest.contested
    assert "South villagers" in south.title


def test_who_says_what_defaults_to_everyone_else_the_group_with_most_claims(dataset: Dataset) -> None:
    killed = build_view(dataset, Filters(), WhoSaysSpec(metric="killed", day="2010-06-14"))
    assert killed.spec.population == "everyone" and set(killed.claims["population"]) <= {"all", "civilians"}
    injured = build_view(dataset, Filters(), WhoSaysSpec(metric="injured", day="2010-06-14"))
    assert injured.spec.population == "north_forces" and set(injured.claims["claim_id"]) == {"gp-05", "gp-06"}
    unknown = build_view(dataset, Filters(), WhoSaysSpec(metric="killed", day="2010-06-14", population="nobody"))
    assert unknown.spec.population == "everyone"


def _rows_of_points(figure) -> dict[float, set[str]]:  # noqa: ANN001 - a Plotly figure
    """Per row of the chart (its y, rounded), the populations of the claims drawn on it."""
    found: dict[float, set[str]] = {}
    for trace in figure.data:
        if trace.customdata is None or trace.y is None:
            continue
        for claim_id, y in zip(trace.customdata, trace.y):
            found.setdefault(round(float(y)), set()).add(POPULATION_OF[str(claim_id)])
    return found


def test_overview_never_puts_two_populations_on_one_row(dataset: Dataset) -> None:
    view = build_view(dataset, Filters(), OverviewSpec(day="2010-06-14"))
    rows = _rows_of_points(view.figure)
    assert len(rows) >= 3  # everyone, the northern forces, the southern villagers
    for populations in rows.values():
        assert populations <= {"all", "civilians"} or len(populations) == 1, populations
    ticks = " ".join(view.figure.layout.yaxis.ticktext)
    assert "Killed · everyone" in ticks and "Killed · Northern forces" in ticks and "Killed · South villagers" in ticks
    # the words never set figures about different people side by side either
    sentences = re.split(r"(?=Killed · |Injured · )", view.summary)
    north = next(s for s in sentences if s.startswith("Killed · Northern forces"))
    assert "200" in north and "300" not in north and "60" not in north


def test_the_headline_numbers_are_per_population(dataset: Dataset) -> None:
    found = {(s.metric, s.population): s for s in summarise_metrics(dataset.claims, DAY,
                                                                    dataset.crisis.population_labels)}
    assert {("killed", "everyone"), ("killed", "north_forces"), ("killed", "south_villagers")} <= set(found)
    north = found[("killed", "north_forces")]
    assert north.label == "Killed · Northern forces" and north.latest_official.claim_id == "gp-01"
    assert (north.lowest_credible.claim_id, north.highest_credible.claim_id) == ("gp-01", "gp-02")
    assert found[("killed", "everyone")].latest_official.claim_id == "fx-03"  # not the ministry's 20 soldiers


@pytest.fixture
def app_data(crisis_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRISISBOARD_DATA", str(crisis_dir))
    monkeypatch.chdir(PROJECT)
    return crisis_dir


def test_who_says_what_page_keeps_whom_in_the_link_and_shows_that_group_only(app_data: Path) -> None:
    at = AppTest.from_file(str(PROJECT / "pages" / "who_says_what.py"), default_timeout=60)
    at.query_params.update({"chart": "killed", "day": "2010-06-14", "whom": "north_forces"})
    at.run()
    assert not at.exception
    whom = at.selectbox(key="select_whom")
    assert whom.value == "north_forces"
    assert list(whom.options) == [
        "Everyone (all people or civilians) (3 claims)", "Northern forces (2 claims)", "South villagers (2 claims)"]
    assert any("CONTESTED" in shown(e.value) and "Northern forces" in shown(e.value) for e in at.error)
    listed = " ".join(shown(m.value) for m in at.markdown)
    assert "Fixture Agency" in listed and "Fixture Council" not in listed and "Fixture Monitor" not in listed
    whom.set_value("south_villagers").run()
    assert not at.exception and at.query_params["whom"] in ("south_villagers", ["south_villagers"])
    assert not at.error and any("not contested" in shown(i.value) for i in at.info)
    listed = " ".join(shown(m.value) for m in at.markdown)
    assert "Fixture Monitor" in listed and "Fixture Agency" not in listed


def test_overview_page_draws_a_row_per_population(app_data: Path) -> None:
    import json

    at = AppTest.from_file(str(PROJECT / "pages" / "overview.py"), default_timeout=60)
    at.query_params["day"] = "2010-06-14"
    at.run()
    assert not at.exception
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    ticks = layout["yaxis"]["ticktext"]
    assert any(t.startswith("Killed · Northern forces") for t in ticks)
    assert not any(t.startswith("Killed<br>") for t in ticks)  # no row of everyone's and the groups' tolls
    headers = [shown(s.value) for s in at.subheader]
    assert "Killed · Northern forces" in headers and "Killed · everyone" in headers


def test_the_population_filter_travels_in_the_link_and_keeps_only_those_people(dataset: Dataset) -> None:
    from crisisboard.data.filters import apply_filters, describe_filters, from_query_params, to_query_params, \
        vocabulary_of

    vocabulary = vocabulary_of(dataset.places, dataset.crisis.populations)
    filters, warnings = from_query_params({"population": "north_forces,nobody"}, vocabulary)
    assert filters.populations == ("north_forces",) and warnings == [
        "Ignored 'population=nobody' in the link: not a known value."]
    assert to_query_params(filters) == {"population": "north_forces"}
    kept = apply_filters(dataset.claims, filters)
    assert set(kept["claim_id"]) == {"gp-01", "gp-02", "gp-05", "gp-06"}
    assert "counting: Northern forces" in describe_filters(filters, {}, dict(dataset.crisis.population_labels))


def test_the_sidebar_population_filter_from_the_link(app_data: Path) -> None:
    at = AppTest.from_file(str(PROJECT / "pages" / "overview.py"), default_timeout=60)
    at.query_params.update({"population": "south_villagers", "day": "2010-06-14"})
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="filter_population").value == ["south_villagers"]
    caption = " ".join(shown(c.value) for c in at.caption)
    assert "Showing 3 of 13 claims" in caption and "counting: South villagers" in caption
    headers = [shown(s.value) for s in at.subheader]
    assert [h for h in headers if " · " in h] == ["Killed · South villagers", "Injured · South villagers"]

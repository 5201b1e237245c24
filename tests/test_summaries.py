"""The Overview's summaries compare like with like (issue #15): crisis-wide claims with each other,
partial counts apart, and the latest official figure is the latest statement of an official
originator, never a restatement."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from crisisboard.claims.summaries import summarise_metrics
from crisisboard.data.load import load_dataset
from tests.conftest import PROJECT, set_cell


def _official_pool(metric: str) -> list[dict]:
    """Read straight from the CSV, by the rules of data/README.md: government originators, figures the text
    does not call estimates or unconfirmed, with a number, crisis-wide, not restated, high or medium tier."""
    with (PROJECT / "data" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    def tier_ok(row: dict) -> bool:  # high (A/B and 1/2) or medium (A-C and 1-3)
        return row["source_reliability"] in "ABC" and row["info_credibility"] in "123"
    return [r for r in rows if r["metric"] == metric and r["claimant_type"] == "government"
            and r["status_in_text"] not in ("estimate", "unconfirmed") and r["qualifier"] != "vague"
            and r["scope"] == "crisis" and r["as_of_precision"] != "restated" and tier_ok(r)]


def test_latest_official_is_the_latest_official_statement_not_a_restatement() -> None:
    found = summarise_metrics(load_dataset(PROJECT / "data").claims)
    summaries = {s.metric: s for s in found if s.population in ("", "everyone")}
    # refugees_crossed counts everyone, adults and Uzbeks apart (a summary each); each row's latest official
    # figure is the latest of its own people
    rows = [(s, {"": None, "everyone": ("all", "civilians")}.get(s.population, (s.population,))) for s in found
            if s.metric in ("killed", "injured", "refugees_crossed") and s.latest_official is not None]
    assert {s.population for s, _ in rows if s.metric == "refugees_crossed"} == {"everyone", "adults", "uzbek"}
    for summary, whom in rows:
        pool = [r for r in _official_pool(summary.metric) if whom is None or r["population"] in whom]
        latest_day = max(r["as_of"][:10] for r in pool)
        chosen = summary.latest_official
        row = next(r for r in pool if r["claim_id"] == chosen.claim_id)  # it is in the pool at all
        assert row["as_of"][:10] == latest_day, (summary.label, chosen.claim_id)
    # read in the texts: the ministry's registered toll revised to 355 (EurasiaNet, August 2010) and its
    # "at least 2,326" injured of the same report; neither the 2021 nor the 2024 restatements
    assert (summaries["killed"].latest_official.claim_id, summaries["killed"].latest_official.figure) == \
        ("c150-01", "355")
    assert summaries["injured"].latest_official.figure == "at least 2,326"


def test_partial_count_is_listed_apart_not_the_low_end_of_the_toll(dataset_copy: Path) -> None:
    # fx-06 (buildings, up to 900): make a second, tiny, partial count of the same metric and tier
    set_cell(dataset_copy, "claims.csv", 0, "metric", "buildings_destroyed")
    set_cell(dataset_copy, "claims.csv", 0, "scope", "partial")
    set_cell(dataset_copy, "claims.csv", 0, "notes", "One street only.")
    summary = next(s for s in summarise_metrics(load_dataset(dataset_copy).claims)
                   if s.metric == "buildings_destroyed")
    assert summary.n_claims == 2
    assert [(t.tier, t.n_claims, t.low_value) for t in summary.tiers] == [("medium", 1, 900.0)]
    assert summary.partial is not None and summary.partial.n_claims == 1
    assert summary.partial.lowest.claim_id == "fx-01"
    assert "Partial counts" in summary.partial.markdown() and "fx-01" not in str(summary.tiers)


def test_restated_official_figure_is_not_the_latest(dataset_copy: Path) -> None:
    # fx-03 (ministry, 90 as of 14 June) is the latest official; restated, the 40 of 12 June is
    set_cell(dataset_copy, "claims.csv", 2, "as_of_precision", "restated")
    killed = next(s for s in summarise_metrics(load_dataset(dataset_copy).claims) if s.metric == "killed")
    assert killed.latest_official.claim_id == "fx-01"


def test_credible_spread_compares_each_originators_latest_claim_of_three_days(dataset_copy: Path) -> None:
    """fx-01 (ministry, 40, 12 Jun, B2) and fx-03 (ministry, 90, 14 Jun, B2); fx-02 (council, at least 300, 12 Jun,
    C4: low tier). As of 14 Jun the ministry's latest is 90, its 40 is history; the council's is not credible."""
    claims = load_dataset(dataset_copy).claims
    killed = {s.metric: s for s in summarise_metrics(claims, pd.Timestamp("2010-06-14"))}["killed"]
    assert (killed.lowest_credible.claim_id, killed.highest_credible.claim_id) == ("fx-03", "fx-03")
    early = {s.metric: s for s in summarise_metrics(claims, pd.Timestamp("2010-06-12"))}["killed"]
    assert (early.lowest_credible.claim_id, early.highest_credible.claim_id) == ("fx-01", "fx-01")
    later = {s.metric: s for s in summarise_metrics(claims, pd.Timestamp("2010-06-20"))}["killed"]
    assert later.lowest_credible is None  # nothing said in 18-20 Jun: no spread from stale claims


def test_final_count_is_the_commissions_whenever_it_came(dataset_copy: Path) -> None:
    for column, value in (("claimant", "Fixture Commission"), ("claimant_type", "commission"),
                          ("statement_id", "st-fx-commission-killed-90")):
        set_cell(dataset_copy, "claims.csv", 2, column, value)
    killed = {s.metric: s for s in summarise_metrics(load_dataset(dataset_copy).claims, pd.Timestamp("2010-06-12"))}
    assert killed["killed"].final.claim_id == "fx-03"  # dated after the day, yet the final count

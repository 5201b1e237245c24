"""The audit (issue #15): each rule fires on a fixture edited to show its pattern, stays silent on the
fixture as written, and the shipped data has no finding that is neither fixed nor acknowledged."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from crisisboard.data.audit import audit_dataset
from tests.conftest import PROJECT, set_cell


def rules(data_dir: Path) -> list[tuple[str, tuple[str, ...]]]:
    new, _ = audit_dataset(data_dir)
    return [(f.rule, f.claim_ids) for f in new]


def test_written_fixture_has_no_findings(dataset_copy: Path) -> None:
    assert rules(dataset_copy) == []


def test_same_statement_under_two_ids(dataset_copy: Path) -> None:
    # fx-01 says 40 on 12 June; make fx-03 (another text) relay the same figure of that day under its own id
    for column, value in (("low", "40"), ("high", "40"), ("figure_text", "40"), ("as_of", "2010-06-12"),
                          ("quote", "the ministry said 40 people were killed")):
        set_cell(dataset_copy, "claims.csv", 2, column, value)
    assert rules(dataset_copy) == [("same_statement", ("fx-01", "fx-03"))]


def test_unnamed_originator_with_a_named_statements_precise_figure(dataset_copy: Path) -> None:
    # fx-05 (unnamed witness, vague) made an unnamed "191 killed" of 12 June, beside the ministry's 191 of that day
    for row, values in ((4, {"claimant": "unknown", "claimant_type": "unknown", "metric": "killed",
                             "quote": "reports said 191 were killed", "figure_text": "191", "low": "191",
                             "high": "191", "qualifier": "exact", "vague_term": "", "as_of": "2010-06-13"}),
                        (0, {"quote": "the ministry said 191 people were killed", "figure_text": "191", "low": "191",
                             "high": "191"})):
        for column, value in values.items():
            set_cell(dataset_copy, "claims.csv", row, column, value)
    assert rules(dataset_copy) == [("same_statement", ("fx-05", "fx-01"))]
    for value in ("200", "190"):  # a round figure does not identify a statement
        for row in (0, 4):
            for column in ("figure_text", "low", "high"):
                set_cell(dataset_copy, "claims.csv", row, column, value)
            set_cell(dataset_copy, "claims.csv", row, "quote", f"said {value} were killed")
        assert rules(dataset_copy) == [], value


def test_statement_mixing_kinds(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 2, "statement_id", "st-fx-ministry-killed-40")
    set_cell(dataset_copy, "claims.csv", 2, "claim_kind", "snapshot")
    found = rules(dataset_copy)
    assert ("statement_mixed", ("fx-01", "fx-03")) in found


def test_statement_relayed_with_its_relays_date(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 2, "statement_id", "st-fx-ministry-killed-40")  # fx-03 joins fx-01's
    for column, value in (("low", "40"), ("high", "40"), ("figure_text", "40"),
                          ("quote", "the ministry said 40 people were killed")):
        set_cell(dataset_copy, "claims.csv", 2, column, value)
    found = rules(dataset_copy)
    assert found == [("statement_mixed", ("fx-01", "fx-03"))]  # fx-03 keeps its own day, 14 June
    set_cell(dataset_copy, "claims.csv", 2, "as_of", "2010-06-12")
    assert rules(dataset_copy) == []


def test_as_of_after_publication(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "as_of", "2010-06-13")  # its text is of 12 June
    assert rules(dataset_copy) == [("after_publication", ("fx-01",))]


def test_restatement_dated_by_the_restating_page(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "sources.csv", 0, "published", "2024-04-01")
    for row in (0, 1, 5):  # fx-ngo-1's claims
        set_cell(dataset_copy, "claims.csv", row, "as_of", "2024-04-01")
    found = {f for f, _ in rules(dataset_copy)}
    assert found == {"restated_undated"}
    set_cell(dataset_copy, "claims.csv", 0, "as_of_precision", "restated")
    assert ("restated_undated", ("fx-01",)) not in rules(dataset_copy)


@pytest.mark.parametrize("quote", ["the toll could be 10 times higher", "several times higher than that",
                                   "погибших в несколько раз больше"])
def test_multiple_coded_as_a_vague_word(dataset_copy: Path, quote: str) -> None:
    set_cell(dataset_copy, "claims.csv", 4, "quote", quote)  # fx-05 is a vague "thousands"
    assert rules(dataset_copy) == [("multiple", ("fx-05",))]


def test_unnamed_originator_graded_above_f(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 1, "claimant", "Media reports (unnamed)")  # fx-02 is graded C
    assert rules(dataset_copy) == [("unnamed_graded", ("fx-02",))]
    set_cell(dataset_copy, "claims.csv", 1, "source_reliability", "F")
    assert rules(dataset_copy) == []


@pytest.mark.parametrize("quote", ["24 unidentified bodies were brought in", "about 100 buried in one cemetery",
                                   "40 people were killed in the village"])
def test_partial_sounding_quote_coded_crisis(dataset_copy: Path, quote: str) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "quote", quote.replace("24", "40").replace("about 100", "40"))
    assert [r for r, _ in rules(dataset_copy)] == ["partial_sounding"]
    set_cell(dataset_copy, "claims.csv", 0, "scope", "partial")
    set_cell(dataset_copy, "claims.csv", 0, "notes", "One cemetery only.")
    assert rules(dataset_copy) == []


def write_exceptions(data_dir: Path, rows: list[tuple[str, str, str]]) -> None:
    with (data_dir / "audit-exceptions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("rule", "claim_ids", "reason"))
        writer.writerows(rows)


def test_acknowledged_finding_is_not_reported_and_stale_one_is(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "as_of", "2010-06-13")
    write_exceptions(dataset_copy, [("after_publication", "fx-01", "The text says so."),
                                    ("multiple", "fx-05", "An old reading.")])
    new, acknowledged = audit_dataset(dataset_copy)
    assert [f.rule for f in acknowledged] == ["after_publication"]
    assert [(f.rule, f.file, f.line) for f in new] == [("stale_exception", "audit-exceptions.csv", 3)]


@pytest.mark.parametrize(("row", "message"), [
    (("no_such_rule", "fx-01", "why"), "audit-exceptions.csv:2: rule:"),
    (("multiple", "fx-99", "why"), "audit-exceptions.csv:2: claim_ids: no such claim fx-99"),
    (("multiple", "fx-05", " "), "audit-exceptions.csv:2: reason:"),
])
def test_malformed_exceptions_name_the_line(dataset_copy: Path, row: tuple[str, str, str], message: str) -> None:
    write_exceptions(dataset_copy, [row])
    with pytest.raises(ValueError, match=message):
        audit_dataset(dataset_copy)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crisisboard", "audit", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_lists_file_line_and_reason_and_fails(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 1, "claimant", "Media reports (unnamed)")
    result = run_cli(str(dataset_copy))
    assert result.returncode == 1
    assert result.stdout.startswith("claims.csv:3: unnamed_graded: fx-02: originator 'Media reports (unnamed)'")


def test_shipped_data_has_no_unacknowledged_finding() -> None:
    result = run_cli(str(PROJECT / "data"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 finding(s) to fix or acknowledge" in result.stdout

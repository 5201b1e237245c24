"""Each validation rule of data/README.md, broken once in a copy of the fixture dataset."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROJECT, VALID, drop_column, set_cell
from crisisboard.load import DataValidationError, load_dataset
from crisisboard.validate import validate_dataset

TODAY = date(2026, 11, 26)

# (file, data row index, column, bad value, field reported, fragment of the message)
CELL_RULES = [
    ("claims.csv", 0, "metric", "deaths", "metric", "must be one of killed"),
    ("claims.csv", 0, "qualifier", "roughly", "qualifier", "must be one of exact"),
    ("claims.csv", 0, "claimant_type", "ministry", "claimant_type", "must be one of government"),
    ("claims.csv", 0, "source_reliability", "G", "source_reliability", "must be one of A"),
    ("claims.csv", 0, "info_credibility", "7", "info_credibility", "must be one of 1"),
    ("claims.csv", 0, "source_id", "no-such-source", "source_id", "must be a source_id of sources.csv"),
    ("claims.csv", 0, "place_id", "atlantis", "place_id", "must be a place_id of places.csv"),
    ("claims.csv", 0, "claim_id", "Claim 1!", "claim_id", "must be a slug"),
    ("claims.csv", 1, "claim_id", "fx-01", "claim_id", "must be unique"),
    ("claims.csv", 0, "low", "-40", "low", "must be a non-negative whole number"),
    ("claims.csv", 0, "low", "40.5", "low", "must be a non-negative whole number"),
    ("claims.csv", 0, "as_of", "12/06/2010", "as_of", "must be a date"),
    ("claims.csv", 0, "as_of", "2009-12-31", "as_of", "must be a date"),
    ("claims.csv", 0, "as_of", "2031-01-01", "as_of", "must be a date"),
    ("claims.csv", 0, "as_of", "2010-02-30", "as_of", "must be a date"),
    ("claims.csv", 0, "quote", " ".join(["word"] * 41) + " 40", "quote", "must be at most 40 words"),
    ("claims.csv", 0, "grade_rationale", "", "grade_rationale", "must not be empty"),
    ("claims.csv", 0, "figure_text", "41", "figure_text", "must occur in quote"),
    ("claims.csv", 0, "vague_term", "hundreds", "vague_term", "must be given when qualifier is vague"),
    ("claims.csv", 4, "vague_term", "", "vague_term", "must be given when qualifier is vague"),
    ("claims.csv", 0, "high", "", "qualifier", "bounds do not fit the qualifier"),
    ("claims.csv", 1, "high", "400", "qualifier", "bounds do not fit the qualifier"),
    ("claims.csv", 5, "low", "10", "qualifier", "bounds do not fit the qualifier"),
    ("claims.csv", 4, "low", "1000", "qualifier", "bounds do not fit the qualifier"),
    ("claims.csv", 1, "statement_id", "st-fx-ministry-killed-40", "statement_id", "must share metric and claimant"),
    ("sources.csv", 0, "url", "javascript:alert(1)", "url", "must be an http or https URL"),
    ("sources.csv", 0, "url", "ftp://example.org/x", "url", "must be an http or https URL"),
    ("sources.csv", 1, "archive_url", "web.archive.org/x", "archive_url", "must be an http or https URL"),
    ("sources.csv", 0, "publisher_type", "newspaper", "publisher_type", "must be one of ngo"),
    ("sources.csv", 0, "published_precision", "guessed", "published_precision", "must be one of exact"),
    ("sources.csv", 0, "language", "English", "language", "must be a two-letter"),
    ("places.csv", 0, "lat", "91", "lat", "must be a number between -90 and 90"),
    ("places.csv", 0, "lon", "east", "lon", "must be a number between -180 and 180"),
    ("places.csv", 0, "precision", "7", "precision", "must be one of 1"),
    ("places.csv", 0, "country", "RU", "country", "must be one of KG"),
    ("incidents.csv", 0, "date_end", "2010-06-01", "date_end", "must be >= date_start"),
    ("incidents.csv", 1, "source_ids", "fx-ngo-1;ghost", "source_ids", "must list source_ids of sources.csv"),
    ("incidents.csv", 0, "kind", "riot", "kind", "must be one of violence"),
    ("claims.csv", 0, "notes", '=HYPERLINK("http://evil.example")', "notes", "must not start with =, + or @"),
    ("sources.csv", 0, "title", "@SUM(A1:A9)", "title", "must not start with =, + or @"),
    ("incidents.csv", 0, "summary", "+cmd|' /C calc'!A0", "summary", "must not start with =, + or @"),
]


def test_fixture_dataset_is_valid() -> None:
    result = validate_dataset(VALID, today=TODAY)
    assert result.problems == []
    assert len(result.tables["claims.csv"].frame) == 6


@pytest.mark.parametrize("file,row,column,value,field,fragment", CELL_RULES,
                         ids=[f"{c[0]}:{c[2]}={c[3][:20]!r}" for c in CELL_RULES])
def test_each_rule_names_file_line_and_field(dataset_copy: Path, file: str, row: int, column: str, value: str,
                                             field: str, fragment: str) -> None:
    set_cell(dataset_copy, file, row, column, value)
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    matching = [p for p in problems if p.file == file and p.field == field and fragment in p.message]
    assert matching, f"expected a problem on {file} {field} containing {fragment!r}, got {problems}"
    assert any(p.line == row + 2 for p in matching), [str(p) for p in matching]


def test_low_above_high_message_matches_documented_form(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 3, "low", "6000")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert "claims.csv:5: low: must be <= high (low='6000', high='5000')" in problems


@pytest.mark.parametrize("low,high,too_high", [
    ("05001", "5000", True),  # a leading zero does not make a number smaller
    ("0002000", "5000", False),
    ("5000", "5000", False),
    ("123456789012345678901", "123456789012345678900", True),  # beyond 64-bit and double precision
    ("123456789012345678900", "123456789012345678901", False),
    ("99999", "100000", False),  # fewer digits is smaller, whatever the text order says
])
def test_low_above_high_compares_whole_numbers_exactly(dataset_copy: Path, low: str, high: str,
                                                       too_high: bool) -> None:
    set_cell(dataset_copy, "claims.csv", 3, "low", low)
    set_cell(dataset_copy, "claims.csv", 3, "high", high)
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert any(p.startswith("claims.csv:5: low: must be <= high") for p in problems) == too_high, problems
    assert (int(low) > int(high)) == too_high  # the cases themselves, checked by Python's integers


def test_duplicate_id_names_the_other_line(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 2, "claim_id", "fx-01")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert "claims.csv:4: claim_id: must be unique (claim_id='fx-01', also on line 2)" in problems
    assert "claims.csv:2: claim_id: must be unique (claim_id='fx-01', also on line 4)" in problems


def test_missing_column_is_reported_on_the_header_line(dataset_copy: Path) -> None:
    drop_column(dataset_copy, "claims.csv", "qualifier")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert "claims.csv:1: qualifier: required column is missing" in problems


def test_missing_file(dataset_copy: Path) -> None:
    (dataset_copy / "incidents.csv").unlink()
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    assert [(p.file, p.message) for p in problems] == [("incidents.csv", "file is missing")]


def test_empty_file(dataset_copy: Path) -> None:
    (dataset_copy / "places.csv").write_bytes(b"")
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    assert any(p.file == "places.csv" and "file is empty" in p.message for p in problems)


def test_invalid_utf8_names_line_and_field(dataset_copy: Path) -> None:
    path = dataset_copy / "claims.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Fixture Ministry", b"Fixture Minist\xe8re", 1)
    path.write_bytes(b"\n".join(lines))
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    assert [(p.file, p.line, p.field) for p in problems] == [("claims.csv", 4, "claimant")]
    assert "not valid UTF-8" in problems[0].message and "0xe8" in problems[0].values


def test_bom_is_accepted(dataset_copy: Path) -> None:
    path = dataset_copy / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_dataset(dataset_copy, today=TODAY).problems == []


def test_unbalanced_quote_is_reported_not_raised(dataset_copy: Path) -> None:
    path = dataset_copy / "places.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Test fixture coordinates\n", '"Test fixture\n', 1),
                    encoding="utf-8")
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    assert problems and problems[0].file == "places.csv" and "not valid CSV" in problems[0].message


def test_ragged_row(dataset_copy: Path) -> None:
    path = dataset_copy / "incidents.csv"
    path.write_text(path.read_text(encoding="utf-8") + "i-extra,2010-06-20\n", encoding="utf-8")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert "incidents.csv:4: -: has 2 fields but the header has 8" in problems


def test_multiline_cell_keeps_line_numbers_of_later_rows(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "notes", "first line\nsecond line")
    set_cell(dataset_copy, "claims.csv", 2, "metric", "deaths")
    problems = validate_dataset(dataset_copy, today=TODAY).problems
    assert [(p.line, p.field) for p in problems if p.field == "metric"] == [(5, "metric")]


def test_loading_bad_data_raises_with_problems_and_leaves_files_untouched(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "metric", "deaths")
    before = {p.name: p.read_bytes() for p in dataset_copy.iterdir()}
    with pytest.raises(DataValidationError) as caught:
        load_dataset(dataset_copy, today=TODAY)
    assert [p.field for p in caught.value.problems] == ["metric"]
    assert {p.name: p.read_bytes() for p in dataset_copy.iterdir()} == before


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crisisboard", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=120)


def test_cli_validate_exit_codes_and_no_traceback(dataset_copy: Path) -> None:
    ok = run_cli("validate", str(VALID))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    set_cell(dataset_copy, "claims.csv", 3, "low", "6000")
    set_cell(dataset_copy, "sources.csv", 0, "url", "javascript:alert(1)")
    bad = run_cli("validate", str(dataset_copy))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stdout + bad.stderr
    assert "claims.csv:5: low: must be <= high (low='6000', high='5000')" in bad.stdout.splitlines()
    assert "sources.csv:2: url: must be an http or https URL (url='javascript:alert(1)')" in bad.stdout.splitlines()


def test_cli_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "data folder does not exist" in result.stdout
    assert "Traceback" not in result.stderr

"""Each validation rule of data/README.md, broken once in a copy of the fixture dataset."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT, VALID, drop_column, set_cell

from crisisboard.data import schema, validate
from crisisboard.data.load import DataValidationError, load_dataset
from crisisboard.data.validate import read_table, validate_dataset

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
    ("claims.csv", 0, "low", "-40", "low", "must be a whole number from 0 to 10,000,000,000"),
    ("claims.csv", 0, "low", "40.5", "low", "must be a whole number from 0 to 10,000,000,000"),
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
    ("claims.csv", 3, "destination", "", "destination", "must be the ISO 3166-1 alpha-2 code of the country crossed"),
    ("claims.csv", 3, "destination", "XX", "destination", "must be empty or an ISO 3166-1 alpha-2 country code"),
    ("claims.csv", 3, "destination", "uz", "destination", "must be empty or an ISO 3166-1 alpha-2 country code"),
    ("claims.csv", 3, "destination", "Uzbekistan", "destination", "must be empty or an ISO 3166-1 alpha-2"),
    ("claims.csv", 0, "destination", "UZ", "destination", "empty for a metric outside the refugees family"),
    ("claims.csv", 0, "metric", "refugees_uzbekistan", "metric", "must be one of killed"),
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
    ("claims.csv", 0, "notes", '=HYPERLINK("http://evil.example")', "notes", "must not start with =, +, - or @"),
    ("sources.csv", 0, "title", "@SUM(A1:A9)", "title", "must not start with =, +, - or @"),
    ("incidents.csv", 0, "summary", "+cmd|' /C calc'!A0", "summary", "must not start with =, +, - or @"),
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


def test_destination_rule_names_file_line_field_and_values(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "destination", "AM")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert problems == ["claims.csv:2: destination: must be the ISO 3166-1 alpha-2 code of the country crossed into "
                        "for refugees_crossed, and empty for a metric outside the refugees family "
                        "(metric='killed', destination='AM')"]


def test_a_refugee_metric_other_than_crossed_may_name_a_destination(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 3, "metric", "refugees_remaining")
    assert validate_dataset(dataset_copy, today=TODAY).problems == []


def test_destination_is_optional_but_crossed_needs_it(dataset_copy: Path) -> None:
    """A file without the column is valid while no claim crosses a border; a refugees_crossed claim then lacks
    its destination, reported on its line."""
    drop_column(dataset_copy, "claims.csv", "destination")
    problems = [str(p) for p in validate_dataset(dataset_copy, today=TODAY).problems]
    assert problems == ["claims.csv:5: destination: must be the ISO 3166-1 alpha-2 code of the country crossed into "
                        "for refugees_crossed, and empty for a metric outside the refugees family "
                        "(metric='refugees_crossed', destination='')"]
    set_cell(dataset_copy, "claims.csv", 3, "metric", "displaced_total")
    assert validate_dataset(dataset_copy, today=TODAY).problems == []


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


# CSV that Python's csv module (the reference reader) accepts, each with something a reader can get wrong
TRICKY_CSV = {
    "crlf": "a,b\r\n1,2\r\n3,4\r\n",
    "lone_cr": "a,b\r1,2\r3,4\r",
    "no_final_newline": "a,b\n1,2\n3,4",
    "quoted_comma": 'a,b\n"x, y",2\n',
    "doubled_quotes": 'a,b\n"say ""hi""",2\n',
    "quoted_newline": 'a,b\n"line one\nline two",2\n3,4\n',
    "quoted_crlf": 'a,b\r\n"line one\r\nline two",2\r\n3,4\r\n',
    "quote_inside_unquoted": 'a,b\nab"c,2\n',
    "words_for_missing": "a,b\nNA,null\nN/A,nan\n#N/A,NULL\nNaN,None\n",
    "spaces_kept": "a,b\n  x  , y \n",
    "unicode": "a,b\nОш,жертв 🙂\n",
    "blank_lines": "a,b\n1,2\n\n3,4\n\n\n",
    "bools_and_numbers": "a,b\nTRUE,007\nfalse,1e5\n",
    "only_a_quote": 'a,b\n"""",2\n',
    "empty_cells": 'a,b\n"",2\n1,\n',
    "rows_of_empty_cells": "a,b\n1,2\n,\n , \n3,4\n",  # skipped as blank rows
    "header_with_spaces": " a , b\n1,2\n",  # header names are stripped
}


def _reference_rows(text: str) -> list[list[str]]:
    """The records Python's csv module reads, blank rows left out (header first)."""
    return [row for row in csv.reader(io.StringIO(text, newline=""), strict=True)
            if row and any(cell.strip() for cell in row)]


@pytest.mark.parametrize("name", sorted(TRICKY_CSV))
def test_cells_read_equal_the_csv_modules(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells are read by Arrow when the csv module's pass finds the file plain; either way they must be the
    csv module's, every one as text (never read as missing or as a number)."""
    text = TRICKY_CSV[name]
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    arrow_read = []
    real = validate._arrow_cells
    monkeypatch.setattr(validate, "_arrow_cells", lambda *args: arrow_read.append(real(*args)) or arrow_read[-1])
    table, problems = read_table(path, ("a", "b"))
    assert problems == [] and table is not None
    reference = _reference_rows(text)
    assert list(table.frame.columns) == [cell.strip() for cell in reference[0]]
    assert table.frame.astype(object).values.tolist() == reference[1:]
    if name not in ("rows_of_empty_cells", "header_with_spaces"):
        assert arrow_read and arrow_read[0] is not None, "Arrow should have read this plain file"


@pytest.mark.parametrize("data", ["fixture", "shipped", "hostile"])
def test_real_files_read_equal_the_csv_modules(tmp_path: Path, data: str) -> None:
    from hostile import make_hostile_dataset

    folder = {"fixture": VALID, "shipped": PROJECT / "data"}.get(data) or make_hostile_dataset(tmp_path / "h")
    for name, columns in schema.FILES.items():
        text = (folder / name).read_text(encoding="utf-8-sig")
        table, problems = read_table(folder / name, columns)
        assert problems == [], problems
        reference = _reference_rows(text)
        assert table.frame.astype(object).values.tolist() == reference[1:], name
        # each record's first line, as the csv module counts lines
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        starts, line = [], 1
        for row in reader:
            if row and any(cell.strip() for cell in row):
                starts.append(line)
            line = reader.line_num + 1
        assert table.lines == starts[1:], name

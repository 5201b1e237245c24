"""A corpus of bad data files: each gets a clear message from `validate` and from the app, the app
keeps running, and no file is changed."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from conftest import PROJECT, set_cell
from streamlit.testing.v1 import AppTest

from crisisboard.data.validate import validate_dataset


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def malformed(d: Path) -> None:
    _append(d / "sources.csv", "just,three,fields\n")


def unbalanced_quote(d: Path) -> None:
    _append(d / "incidents.csv", 'i-x,2010-06-20,,exact,city-a,violence,"Fixture: never closed,fx-ngo-1\n')


def wrong_encoding(d: Path) -> None:
    path = d / "places.csv"
    path.write_bytes(path.read_bytes().replace(b"Fixture City A", "Fixture Citè A".encode("latin-1")))


def excel_date(d: Path) -> None:
    set_cell(d, "claims.csv", 2, "as_of", "6/14/2010")


def empty_file(d: Path) -> None:
    (d / "claims.csv").write_bytes(b"")


def blank_rows_only(d: Path) -> None:
    (d / "incidents.csv").write_text(",,,,\n  ,\n\n", encoding="utf-8")  # not empty, yet no header row


def huge_cell(d: Path) -> None:
    _append(d / "sources.csv", "fx-huge,Fixture,ngo,\"" + "x" * 300_000 + "\",https://example.org,,2010-06-12,exact,"
                               "en,,\n")


def duplicate_id(d: Path) -> None:
    set_cell(d, "sources.csv", 1, "source_id", "fx-ngo-1")


def dangling_reference(d: Path) -> None:
    set_cell(d, "claims.csv", 4, "place_id", "nowhere")


def out_of_range(d: Path) -> None:
    set_cell(d, "places.csv", 1, "lon", "272.3")


def formula_cell(d: Path) -> None:
    set_cell(d, "claims.csv", 1, "grade_rationale", '=HYPERLINK("http://evil.example","click")')


CORPUS: list[tuple[Callable[[Path], None], str, str]] = [
    (malformed, "sources.csv", "fields but the header has"),
    (unbalanced_quote, "incidents.csv", "not valid CSV"),
    (wrong_encoding, "places.csv", "not valid UTF-8"),
    (excel_date, "claims.csv", "must be a date"),
    (empty_file, "claims.csv", "file is empty"),
    (blank_rows_only, "incidents.csv", "file is empty"),
    (huge_cell, "sources.csv", "must be at most 500 characters"),  # read, then named by its rule
    (duplicate_id, "sources.csv", "must be unique"),
    (dangling_reference, "claims.csv", "must be a place_id of places.csv"),
    (out_of_range, "places.csv", "must be a number between -180 and 180"),
    (formula_cell, "claims.csv", "must not start with =, +, - or @"),
]


@pytest.mark.parametrize("breaker,file,fragment", CORPUS, ids=[c[0].__name__ for c in CORPUS])
def test_bad_file_gets_a_clear_message_everywhere_and_nothing_is_written(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch, breaker, file: str, fragment: str) -> None:  # noqa: ANN001
    breaker(dataset_copy)
    before = {p.name: p.read_bytes() for p in dataset_copy.iterdir() if p.is_file()}
    problems = validate_dataset(dataset_copy).problems
    assert any(p.file == file and fragment in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line >= 0 and p.field for p in problems)
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    at = AppTest.from_file(str(PROJECT / "pages" / "overview.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The data could not be loaded"]
    assert fragment in at.code[0].value
    assert {p.name: p.read_bytes() for p in dataset_copy.iterdir() if p.is_file()} == before

"""Turning an upload into text and the review table into claims.csv rows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from crisisboard.ingest.intake import (
    MAX_UPLOAD_BYTES,
    IntakeError,
    accepted_claims,
    html_to_text,
    read_upload,
    source_row,
    statement_id_for,
)


def test_html_upload_becomes_visible_text_only() -> None:
    page = (b"<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1>"
            b"<p>At least 40 people were killed.</p><p>Fixture &amp; more</p></body></html>")
    text, warnings = read_upload("release.html", page)
    assert text == "Title\n\nAt least 40 people were killed.\n\nFixture & more" and warnings == []
    assert "alert" not in html_to_text(page.decode())


def test_uploads_are_limited_and_typed() -> None:
    with pytest.raises(IntakeError, match="the limit is 2 MB"):
        read_upload("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(IntakeError, match="only .txt and .html"):
        read_upload("claims.xlsx", b"PK\x03\x04")
    with pytest.raises(IntakeError, match="empty"):
        read_upload("empty.txt", b"  \n")


def test_a_legacy_encoding_is_read_with_a_warning() -> None:
    text, warnings = read_upload("ru.txt", "Погибли 138 человек".encode("cp1251"))
    assert text == "Погибли 138 человек" and "not UTF-8" in warnings[0]


def test_only_ticked_rows_become_claims_with_a_statement_id() -> None:
    table = pd.DataFrame([
        {"accept": True, "quote": "at least 40 killed", "figure_text": "at least 40", "metric": "killed", "low": "40",
         "high": "", "qualifier": "at_least", "as_of": "2010-06-12", "claimant": "Fixture Ministry"},
        {"accept": False, "quote": "hundreds fled", "figure_text": "hundreds", "metric": "displaced_total"},
    ])
    rows = accepted_claims(table)
    assert len(rows) == 1 and rows[0]["low"] == "40" and "claim_id" not in rows[0]
    assert rows[0]["statement_id"] == "st-fixture-ministry-killed-40-20100612"
    assert statement_id_for({"metric": "killed", "vague_term": "hundreds"}) == "st-unknown-killed-hundreds"


def test_source_row_has_a_slug_id() -> None:
    row = source_row(" https://example.org/x ", "Fixture Paper", "media", "A Title!", date(2010, 6, 16), "exact",
                     "EN", "")
    assert re.fullmatch(r"fixture-paper-2010-06-16-a-title-[0-9a-f]{10}", row["source_id"])
    assert row["url"] == "https://example.org/x"
    assert row["language"] == "en"


ENCODINGS = Path(__file__).parent / "fixtures" / "encodings"
WIDE = ["utf-32le-bom", "utf-32be-bom", "utf-32le", "utf-32be", "utf-16le-bom", "utf-16be-bom", "utf-16le", "utf-16be"]


@pytest.mark.parametrize("name", WIDE)
def test_utf16_and_utf32_uploads_are_read_as_the_same_text(name: str) -> None:
    """Each fixture holds the UTF-8 file's text (fixtures/encodings/README.md); a file without a byte-order
    mark is read with a warning naming the encoding it was read as."""
    expected = (ENCODINGS / "release.utf-8.txt").read_text(encoding="utf-8")
    text, warnings = read_upload(f"release.{name}.txt", (ENCODINGS / f"release.{name}.txt").read_bytes())
    assert text == expected
    if name.endswith("-bom"):
        assert warnings == []
    else:
        assert warnings == [f"release.{name}.txt has no byte-order mark; it was read as "
                            f"UTF-{name[4:6]}-{name[6:8].upper()}"]


@pytest.mark.parametrize("content,why", [
    (b"\xff\xfe\x00\x00" + "40 killed".encode("utf-32-le")[:-2], "starts with a UTF-32 byte-order mark but is not UTF-32"),
    (b"\x00\x00\xfe\xff" + b"\x00\x11\x00\x00" * 3, "starts with a UTF-32 byte-order mark but is not UTF-32"),  # beyond U+10FFFF
    (b"\xff\xfe" + "40 killed".encode("utf-32-le")[4:], "holds NUL characters"),  # UTF-16's mark, UTF-32's bytes
    (b"At least 40\x00\x00\x07\x00\x00\x03\x81 killed", "holds NUL bytes"),  # binary, neither UTF-16 nor UTF-32
])
def test_bytes_that_are_not_the_text_their_marks_say_are_refused_with_what_to_do(content: bytes, why: str) -> None:
    with pytest.raises(IntakeError) as refused:
        read_upload("release.txt", content)
    assert f"release.txt could not be read as text (it {why}" in str(refused.value)
    assert "save it as UTF-8" in str(refused.value)

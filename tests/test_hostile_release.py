"""Hostile input through the Add-a-release page: bad uploads and pastes get a clear message, the page
keeps running, nothing is written; hostile metadata is refused at save time with the rule it breaks."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT, shown
from streamlit.testing.v1 import AppTest

from crisisboard.data.store import SaveError, append_release
from crisisboard.ingest.intake import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, source_row

HOSTILE_HTML = (b"<html><head><script>alert('x')</script><style>p{}</style></head><body>"
                b"<p>At least 40 people were killed in Fixture City A on 12 June.</p>"
                b"<img src=x onerror=\"alert('y')\"><a href=\"javascript:alert('z')\">link</a></body></html>")
RANDOM = random.Random(8).randbytes(300_000)

# (file name, bytes, what the page must say, whether candidates may follow)
UPLOADS = [
    ("script.html", HOSTILE_HTML, None, True),
    ("legacy.txt", "Погибли по меньшей мере 40 человек в Оше.".encode("cp1251"), "not UTF-8", True),
    ("random.txt", RANDOM, "could not be read as text", False),  # binary (NUL bytes): refused, not guessed
    ("huge.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "the limit is 2 MB", False),
    ("empty.txt", b"  \n ", "is empty", False),
]


def _state(data_dir: Path) -> dict[str, bytes]:
    """Every file under the data folder, but the (empty) lock file a save attempt takes."""
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*")
            if p.is_file() and p.name != ".crisisboard.lock"}


def _page(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CRISISBOARD_DATA", str(data_dir))
    monkeypatch.chdir(PROJECT)
    return AppTest.from_file(str(PROJECT / "pages" / "add_release.py"), default_timeout=60).run()


@pytest.mark.parametrize("name,content,message,proceeds", UPLOADS, ids=[u[0] for u in UPLOADS])
def test_a_hostile_upload_gets_a_clear_message_and_writes_nothing(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes, message: str | None,
        proceeds: bool) -> None:
    before = _state(dataset_copy)
    at = _page(dataset_copy, monkeypatch)
    at.get("file_uploader")[0].set_value((name, content, "text/plain")).run()
    assert not at.exception, at.exception
    said = " ".join(shown(e.value) for e in [*at.error, *at.warning, *at.info])
    if message:
        assert message in said, said
    assert any(s.value == "3. Candidate claims" for s in at.subheader) == proceeds
    on_page = " ".join(m.value for m in [*at.markdown, *at.caption, *at.warning]) + " ".join(
        str(t.value) for t in at.text_input)
    assert "<script" not in on_page and "onerror" not in on_page and "javascript:" not in on_page
    at.button(key="save_release").click().run() if proceeds else None
    assert not at.exception
    assert _state(dataset_copy) == before


def test_the_hostile_html_upload_keeps_only_its_visible_text(dataset_copy: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(dataset_copy, monkeypatch)
    at.get("file_uploader")[0].set_value(("script.html", HOSTILE_HTML, "text/html")).run()
    candidates = " ".join(c.value for c in at.caption)
    assert "1 candidates" in candidates or "2 candidates" in candidates, candidates


def test_the_uploader_takes_only_text_and_html(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # other types are refused by the browser before upload, and by Streamlit on the server;
    # read_upload refuses them too (test_intake)
    at = _page(dataset_copy, monkeypatch)
    assert sorted(at.get("file_uploader")[0].allowed_type) == [".htm", ".html", ".txt"]


def test_a_pasted_text_over_the_limit_is_refused(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(dataset_copy)
    at = _page(dataset_copy, monkeypatch)
    at.text_area(key="release_text").set_value("killed " * (MAX_TEXT_CHARS // 7 + 10)).run()
    assert not at.exception
    assert any("the limit is 200,000" in shown(e.value) for e in at.error)
    assert not [s for s in at.subheader if s.value == "3. Candidate claims"]
    assert _state(dataset_copy) == before


def test_pasted_control_characters_and_html_do_not_break_the_page(dataset_copy: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(dataset_copy, monkeypatch)
    text = ("URL: javascript:alert(1)\nTITLE: =HYPERLINK(\"http://evil.example\")\nPUBLISHER: <b>x</b>\n\n"
            "\x00\x07 At least 40 people were killed \u202e in Fixture City A. <script>alert(1)</script>")
    at.text_area(key="release_text").set_value(text).run()
    assert not at.exception
    assert at.text_input(key="meta_title").value.startswith("=HYPERLINK")  # shown as typed, refused on save


CLAIM = {"statement_id": "st-fx-hostile", "quote": "At least 40 people were killed", "figure_text": "At least 40",
         "metric": "killed", "population": "all", "low": "40", "high": "", "qualifier": "at_least", "vague_term": "",
         "as_of": "2010-06-12", "as_of_precision": "exact", "place_id": "city-a", "claimant": "unknown",
         "claimant_type": "unknown", "relayed_by": "", "status_in_text": "reported", "claim_kind": "cumulative",
         "scope": "crisis", "source_reliability": "F", "info_credibility": "6", "grade_rationale": "Not yet graded.", "notes": ""}

HOSTILE_METADATA = [
    (dict(url="javascript:alert(1)"), "url"),
    (dict(title="=HYPERLINK(\"http://evil.example\",\"x\")"), "title"),
    (dict(publisher="+cmd|' /C calc'!A0"), "publisher"),
    (dict(notes="@SUM(1+1)*cmd"), "notes"),
    (dict(language="english"), "language"),
]


@pytest.mark.parametrize("override,field", HOSTILE_METADATA, ids=[f for _, f in HOSTILE_METADATA])
def test_hostile_metadata_is_refused_on_save_naming_the_field(dataset_copy: Path, override: dict,
                                                              field: str) -> None:
    before = _state(dataset_copy)
    values = dict(url="https://example.org/r", publisher="Fixture Paper", publisher_type="media", title="A release",
                  published=date(2010, 6, 13), published_precision="exact", language="en", notes="")
    values.update(override)
    with pytest.raises(SaveError) as caught:
        append_release(dataset_copy, source_row(**values), [CLAIM])
    assert any(p.file == "sources.csv" and p.field == field for p in caught.value.problems), \
        [str(p) for p in caught.value.problems]
    assert _state(dataset_copy) == before

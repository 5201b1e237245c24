"""The Review and Changes pages stay up whatever the review store holds (issue #30): a 250-figure release
waiting for review, a 200,000-character reason typed by a reviewer, a proposals.csv with a row written badly by
hand, and a long reason in history.csv read by an anonymous visitor. Real pages (Streamlit's AppTest), a real
data folder and store; only who is signed in is set by the test (crisisboard.app.auth.current_actor), since
sign-in is not what these tests are about, and the store checks the role again itself."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import PROJECT, shown
from streamlit.testing.v1 import AppTest
from test_review_store import _rows, big_release, default_csv_limit  # noqa: F401 - an autouse fixture
from test_store import SOURCE

from crisisboard.app import auth
from crisisboard.data.backends import CsvStore
from crisisboard.data.history import Change, append_history
from crisisboard.data.users import ANONYMOUS, Actor

ANA = Actor("ana@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")


def _page(page: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, actor: Actor) -> AppTest:
    monkeypatch.setenv("CRISISBOARD_DATA", str(data_dir))
    monkeypatch.chdir(PROJECT)
    monkeypatch.setattr(auth, "current_actor", lambda *_args, **_kwargs: actor)
    return AppTest.from_file(str(PROJECT / "pages" / page), default_timeout=120).run()


def _said(at: AppTest) -> str:
    return " ".join(shown(e.value) for e in [*at.error, *at.warning, *at.info, *at.success, *at.markdown, *at.subheader,
                                              *at.caption])


def test_a_250_figure_release_leaves_the_review_page_working(dataset_copy: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = CsvStore(dataset_copy)
    release = store.propose_release(SOURCE, big_release(), ANA, "the paper's table of districts").proposal
    edit = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    at = _page("review.py", dataset_copy, monkeypatch, REV)
    assert not at.exception, at.exception
    said = _said(at)
    assert release.proposal_id in said and edit.proposal_id in said and "Waiting for review (2)" in said
    [table] = [h.proto.body for h in at.html if f"What {release.proposal_id} would change" in h.proto.body]
    assert table.count("<tr>") == 251 and "district 249" in table and "Counted from the release" in table
    at.text_input(key=f"why_{release.proposal_id}").input("checked against the text")
    at.button(key=f"approve_{release.proposal_id}").click().run()
    assert not at.exception, at.exception
    assert f"Proposal {release.proposal_id} approved and published (250 claim(s)" in _said(at)


def test_a_200000_character_reason_is_refused_with_a_message_and_the_page_keeps_it(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit = CsvStore(dataset_copy).propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print",
                                                None).proposal
    at = _page("review.py", dataset_copy, monkeypatch, REV)
    long = "because " * 24_999 + "because."
    at.text_input(key=f"why_{edit.proposal_id}").input(long)
    at.button(key=f"reject_{edit.proposal_id}").click().run()
    assert not at.exception, at.exception
    assert any("the reason (Why) is 200,000 characters long; the limit is 2,000" in shown(e.value) for e in at.error)
    assert at.text_input(key=f"why_{edit.proposal_id}").value == long  # nothing typed is lost
    assert [p.status for p in CsvStore(dataset_copy).proposals()] == ["pending"]
    at.text_input(key=f"why_{edit.proposal_id}").input("not in the text").run()
    at.button(key=f"reject_{edit.proposal_id}").click().run()
    assert not at.exception and [p.status for p in CsvStore(dataset_copy).proposals()] == ["rejected"]


@pytest.mark.parametrize("damage", ["oversized", "garbled"])
def test_a_bad_row_in_proposals_csv_is_named_and_the_others_are_drawn(dataset_copy: Path, damage: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = CsvStore(dataset_copy)
    first = store.propose_edit("fx-01", {"notes": "first"}, ANA, "first", None).proposal
    second = store.propose_edit("fx-02", {"notes": "second"}, ANA, "second", None).proposal
    path = dataset_copy / "proposals.csv"
    header, *rows = _rows(path)
    bad = list(rows[0])
    bad[0] = "p-handmade"
    bad[4] = json.dumps({"claim_id": "fx-03", "fields": {"notes": "x" * 200_000}}) + ("" if damage == "oversized"
                                                                                          else "}{")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, rows[0], bad, rows[1]])
    at = _page("review.py", dataset_copy, monkeypatch, REV)
    assert not at.exception, at.exception
    said = _said(at)
    assert first.proposal_id in said and second.proposal_id in said
    if damage == "garbled":
        assert any("Proposal p-handmade (line 3 of proposals.csv) cannot be read" in shown(e.value)
                   for e in at.error), said
        assert "Waiting for review (2)" in said
    else:  # a long field is no fault: the proposal is read and drawn like the others
        assert "p-handmade" in said and "Waiting for review (3)" in said


def test_the_changes_page_works_for_anonymous_visitors_with_a_long_reason_in_the_history(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = "the ministry's figures were revised " * 6_000  # 216,000 characters, written before any bound
    append_history(dataset_copy, [Change("2099-01-01T10:00:00Z", "ana@example.org", "edit", "claims", "fx-01",
                                         "notes", "", "x", reason)])
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / "pages" / "changes.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("change(s) since" in shown(c.value) for c in at.caption)
    assert ANONYMOUS.role == "viewer"

"""An edition's manifest names the reviewers who approved the changes since the previous edition (issue #32):
approvals recorded by the real CSV store, the clock of the review set by the test so that "before" and "after"
the previous edition do not fall in one second."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crisisboard.data import review
from crisisboard.data.backends import CsvStore
from crisisboard.data.history import Change
from crisisboard.data.users import Actor
from crisisboard.publish.edition import publish

ANA = Actor("ana@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")
REV2 = Actor("second@example.org", "reviewer")


def _approve(store: CsvStore, claim_id: str, notes: str, reviewer: Actor, at: str,
             monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(review, "now", lambda: at)
    proposal = store.propose_edit(claim_id, {"notes": notes}, ANA, notes, None).proposal
    store.approve(proposal.proposal_id, reviewer, "checked")
    return proposal.proposal_id


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_lists_the_approvals_since_the_previous_edition_only(
        dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CsvStore(dataset_copy)
    first = _approve(store, "fx-01", "seen in print", REV, "2030-01-01T00:00:00Z", monkeypatch)
    v1 = publish(dataset_copy, tmp_path / "out", now=datetime(2030, 1, 1, 1, tzinfo=UTC), images=False)
    assert _manifest(v1.folder)["approvals"] == [{"who": REV.email, "at": "2030-01-01T00:00:00Z",
                                                  "proposal": first}]
    assert _manifest(v1.folder)["reviewers"] == [REV.email]
    second = _approve(store, "fx-02", "seen on air", REV2, "2030-01-01T02:00:00Z", monkeypatch)
    third = _approve(store, "fx-01", "seen twice", REV2, "2030-01-01T02:30:00Z", monkeypatch)
    v2 = publish(dataset_copy, tmp_path / "out", now=datetime(2030, 1, 1, 3, tzinfo=UTC), images=False)
    manifest = _manifest(v2.folder)
    assert v2.edition == 2 and manifest["reviewers"] == [REV2.email]  # rev's approval went into edition 1
    assert [a["proposal"] for a in manifest["approvals"]] == [second, third]
    assert _manifest(tmp_path / "out" / v2.folder.parent.name / "latest")["reviewers"] == [REV2.email]


def test_a_history_given_is_read_instead_of_history_csv(dataset_copy: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _approve(CsvStore(dataset_copy), "fx-01", "seen in print", REV, "2030-01-01T00:00:00Z", monkeypatch)
    given = [Change("2030-01-01T00:00:01Z", "db@example.org", "approve", "proposals", "p-db-1", new="an edit"),
             Change("2030-01-01T00:00:01Z", "db@example.org", "approve", "claims", "fx-01", new="p-db-1"),
             Change("2030-01-01T00:00:02Z", "ana@example.org", "propose", "proposals", "p-db-2")]
    done = publish(dataset_copy, tmp_path / "out", history=given, images=False)
    manifest = _manifest(done.folder)
    assert manifest["reviewers"] == ["db@example.org"]
    assert manifest["approvals"] == [{"who": "db@example.org", "at": "2030-01-01T00:00:01Z", "proposal": "p-db-1"}]


def test_no_approval_means_no_reviewer(dataset_copy: Path, tmp_path: Path) -> None:
    manifest = _manifest(publish(dataset_copy, tmp_path / "out", images=False).folder)
    assert manifest["reviewers"] == [] and manifest["approvals"] == []

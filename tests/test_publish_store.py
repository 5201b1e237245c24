"""Publishing a store's approved data (crisisboard.publish.workbench, the Review page's Publish edition) from
either backend: the CSV folder, and a real PostgreSQL server (tests/pg_server.py) whose crisis is exported to a
scratch folder and published with the database's own history."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from store_fixtures import pg_admin, pg_url, store  # noqa: F401 - the fixtures, over either backend

from crisisboard.data.backends import Store
from crisisboard.data.users import Actor, PermissionDenied
from crisisboard.publish.workbench import latest_edition, publish_store

ANA = Actor("ana@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")



def _notes(folder: Path, claim_id: str) -> str:
    text = (folder / "data" / "claims.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))[1:]  # the second row holds the HXL tags
    return next(r["notes"] for r in rows if r["claim_id"] == claim_id)


def test_either_store_publishes_its_approved_data_with_its_reviewers(store: Store, tmp_path: Path) -> None:
    proposal = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    store.approve(proposal.proposal_id, REV, "checked against the release")
    pending = store.propose_edit("fx-02", {"notes": "a draft"}, ANA, "not yet reviewed", None).proposal
    out = tmp_path / "public"
    done = publish_store(store, REV, out)
    assert done.new and done.edition == 1 and done.folder == out / store.crisis / "v1"
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reviewers"] == [REV.email]
    assert [a["proposal"] for a in manifest["approvals"]] == [proposal.proposal_id]
    assert _notes(done.folder, "fx-01") == "seen in print"
    assert _notes(done.folder, "fx-02") != "a draft" and pending.status == "pending"  # never a proposal
    assert latest_edition(out, store.crisis).edition == 1
    assert not publish_store(store, REV, out).new  # nothing changed: no edition 2


def test_a_store_that_took_the_role_away_refuses_to_publish(store: Store, tmp_path: Path) -> None:
    admin = Actor("adm@example.org", "admin")
    store.set_role("adm@example.org", "admin", admin, "the desk's admin")
    store.set_role("rev@example.org", "analyst", admin, "moved to research")
    refused = r"rev@example.org no longer has a role that may publish \(now: analyst\)"
    with pytest.raises(PermissionDenied, match=refused):
        publish_store(store, REV, tmp_path / "public")
    assert not (tmp_path / "public").exists()

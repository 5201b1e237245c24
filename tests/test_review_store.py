"""The review store cannot be broken by what it accepts (issue #30): every field bounded, any field length read,
one bad proposal never blocking the others, a 250-figure release proposed, reviewed and approved, only editable
fields proposed, and approval re-checking the roles the store holds now. Both stores (tests/test_store_contract.py
shows how), the PostgreSQL one a real server."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

import pytest
from test_store import SOURCE, claim
from test_store_contract import ANA, LEAD, REV, ADMIN, _exported, pg_admin, pg_url, store  # noqa: F401 - fixtures

from crisisboard.data.backends import CsvStore, Store
from crisisboard.data.history import HISTORY_FILE, Change, append_history, read_history
from crisisboard.data.review import PROPOSALS_FILE, read_proposals
from crisisboard.data.store import SaveError
from crisisboard.data.users import PermissionDenied

CSV_LIMIT = 131_072  # Python's csv.field_size_limit() by default: one field longer made a file unreadable
MAX_REASON, MAX_CLAIMS, MAX_PAYLOAD = 2_000, 500, 3_000_000  # crisisboard.data.limits, as documented there
NOTE = "Counted from the release's table of districts; the wire repeated it the next day without a date. "


@pytest.fixture(autouse=True)
def default_csv_limit() -> Iterator[None]:
    """Each test starts with Python's default field limit, as a fresh server process does (another test, or
    the code under test, may have raised it for the whole process)."""
    csv.field_size_limit(CSV_LIMIT)
    yield
    csv.field_size_limit(CSV_LIMIT)


def big_release(n: int = 250) -> list[dict[str, str]]:
    """A release of `n` figures, all ticked, each with a note and a rationale as an analyst writes them."""
    claims = []
    for i in range(n):
        row = claim(f"the paper counted {1000 + i} dead in district {i}", str(1000 + i), str(1000 + i))
        row.update(notes=NOTE * 2, grade_rationale="Media report of an official count, not seen elsewhere.")
        claims.append(row)
    return claims


def test_a_250_figure_release_is_over_the_csv_modules_field_limit_and_within_the_bounds() -> None:
    payload = json.dumps({"source": SOURCE, "claims": big_release()}, ensure_ascii=False, sort_keys=True)
    from crisisboard.data import limits

    assert CSV_LIMIT < len(payload) < MAX_PAYLOAD and 250 <= MAX_CLAIMS
    assert (limits.MAX_REASON_CHARS, limits.MAX_RELEASE_CLAIMS, limits.MAX_PROPOSAL_CHARS) == \
        (MAX_REASON, MAX_CLAIMS, MAX_PAYLOAD)


def test_a_250_figure_release_is_proposed_reviewed_and_approved(store: Store, tmp_path: Path) -> None:
    proposed = store.propose_release(SOURCE, big_release(), ANA, "the paper's table of districts").proposal
    later = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "a later proposal", None).proposal
    pending = {p.proposal_id: p for p in store.proposals()}  # readable, with the long one
    assert set(pending) == {proposed.proposal_id, later.proposal_id}
    assert len(pending[proposed.proposal_id].data["claims"]) == 250
    report = store.approve(proposed.proposal_id, REV, "checked against the text").report
    assert len(report.claim_ids) == 250
    assert store.approve(later.proposal_id, REV, "checked").changes
    assert [p.status for p in store.proposals()] == ["approved", "approved"]
    assert "the paper counted 1249 dead in district 249" in _exported(store, tmp_path)["claims.csv"].decode()


@pytest.mark.parametrize("where", ["propose", "approve", "reject"])
def test_a_200000_character_reason_is_refused_naming_the_field_and_the_limit(store: Store, where: str,
                                                                            tmp_path: Path) -> None:
    long = "because " * 24_999 + "because."  # 200,000 characters
    before = _exported(store, tmp_path, "before")
    if where == "propose":
        with pytest.raises(SaveError, match=r"the reason \(Why\) is 200,000 characters long; the limit is 2,000"):
            store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, long, None)
        assert store.proposals() == []
    else:
        pending = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
        with pytest.raises(SaveError, match="the limit is 2,000"):
            getattr(store, where)(pending.proposal_id, REV, long)
        assert [p.status for p in store.proposals()] == ["pending"]
    assert all(len(c.reason) <= MAX_REASON for c in store.history())
    assert _exported(store, tmp_path, "after") == before


def test_a_reason_is_kept_as_typed_but_for_control_characters(store: Store) -> None:
    typed = "=HYPERLINK(\"http://x\") +1 -1 @a\u202e\x07 as the paper said"
    pending = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, typed, None).proposal
    kept = 'HYPERLINK("http://x") +1 -1 @a as the paper said'
    assert pending.reason == "=" + kept
    assert [p.reason for p in store.proposals()] == ["=" + kept]  # what is read back is what was written
    assert store.history(pending.proposal_id)[0].reason == "=" + kept


def test_a_release_over_its_bounds_is_refused_with_the_limit(store: Store) -> None:
    many = big_release(MAX_CLAIMS + 1)
    with pytest.raises(SaveError, match="501 ticked claims; the limit is 500"):
        store.propose_release(SOURCE, many, ANA, "too many")
    huge = big_release(3)
    huge[0]["notes"] = "n" * (MAX_PAYLOAD + 1)
    with pytest.raises(SaveError, match="the limit is 3,000,000"):
        store.propose_release(SOURCE, huge, ANA, "too long")
    assert store.proposals() == []


@pytest.mark.parametrize("fields", [{"retracted": "2010-06-20"}, {"claim_id": "fx-99"}, {"source_id": "fx-wire-2"},
                                    {"notes": "fine", "retracted": "2010-06-20"}, {"no_such_column": "x"}])
def test_an_edit_may_set_only_editable_fields(store: Store, fields: dict[str, str], tmp_path: Path) -> None:
    before = _exported(store, tmp_path, "before")
    with pytest.raises(SaveError, match="cannot be changed by an edit"):
        store.propose_edit("fx-01", fields, REV, "an edit", None)
    assert store.proposals() == [] and _exported(store, tmp_path, "after") == before


def test_a_release_cannot_set_a_retraction_or_an_id() -> None:
    store_free = big_release(1)
    for extra in ({"retracted": "2010-06-20"}, {"claim_id": "fx-01"}):
        with pytest.raises(SaveError, match="cannot be set by a release"):
            CsvStore(Path("/nonexistent")).propose_release(SOURCE, [{**store_free[0], **extra}], ANA, "why")


def _users(store: Store) -> None:
    for who in (ANA, REV, LEAD):
        store.set_role(who.email, who.role, ADMIN, "on the desk")


@pytest.mark.parametrize("removed", ["proposer", "approver"])
def test_an_approval_rechecks_the_current_roles_of_proposer_and_approver(store: Store, removed: str,
                                                                         tmp_path: Path) -> None:
    _users(store)
    pending = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    gone = ANA if removed == "proposer" else REV
    store.set_role(gone.email, None, ADMIN, "left the desk")
    before = _exported(store, tmp_path, "before")
    with pytest.raises(PermissionDenied, match=f"{gone.email}.* no longer has"):
        store.approve(pending.proposal_id, REV, "checked")  # REV's Actor still says reviewer: the store decides
    assert _exported(store, tmp_path, "after") == before
    assert [p.status for p in store.proposals()] == ["pending"]
    if removed == "proposer":  # another reviewer can still reject it
        assert store.reject(pending.proposal_id, LEAD, "the analyst left").proposal.status == "rejected"


def test_a_removed_proposer_stays_refused_when_no_user_is_left(store: Store) -> None:
    store.set_role(ANA.email, ANA.role, ADMIN, "on the desk")
    pending = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    store.set_role(ANA.email, None, ADMIN, "left the desk")
    assert store.users() == {}
    with pytest.raises(PermissionDenied, match="ana@example.org, who proposed .* no longer has"):
        store.approve(pending.proposal_id, REV, "checked")


def test_a_demoted_approver_cannot_approve(store: Store) -> None:
    _users(store)
    pending = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    store.set_role(REV.email, "analyst", ADMIN, "back to analysis")
    with pytest.raises(PermissionDenied, match="rev@example.org no longer has a reviewer's role \\(now: analyst\\)"):
        store.approve(pending.proposal_id, REV, "checked")
    assert store.approve(pending.proposal_id, LEAD, "checked").proposal.status == "approved"


# --- the CSV store's own files, written by hand --------------------------------------------------------------

def _csv_store(dataset_copy: Path) -> CsvStore:
    store = CsvStore(dataset_copy)
    store.propose_edit("fx-01", {"notes": "first"}, ANA, "first", None)
    store.propose_edit("fx-02", {"notes": "second"}, ANA, "second", None)
    return store


def _rows(path: Path) -> list[list[str]]:
    """The file's rows, read by the test itself (the process's field limit left as it was)."""
    limit = csv.field_size_limit(10**9)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
    finally:
        csv.field_size_limit(limit)


@pytest.mark.parametrize("damage", ["oversized", "bad json", "too few cells", "unknown kind"])
def test_one_bad_proposal_row_is_named_and_the_others_are_read_and_kept(dataset_copy: Path, damage: str) -> None:
    store = _csv_store(dataset_copy)
    path = dataset_copy / PROPOSALS_FILE
    rows = _rows(path)
    bad = list(rows[1])
    bad[0] = "p-broken"
    if damage == "oversized":
        bad[4] = json.dumps({"claim_id": "fx-01", "fields": {"notes": "x" * 200_000}, "old": {}})
        bad[1] = "nonsense"  # and of a kind the review does not know
    elif damage == "bad json":
        bad[4] = '{"claim_id": "fx-01", "fields": '
    elif damage == "too few cells":
        bad = bad[:5]
    else:
        bad[1] = "delete_everything"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([rows[0], rows[1], bad, rows[2]])
    assert [p.target for p in store.proposals()] == ["fx-01", "fx-02"]
    [unreadable] = store.unreadable_proposals()
    assert unreadable.line == 3 and unreadable.proposal_id == "p-broken"
    assert "p-broken (line 3 of proposals.csv) cannot be read: " in unreadable.sentence()
    store.propose_edit("fx-03", {"notes": "third"}, ANA, "third", None)  # later proposals still work
    first = store.proposals()[0]
    store.approve(first.proposal_id, REV, "checked")
    assert _rows(path)[2] == bad  # the bad row is kept as it was, for an admin to repair
    assert [p.status for p in store.proposals()] == ["approved", "pending", "pending"]


def test_history_and_proposals_with_fields_over_the_csv_limit_are_read(dataset_copy: Path) -> None:
    reason = "r" * 200_000
    append_history(dataset_copy, [Change("2026-12-01T10:00:00Z", "ana@example.org", "edit", "claims", "fx-01",
                                         "notes", "", "x", reason)])
    assert read_history(dataset_copy, "fx-01")[-1].reason == reason
    store = CsvStore(dataset_copy)
    store.propose_release(SOURCE, big_release(), ANA, "the table")
    assert len(read_proposals(dataset_copy)[0].payload) > CSV_LIMIT
    assert len(store.history()) > 0 and store.proposals()[0].kind == "release"
    assert HISTORY_FILE in {p.name for p in dataset_copy.iterdir()}


# --- formulas: inert in every file meant for a spreadsheet, kept exactly in the store's own files --------------

FORMULAS = ("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)")


def test_formula_like_reasons_are_kept_exactly_in_the_store_and_inert_in_changes_csv(store: Store,
                                                                                   tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from crisisboard.claims.audience import STAFF
    from crisisboard.claims.changes import changes_since
    from crisisboard.claims.tables import download_csv
    from crisisboard.data.load import load_dataset

    claims = [f"fx-0{i + 1}" for i in range(len(FORMULAS))]  # one claim each: the Changes list joins the
    for claim_id, reason in zip(claims, FORMULAS):               # edits of one claim made in one second
        pending = store.propose_edit(claim_id, {"notes": f"note of {claim_id}"}, ANA, reason,
                                     store.claim_version(claim_id))
        store.approve(pending.proposal.proposal_id, REV, reason)
    assert [p.reason for p in store.proposals()] == list(FORMULAS)  # round trip: read back as written
    assert [p.decision_reason for p in store.proposals()] == list(FORMULAS)
    for claim_id, reason in zip(claims, FORMULAS):
        assert [c.reason for c in store.history(claim_id) if c.action == "edit"] == [reason]
    store.export(tmp_path / "out")
    changes = changes_since(store.history(), load_dataset(tmp_path / "out", cache=False),
                            datetime(2000, 1, 1, tzinfo=timezone.utc), STAFF)  # the reasons: staff's changes.csv
    rows = list(csv.DictReader(download_csv(changes).decode("utf-8-sig").splitlines()))
    reasons = {r["reason"] for r in rows if r["claim_id"] in claims} - {"the fixture dataset"}  # PostgreSQL's import
    assert reasons == {"'" + f for f in FORMULAS}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_a_file_unreadable_past_a_line_is_named_and_never_rewritten(dataset_copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A field beyond even the raised limit (csvtext.FIELD_LIMIT, 64 MiB; here a limit of 1,000 stands in for
    it): the proposals before it are read, the line is named, and no save rewrites the file and loses the rest."""
    from crisisboard.data import proposals

    store = _csv_store(dataset_copy)
    path = dataset_copy / PROPOSALS_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.write('p-huge,edit,fx-03,s,"' + "x" * 5_000 + '",ana@example.org,t,why,pending,,,\n')
    before, data = path.read_bytes(), _exported(store, dataset_copy.parent, "before")
    monkeypatch.setattr(proposals, "raise_field_limit", lambda: csv.field_size_limit(1_000))
    assert [p.target for p in store.proposals()] == ["fx-01", "fx-02"]
    [unreadable] = store.unreadable_proposals()
    assert unreadable.line == 4 and "not readable as CSV from here" in unreadable.problem
    with pytest.raises(SaveError, match="An admin must repair the file"):
        store.propose_edit("fx-03", {"notes": "third"}, ANA, "third", None)
    with pytest.raises(SaveError, match="An admin must repair the file"):
        store.approve(store.proposals()[0].proposal_id, REV, "checked")
    assert path.read_bytes() == before and _exported(store, dataset_copy.parent, "after") == data

"""One contract, two backends (issue #18): the CSV files of a data folder and PostgreSQL pass the same tests,
unchanged. The PostgreSQL server is a real one (tests/pg_server.py); each test has a database of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, VALID
from pg_server import binaries, throwaway_cluster, fresh_database, server
from store_fixtures import pg_admin, pg_url, store  # noqa: F401 - the fixtures, over either backend
from test_store import SOURCE, claim

from crisisboard.data.backends import PgStore, Store
from crisisboard.data.database import ENV_URL, upgrade
from crisisboard.data.load import load_dataset
from crisisboard.data.review import Outcome
from crisisboard.data.store import ConflictError, SaveError
from crisisboard.data.users import Actor, PermissionDenied

ANA = Actor("ana@example.org", "analyst")
BEN = Actor("ben@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")
LEAD = Actor("lead@example.org", "reviewer")
ADMIN = Actor("adm@example.org", "admin")


def publish_release(store: Store, claims: list[dict[str, str]], proposer: Actor = ANA, reviewer: Actor = REV,
                    reason: str = "read in the paper's print edition") -> Outcome:
    """A release proposed by one person and approved by another: the only way claims are published."""
    proposal = store.propose_release(SOURCE, claims, proposer, reason).proposal
    return store.approve(proposal.proposal_id, reviewer, "checked against the text")


def publish(store: Store, kind: str, claim_id: str, proposer: Actor, reason: str, version: int | None,
            fields: dict[str, str] | None = None, reviewer: Actor = LEAD) -> Outcome:
    """An edit, retraction or restoration proposed by one person and approved by another."""
    if kind == "edit":
        proposed = store.propose_edit(claim_id, fields or {}, proposer, reason, version)
    else:
        proposed = getattr(store, f"propose_{kind}")(claim_id, proposer, reason, version)
    return store.approve(proposed.proposal.proposal_id, reviewer, "checked against the text")


FILES = ("sources.csv", "claims.csv", "places.csv", "incidents.csv", "crisis.toml")


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}



def _exported(store: Store, tmp_path: Path, name: str = "out") -> dict[str, bytes]:
    store.export(tmp_path / name)
    return _files(tmp_path / name)


def test_a_release_is_published_when_approved_and_its_history_says_who_when_and_why(store: Store,
                                                                                     tmp_path: Path) -> None:
    before, files = store.version(), _exported(store, tmp_path, "before")
    proposed = store.propose_release(SOURCE, [claim("the paper counted 120 dead", "120", "120")], ANA,
                                     "read in the paper's print edition")
    assert proposed.report.source_added and len(proposed.report.claim_ids) == 1  # what approving it would add
    assert store.version() == before and _exported(store, tmp_path, "proposed") == files  # a draft is not data
    [pending] = store.proposals()
    assert (pending.status, pending.proposed_by, pending.kind) == ("pending", "ana@example.org", "release")
    report = store.approve(pending.proposal_id, REV, "checked against the text").report
    assert report.source_added and report.claim_ids == proposed.report.claim_ids
    assert store.version() != before
    assert "the paper counted 120 dead" in _exported(store, tmp_path)["claims.csv"].decode()
    added, approved = store.history(report.claim_ids[0])
    assert (added.action, added.table, added.who, added.reason) == \
        ("add_claim", "claims", "ana@example.org", "read in the paper's print edition")
    assert added.new == "120 (killed)" and added.at.endswith("Z")
    assert (approved.action, approved.who, approved.new, approved.reason) == \
        ("approve", "rev@example.org", pending.proposal_id, "checked against the text")
    [source] = store.history("fx-new-release")
    assert source.action == "add_source" and source.new == "Fixture Paper, 2010-06-16"
    assert "ana@example.org" in added.line() and "read in the paper's print edition" in added.line()
    [decided] = store.proposals()
    assert (decided.status, decided.decided_by) == ("approved", "rev@example.org")
    assert [c.action for c in store.history(pending.proposal_id)] == ["propose", "approve"]


def test_an_invalid_release_is_refused_whole_when_proposed_with_file_line_field_and_rule(store: Store,
                                                                                         tmp_path: Path) -> None:
    before, version, history = _exported(store, tmp_path, "before"), store.version(), store.history()
    bad = claim("the paper counted 120 dead", "120", "120")
    bad["low"] = "500"  # low > high
    with pytest.raises(SaveError) as caught:
        store.propose_release(SOURCE, [claim("and 400 were hurt", "400", "400", "injured"), bad], ANA, "a typo")
    assert any(p.file == "claims.csv" and p.line > 1 and p.field == "low" and "must be <= high" in p.message
               for p in caught.value.problems)
    assert _exported(store, tmp_path, "after") == before  # nothing, not even the valid claim, was written
    assert store.version() == version and store.history() == history and store.proposals() == []


def test_a_duplicate_is_refused_and_not_recorded_twice(store: Store) -> None:
    first = publish_release(store, [claim("the paper counted 120 dead", "120", "120")]).report
    history = store.history()
    with pytest.raises(SaveError, match="in the data already"):
        store.propose_release(SOURCE, [claim("the paper counted  120 dead", "120", "120")], BEN, "r")
    assert first.claim_ids and store.history() == history
    partly = store.propose_release(SOURCE, [claim("the paper counted  120 dead", "120", "120"),
                                            claim("and 400 were hurt", "400", "400", "injured")], BEN, "r")
    assert partly.report.duplicates == ["the paper counted  120 dead"] and len(partly.report.claim_ids) == 1


def test_an_export_gives_back_the_files_byte_for_byte(store: Store, tmp_path: Path) -> None:
    assert _exported(store, tmp_path) == _files(VALID)


def test_an_edit_is_validated_recorded_field_by_field_and_exported(store: Store, tmp_path: Path) -> None:
    version = store.claim_version("fx-02")
    proposed = store.propose_edit("fx-02", {"claimant": "Fixture City Council", "info_credibility": "3"}, ANA,
                                  "the council's full name; a second source agrees", version)
    assert store.claim_version("fx-02") == version  # a proposal is not a change of the claim
    assert proposed.proposal.data["old"] == {"claimant": "Fixture Council", "info_credibility": "4"}
    changes = store.approve(proposed.proposal.proposal_id, REV, "checked").changes
    assert [(c.action, c.field, c.old, c.new, c.who) for c in changes] == \
        [("edit", "claimant", "Fixture Council", "Fixture City Council", "ana@example.org"),
         ("edit", "info_credibility", "4", "3", "ana@example.org")]
    assert store.history("fx-02")[-3:-1] == changes and store.claim_version("fx-02") == version + 3
    assert store.history("fx-02")[-1].action == "approve" and store.history("fx-02")[-1].who == "rev@example.org"
    store.export(tmp_path / "out")
    claim = load_dataset(tmp_path / "out").claims.set_index("claim_id").loc["fx-02"]
    assert claim["claimant"] == "Fixture City Council" and claim["grade"] == "C3"


def test_a_destination_is_kept_edited_recorded_and_checked_by_either_store(store: Store, tmp_path: Path) -> None:
    """The claims column `destination` (issue #31) in the CSV files and in PostgreSQL (migration 0006) alike."""
    version = store.claim_version("fx-04")
    proposed = store.propose_edit("fx-04", {"destination": "TJ"}, ANA, "the text says Tajikistan", version)
    changes = store.approve(proposed.proposal.proposal_id, REV, "checked").changes
    assert [(c.field, c.old, c.new) for c in changes] == [("destination", "UZ", "TJ")]
    with pytest.raises(SaveError, match="destination"):  # a death toll names no country crossed into
        store.propose_edit("fx-01", {"destination": "TJ"}, ANA, "wrong", store.claim_version("fx-01"))
    store.export(tmp_path / "out")
    claims = load_dataset(tmp_path / "out").claims.set_index("claim_id")
    assert (claims.loc["fx-04", "destination"], claims.loc["fx-01", "destination"]) == ("TJ", "")


def test_an_edit_that_breaks_a_rule_or_gives_no_reason_changes_nothing(store: Store, tmp_path: Path) -> None:
    before, history = _exported(store, tmp_path, "before"), store.history()
    with pytest.raises(SaveError) as caught:
        store.propose_edit("fx-02", {"metric": "killled"}, ANA, "typo", store.claim_version("fx-02"))
    assert any(p.file == "claims.csv" and p.field == "metric" for p in caught.value.problems)
    with pytest.raises(SaveError, match="say why"):
        store.propose_edit("fx-02", {"claimant": "Someone"}, ANA, "  ", None)
    with pytest.raises(SaveError, match="claim_id cannot be changed"):
        store.propose_edit("fx-02", {"claim_id": "fx-99"}, ANA, "rename", None)
    with pytest.raises(SaveError, match="no claim fx-99"):
        store.propose_edit("fx-99", {"notes": "x"}, ANA, "no such claim", None)
    assert _exported(store, tmp_path, "after") == before and store.history() == history
    assert store.proposals() == []


def test_a_retracted_claim_keeps_its_row_leaves_the_charts_and_can_be_restored(store: Store, tmp_path: Path) -> None:
    publish(store, "retract", "fx-03", REV, "the wire withdrew the story", store.claim_version("fx-03"))
    store.export(tmp_path / "out")
    dataset = load_dataset(tmp_path / "out")
    assert "fx-03" not in set(dataset.claims["claim_id"]) and list(dataset.retracted["claim_id"]) == ["fx-03"]
    assert "the wire withdrew the story" in store.history("fx-03")[-2].line()
    publish(store, "restore", "fx-03", LEAD, "the wire confirmed it after all", store.claim_version("fx-03"),
            reviewer=REV)
    store.export(tmp_path / "again")
    assert "fx-03" in set(load_dataset(tmp_path / "again").claims["claim_id"])
    assert [c.action for c in store.history("fx-03")][-4:] == ["retract", "approve", "restore", "approve"]


def test_the_second_of_two_editors_is_refused_with_who_changed_it_and_when(store: Store, tmp_path: Path) -> None:
    opened = store.claim_version("fx-01")  # both open the card at this version
    publish(store, "edit", "fx-01", ANA, "a note", opened, {"notes": "first editor's note"})
    after_first = _exported(store, tmp_path, "first")
    with pytest.raises(ConflictError) as caught:
        store.propose_edit("fx-01", {"notes": "second editor's note"}, BEN, "another note", opened)
    last = store.history("fx-01")[-1]
    assert (last.action, last.who) == ("approve", LEAD.email)
    assert f"changed by {ANA.email} (approved by {LEAD.email}) at {last.at} since you opened it" in str(caught.value)
    assert _exported(store, tmp_path, "second") == after_first  # the first editor's change stands, whole


def test_a_proposal_made_before_another_change_is_not_approved_over_it(store: Store, tmp_path: Path) -> None:
    opened = store.claim_version("fx-01")
    late = store.propose_edit("fx-01", {"notes": "second editor's note"}, BEN, "another note", opened).proposal
    publish(store, "edit", "fx-01", ANA, "a note", opened, {"notes": "first editor's note"})
    after_first = _exported(store, tmp_path, "first")
    with pytest.raises(ConflictError, match="since you opened it"):
        store.approve(late.proposal_id, REV, "looks right")
    assert _exported(store, tmp_path, "second") == after_first
    assert [p.status for p in store.proposals() if p.proposal_id == late.proposal_id] == ["pending"]


def test_the_two_person_rule_stops_a_reviewer_approving_their_own_proposal(store: Store, tmp_path: Path) -> None:
    assert store.two_person_rule()  # on by default
    mine = store.propose_edit("fx-02", {"notes": "mine"}, REV, "a note", store.claim_version("fx-02")).proposal
    before = _exported(store, tmp_path, "before")
    for decide in (store.approve, store.reject):
        with pytest.raises(PermissionDenied, match="two-person rule is on"):
            decide(mine.proposal_id, REV, "my own")
    assert _exported(store, tmp_path, "after") == before and store.proposals()[0].status == "pending"
    with pytest.raises(PermissionDenied):
        store.set_two_person_rule(False, REV, "a reviewer may not switch it off")
    [switched] = store.set_two_person_rule(False, ADMIN, "a one-person desk this week")
    assert (switched.action, switched.who, switched.old, switched.new, switched.reason) == \
        ("setting", "adm@example.org", "on", "off", "a one-person desk this week")
    assert not store.two_person_rule()
    store.approve(mine.proposal_id, REV, "one-person desk")
    assert "mine" in _exported(store, tmp_path, "approved")["claims.csv"].decode()


def test_a_rejection_needs_a_reason_publishes_nothing_and_is_final(store: Store, tmp_path: Path) -> None:
    before = _exported(store, tmp_path, "before")
    proposal = store.propose_release(SOURCE, [claim("the paper counted 120 dead", "120", "120")], ANA, "r").proposal
    with pytest.raises(SaveError, match="say why"):
        store.reject(proposal.proposal_id, REV, " ")
    rejected = store.reject(proposal.proposal_id, REV, "the paper corrected this figure next day").proposal
    assert (rejected.status, rejected.decided_by, rejected.decision_reason) == \
        ("rejected", "rev@example.org", "the paper corrected this figure next day")
    with pytest.raises(SaveError, match="rejected already"):
        store.approve(proposal.proposal_id, LEAD, "second thoughts")
    assert _exported(store, tmp_path, "after") == before
    assert [c.action for c in store.history(proposal.proposal_id)] == ["propose", "reject"]


def test_only_the_proposer_withdraws_a_proposal(store: Store) -> None:
    proposal = store.propose_edit("fx-02", {"notes": "x"}, ANA, "a note", None).proposal
    with pytest.raises(PermissionDenied, match="only ana@example.org"):
        store.withdraw(proposal.proposal_id, BEN, "not mine")
    assert store.withdraw(proposal.proposal_id, ANA, "wrong claim").proposal.status == "withdrawn"


def test_a_preview_shows_the_data_as_approving_would_make_it_and_publishes_nothing(store: Store,
                                                                                   tmp_path: Path) -> None:
    before = _exported(store, tmp_path, "before")
    proposal = store.propose_release(SOURCE, [claim("the paper counted 120 dead", "120", "120")], ANA, "r").proposal
    store.preview(proposal.proposal_id, tmp_path / "preview")
    assert "the paper counted 120 dead" in set(load_dataset(tmp_path / "preview").claims["quote"])
    assert _exported(store, tmp_path, "after") == before


# PostgreSQL only: what the CSV files are already (the import into the database, and its round trip)

def test_importing_the_shipped_data_round_trips_byte_for_byte_and_twice_changes_nothing(pg_url: str,
                                                                                      tmp_path: Path) -> None:
    pg = PgStore(pg_url)
    report = pg.import_folder(PROJECT / "data", who="db import", reason="the shipped data")
    assert not report.unchanged and not report.rewritten and len(report.changes) > 409
    assert _exported(pg, tmp_path) == _files(PROJECT / "data")  # incidents.csv keeps its CRLF line ends
    version, history = pg.version(), pg.history()
    again = pg.import_folder(PROJECT / "data", who="db import", reason="the shipped data")
    assert again.unchanged and pg.version() == version and pg.history() == history


def test_an_invalid_folder_is_not_imported(pg_url: str, tmp_path: Path) -> None:
    pg = PgStore(pg_url)
    pg.import_folder(VALID, who="test", reason="fixture")
    broken = tmp_path / "broken"
    shutil.copytree(VALID, broken)
    text = (broken / "claims.csv").read_text(encoding="utf-8").replace(",killed,", ",killled,", 1)
    (broken / "claims.csv").write_text(text, encoding="utf-8")
    version = pg.version()
    with pytest.raises(SaveError) as caught:
        pg.import_folder(broken, who="test", reason="a typo")
    assert any(p.file == "claims.csv" and p.field == "metric" for p in caught.value.problems)
    assert pg.version() == version and _exported(pg, tmp_path) == _files(VALID)


def test_an_import_records_each_changed_field(pg_url: str, tmp_path: Path) -> None:
    pg = PgStore(pg_url)
    pg.import_folder(VALID, who="test", reason="fixture")
    edited = tmp_path / "edited"
    shutil.copytree(VALID, edited)
    text = (edited / "claims.csv").read_text(encoding="utf-8")
    (edited / "claims.csv").write_text(text.replace("Fixture Council", "Fixture City Council", 1), encoding="utf-8")
    report = pg.import_folder(edited, who="reviewer@example.org", reason="the council's full name")
    [change] = report.changes
    assert (change.action, change.field, change.old, change.new) == \
        ("edit", "claimant", "Fixture Council", "Fixture City Council")
    assert pg.history(change.row_id)[-1] == change


# the commands scripts and checks call (stable names)

def _cli(url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_URL}
    env.update({ENV_URL: url} if url else {})
    return subprocess.run([sys.executable, "-m", "crisisboard", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=300, env=env)


def test_db_commands_upgrade_import_export_and_history(pg_admin: str, tmp_path: Path) -> None:
    with fresh_database(pg_admin) as url:  # not upgraded: `db upgrade` makes the schema
        assert _cli(url, "db", "upgrade").returncode == 0
        first = _cli(url, "db", "import", "data")
        assert first.returncode == 0 and "imported: 623 change(s)" in first.stdout, first.stderr
        assert "already up to date" in _cli(url, "db", "import", "data").stdout
        assert _cli(url, "db", "export", str(tmp_path / "out")).returncode == 0
        assert _files(tmp_path / "out") == _files(PROJECT / "data")
        history = _cli(url, "history", "c001-01")
        assert history.returncode == 0 and history.stdout.count("\n") == 1
        assert "claims c001-01  added (imported)  - imported from data" in history.stdout
        broken = tmp_path / "broken"
        shutil.copytree(VALID, broken)
        (broken / "places.csv").write_text("place_id,name\n", encoding="utf-8")
        refused = _cli(url, "db", "import", str(broken))
        assert refused.returncode == 1 and "places.csv:" in refused.stdout and "nothing was imported" in refused.stderr
        assert _cli(url, "history", "no-such-claim").returncode == 1


def test_db_commands_say_what_to_set_without_a_database() -> None:
    result = _cli(None, "db", "export", "/tmp/nowhere")
    assert result.returncode == 2 and ENV_URL in result.stderr


def test_a_column_the_database_would_not_keep_is_refused(pg_url: str, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    shutil.copytree(VALID, extra)
    lines = (extra / "places.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (extra / "places.csv").write_text("".join([lines[0].rstrip("\n") + ",wikidata\n"] +
                                              [line.rstrip("\n") + ",Q1\n" for line in lines[1:]]), encoding="utf-8")
    with pytest.raises(SaveError) as caught:
        PgStore(pg_url).import_folder(extra, who="test", reason="an extra column")
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [("places.csv", 1, "wikidata")]


@pytest.mark.skipif(binaries() is None, reason="Debian's postgresql is not installed (make test installs it)")
def test_athrowaway_cluster_starts_from_debiansbinaries_when_no_server_answers(tmp_path: Path) -> None:
    """What a fresh machine does (tests/pg_server.py): here a server answers, so start the fallback directly."""
    with throwaway_cluster() as admin, fresh_database(admin) as url:
        upgrade(url)
        PgStore(url).import_folder(VALID, who="test", reason="fixture")
        assert _exported(PgStore(url), tmp_path) == _files(VALID)

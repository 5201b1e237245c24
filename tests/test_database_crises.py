"""One server, several crises (issue #31): one PostgreSQL database keeps each crisis's data, history,
proposals and settings apart, an existing single-crisis database migrates with every row kept, and a role is
given for one crisis or for all, never more than it says. The server is a real one (tests/pg_server.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PROJECT, VALID
from test_store import SOURCE, claim
from test_store_contract import _files, pg_admin, pg_url, publish_release  # noqa: F401 - fixtures

from crisisboard.data import database as db
from crisisboard.data import mirror
from crisisboard.data.backends import CsvStore, PgStore, open_store
from crisisboard.data.crisis import CrisisError, crisis_slug, default_slug, read_crisis
from crisisboard.data.folder import read_folder
from crisisboard.data.load import data_dir_for
from crisisboard.data.review import TWO_PERSON
from crisisboard.data.sessions import SignInSettings, signed_in_actor
from crisisboard.data.store import SaveError
from crisisboard.data.users import ALL_CRISES, Actor, PermissionDenied
from pg_server import fresh_database

ANA, REV = Actor("ana@example.org", "analyst"), Actor("rev@example.org", "reviewer")
OPERATOR = Actor("command line (test)", "admin", all_crises=True)  # as `users add` runs


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(VALID, folder)
    return folder


@pytest.fixture()
def two(pg_url: str, tmp_path: Path) -> tuple[PgStore, PgStore]:  # noqa: F811 - the fixture of that name
    """The same fixture data imported as two crises, `alpha` and `beta`, into one database."""
    stores = []
    for name in ("alpha", "beta"):
        folder = _folder(tmp_path, name)
        store = PgStore(pg_url, crisis_slug(folder))
        store.import_folder(folder, who="test setup", reason=f"the fixture as {name}")
        stores.append(store)
    return stores[0], stores[1]


def _signed_in(store: PgStore | CsvStore, email: str) -> Actor:
    """The actor a verified sign-in of `email` gets on the store's crisis, as the app makes it."""
    claims = {"email": email, "email_verified": True, "iat": datetime.now(timezone.utc).timestamp()}
    return signed_in_actor(claims, store, SignInSettings(), datetime.now(timezone.utc))


# --- the data of two crises --------------------------------------------------------------------------------

def test_a_claim_approved_in_one_crisis_is_invisible_in_the_other(two: tuple[PgStore, PgStore],
                                                                   tmp_path: Path) -> None:
    alpha, beta = two
    assert (alpha.crisis, beta.crisis) == ("alpha", "beta")
    beta_before, beta_version = _exported(beta, tmp_path / "before"), beta.version()
    report = publish_release(alpha, [claim("the paper counted 120 dead", "120", "120")]).report
    [claim_id] = report.claim_ids
    assert alpha.claim_row(claim_id) is not None and beta.claim_row(claim_id) is None
    assert alpha.source_row(SOURCE["source_id"], SOURCE["url"]) is not None
    assert beta.source_row(SOURCE["source_id"], SOURCE["url"]) is None
    assert "the paper counted 120 dead" in _exported(alpha, tmp_path / "alpha")["claims.csv"].decode()
    assert _exported(beta, tmp_path / "beta") == beta_before == _files(VALID)
    assert beta.version() == beta_version != alpha.version()
    assert alpha.history(claim_id) and beta.history(claim_id) == []
    assert [p.kind for p in alpha.proposals()] == ["release"] and beta.proposals() == []


def test_the_same_claim_id_may_be_in_both_crises(two: tuple[PgStore, PgStore], tmp_path: Path) -> None:
    alpha, beta = two
    [in_alpha] = publish_release(alpha, [claim("the paper counted 120 dead", "120", "120")]).report.claim_ids
    [in_beta] = publish_release(beta, [claim("the paper counted 120 dead", "120", "120")]).report.claim_ids
    assert in_alpha == in_beta
    with db.engine_for(alpha.url).connect() as connection:
        rows = connection.execute(sa.text("SELECT crisis FROM claims WHERE claim_id = :id ORDER BY crisis"),
                                  {"id": in_alpha}).scalars().all()
    assert rows == ["alpha", "beta"]
    edited = alpha.propose_edit(in_alpha, {"notes": "only in alpha"}, ANA, "a note", None).proposal
    alpha.approve(edited.proposal_id, REV, "checked")
    assert alpha.claim_row(in_alpha)["notes"] == "only in alpha" and beta.claim_row(in_beta)["notes"] == ""
    assert [c.action for c in beta.history(in_beta)] == ["add_claim", "approve"]
    assert [c.action for c in alpha.history(in_alpha)] == ["add_claim", "approve", "edit", "approve"]


def test_a_proposal_of_one_crisis_cannot_be_decided_in_another(two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    proposal = alpha.propose_release(SOURCE, [claim("the paper counted 120 dead", "120", "120")], ANA,
                                     "read in print").proposal
    with pytest.raises(SaveError, match="no proposal"):
        beta.approve(proposal.proposal_id, REV, "checked")
    assert [p.status for p in alpha.proposals()] == ["pending"]


def test_the_two_person_rule_is_set_per_crisis(two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    changes = alpha.set_two_person_rule(False, OPERATOR, "a one-person desk for alpha")
    assert len(changes) == 1
    assert (alpha.two_person_rule(), beta.two_person_rule()) == (False, True)
    with db.engine_for(alpha.url).connect() as connection:
        assert db.read_setting(connection, "beta", TWO_PERSON, "unset") == "unset"
    assert [c.table for c in alpha.history() if c.action != "import" and c.table == "settings"] == ["settings"]
    assert not [c for c in beta.history() if c.table == "settings"]
    own = alpha.propose_edit("fx-01", {"notes": "mine"}, REV, "a note", None).proposal
    assert alpha.approve(own.proposal_id, REV, "checked").proposal.status == "approved"  # rule off in alpha
    own = beta.propose_edit("fx-01", {"notes": "mine"}, REV, "a note", None).proposal
    with pytest.raises(PermissionDenied):
        beta.approve(own.proposal_id, REV, "checked")  # on in beta


def test_an_import_and_a_mirror_are_per_crisis(two: tuple[PgStore, PgStore], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    alpha, beta = two
    publish_release(alpha, [claim("the paper counted 120 dead", "120", "120")])
    monkeypatch.setenv(db.ENV_URL, alpha.url)
    monkeypatch.setenv(mirror.MIRROR_ENV, str(tmp_path / "mirror"))
    mirror._checked.clear()
    try:
        copies = {name: data_dir_for(tmp_path / name) for name in ("alpha", "beta")}
    finally:
        mirror._checked.clear()
    assert copies["alpha"] != copies["beta"]
    assert "the paper counted 120 dead" in (copies["alpha"] / "claims.csv").read_text(encoding="utf-8")
    assert _files(copies["beta"]) == _files(VALID)
    assert {name: open_store(folder).crisis for name, folder in copies.items()} == {"alpha": "alpha", "beta": "beta"}
    assert open_store(tmp_path / "beta").crisis == "beta"  # the crisis folder itself
    monkeypatch.delenv(db.ENV_URL)
    assert data_dir_for(tmp_path / "beta") == tmp_path / "beta"  # no database: the folder is read


def test_a_folder_is_not_imported_as_another_crisis_than_its_slug(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    named = _folder(tmp_path, "named")
    text = (named / "crisis.toml").read_text(encoding="utf-8")
    (named / "crisis.toml").write_text(f'slug = "delta"\n{text}', encoding="utf-8")
    with pytest.raises(SaveError) as refused:
        PgStore(pg_url, "alpha").import_folder(named, who="test", reason="the wrong crisis")
    assert [(p.file, p.line, p.field) for p in refused.value.problems] == [("crisis.toml", 1, "slug")]
    assert PgStore(pg_url, "alpha").version() == "db-0"
    assert PgStore(pg_url, "delta").import_folder(named, who="test", reason="its own crisis").changes


def test_the_db_commands_take_the_crisis_folder(pg_admin: str, tmp_path: Path) -> None:  # noqa: F811
    with fresh_database(pg_admin) as url:
        db.upgrade(url)
        gamma = _folder(tmp_path, "gamma")
        first = _cli(url, "db", "import", str(gamma))
        assert first.returncode == 0 and first.stdout.startswith("gamma: imported"), first.stderr
        assert _cli(url, "db", "import", str(gamma)).stdout.startswith("gamma: already up to date")
        assert _cli(url, "db", "export", str(tmp_path / "out"), "--crisis", "gamma").returncode == 0
        assert _files(tmp_path / "out") == _files(VALID)
        missing = _cli(url, "db", "export", str(tmp_path / "none"), "--crisis", "delta")
        assert missing.returncode == 1 and "no data of the crisis delta" in missing.stderr
        assert _cli(url, "history", "fx-01", "--data-dir", str(gamma)).returncode == 0
        assert _cli(url, "history", "fx-01", "--data-dir", str(tmp_path / "delta")).returncode == 1


def _cli(url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != db.ENV_URL}
    env.update({db.ENV_URL: url} if url else {})
    return subprocess.run([sys.executable, "-m", "crisisboard", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=300, env=env)


def _exported(store: PgStore, folder: Path) -> dict[str, bytes]:
    store.export(folder)
    return _files(folder)


# --- migrating a database of one crisis -----------------------------------------------------------------------

COUNTED = ("sources", "claims", "places", "incidents", "files", "documents", "history", "meta", "users",
           "proposals", "settings", "signouts")


def _counts(url: str) -> dict[str, int]:
    with db.engine_for(url).connect() as connection:
        return {t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED}  # noqa: S608


def _fill_revision_0006(url: str) -> None:
    """A database as the store wrote it before crises (revision 0006): the fixture data, a history, roles, a
    proposal, the two-person rule off and a sign-out; written with SQL of that schema."""
    tables, crisis_text = read_folder(VALID)
    with db.engine_for(url).begin() as connection:
        for name, table in tables.items():
            columns = db.columns_of(name)
            for i, row in enumerate(table.rows):
                connection.execute(sa.text(f"INSERT INTO {db.TABLES[name]} (position, {', '.join(columns)}) "  # noqa: S608
                                           f"VALUES (:position, {', '.join(':' + c for c in columns)})"),
                                   {"position": i, **{c: row.get(c, "") for c in columns}})
            connection.execute(sa.text("INSERT INTO files (name, header, line_end, bom) VALUES (:n, :h, :l, :b)"),
                               {"n": name, "h": ",".join(table.header), "l": table.line_end, "b": table.bom})
        connection.execute(sa.text("INSERT INTO documents (name, text) VALUES ('crisis.toml', :t)"),
                           {"t": crisis_text})
        for row_id in ("fx-01", "fx-02", "ana@example.org"):
            connection.execute(sa.text("INSERT INTO history (at, who, action, table_name, row_id, new, reason) "
                                       "VALUES ('2026-01-01T00:00:00Z', 'old', 'edit', :t, :r, 'x', 'before')"),
                               {"t": "users" if "@" in row_id else "claims", "r": row_id})
        connection.execute(sa.text("UPDATE meta SET value = '7' WHERE key = 'data_version'"))
        connection.execute(sa.text("INSERT INTO users (email, role) VALUES ('ana@example.org', 'analyst'), "
                                   "('adm@example.org', 'admin')"))
        connection.execute(sa.text("INSERT INTO settings (key, value) VALUES (:k, 'off')"), {"k": TWO_PERSON})
        connection.execute(sa.text("INSERT INTO proposals (proposal_id, kind, target, status, proposed_by) "
                                   "VALUES ('p-old', 'edit', 'fx-01', 'pending', 'ana@example.org')"))
        connection.execute(sa.text("INSERT INTO signouts (email, signed_out_at) VALUES ('ana@example.org', now())"))


def test_a_single_crisis_database_migrates_with_every_row_kept_under_the_default_crisis(
        pg_admin: str, tmp_path: Path) -> None:  # noqa: F811
    with fresh_database(pg_admin) as url:
        db.upgrade(url, "0006")
        _fill_revision_0006(url)
        before = _counts(url)
        assert all(before[t] > 0 for t in COUNTED), before
        db.upgrade(url)
        assert _counts(url) == before
        slug = default_slug()
        with db.engine_for(url).connect() as connection:
            for table in (t for t in COUNTED if t != "signouts"):
                held = connection.execute(sa.text(f"SELECT DISTINCT crisis FROM {table}")).scalars().all()  # noqa: S608
                assert held == [slug], table
            assert db.data_version(connection, slug) == 7
        store = PgStore(url)
        assert store.crisis == slug
        assert _exported(store, tmp_path / "out") == _files(VALID)
        assert store.users() == {"ana@example.org": "analyst", "adm@example.org": "admin"}
        assert not store.two_person_rule()
        with db.engine_for(url).connect() as connection:
            assert [p.proposal_id for p in db.read_proposals(connection, slug)] == ["p-old"]
        assert [c.row_id for c in store.history()] == ["fx-01", "fx-02", "ana@example.org"]
        assert store.signed_out_at("ana@example.org") is not None
        other = PgStore(url, "another-crisis")
        assert other.users() == {}  # the roles given before crises stay on the crisis they were given for
        assert other.two_person_rule() and other.proposals() == [] and other.history() == []
        other.import_folder(VALID, who="test", reason="a second crisis")  # the same ids: allowed now
        assert _counts(url)["claims"] == 2 * before["claims"]


# --- roles per crisis -----------------------------------------------------------------------------------------

def test_a_role_on_one_crisis_gives_nothing_on_another_and_one_on_all_applies_everywhere(
        two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    alpha.set_role("ana@example.org", "analyst", OPERATOR, "analyst of alpha", "alpha")
    alpha.set_role("rev@example.org", "reviewer", OPERATOR, "reviewer everywhere", ALL_CRISES)
    assert alpha.users() == {"ana@example.org": "analyst", "rev@example.org": "reviewer"}
    assert beta.users() == {"rev@example.org": "reviewer"}
    assert _signed_in(alpha, "ana@example.org").role == "analyst"
    assert _signed_in(beta, "ana@example.org").role == "viewer"
    assert _signed_in(beta, "rev@example.org").role == "reviewer"
    with pytest.raises(PermissionDenied):
        beta.propose_edit("fx-01", {"notes": "x"}, _signed_in(beta, "ana@example.org"), "a note", None)
    assert beta.proposals() == []
    [change] = [c for c in alpha.history() if c.row_id == "ana@example.org"]
    assert (change.field, change.new) == ("role", "analyst")
    assert [c.field for c in beta.history() if c.table == "users"] == ["role (all crises)"]


def test_a_role_on_the_crisis_itself_wins_over_one_on_all_and_removing_it_restores_that(
        two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    alpha.set_role("ben@example.org", "admin", OPERATOR, "admin everywhere", ALL_CRISES)
    beta.set_role("ben@example.org", "viewer", OPERATOR, "only reads beta", "beta")
    assert (_signed_in(alpha, "ben@example.org").role, _signed_in(beta, "ben@example.org").role) == \
        ("admin", "viewer")
    beta.set_role("ben@example.org", None, OPERATOR, "reads beta as before", "beta")
    assert _signed_in(beta, "ben@example.org").role == "admin"


def test_a_crisis_admin_cannot_give_roles_on_another_crisis_or_on_all(two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    alpha.set_role("adm@example.org", "admin", OPERATOR, "admin of alpha", "alpha")
    admin = _signed_in(alpha, "adm@example.org")
    assert admin.role == "admin" and not admin.all_crises
    alpha.set_role("ana@example.org", "reviewer", admin, "reviews alpha")  # their own crisis: yes
    grants = alpha.grants()
    for scope in ("beta", ALL_CRISES):
        with pytest.raises(PermissionDenied, match="may manage the roles of alpha only"):
            alpha.set_role("ana@example.org", "admin", admin, "wider", scope)
        with pytest.raises(PermissionDenied, match="may manage the roles of alpha only"):
            alpha.set_role("adm@example.org", "admin", admin, "myself, wider", scope)
    assert alpha.grants() == grants and beta.users() == {}
    on_beta = _signed_in(beta, "adm@example.org")
    assert on_beta.role == "viewer"
    with pytest.raises(PermissionDenied):
        beta.set_role("ana@example.org", "admin", on_beta, "from beta's side")
    with pytest.raises(PermissionDenied):
        beta.set_two_person_rule(False, on_beta, "from beta's side")
    assert beta.users() == {} and beta.two_person_rule()


def test_only_an_admin_of_every_crisis_gives_a_role_on_all(two: tuple[PgStore, PgStore]) -> None:
    alpha, beta = two
    alpha.set_role("top@example.org", "admin", OPERATOR, "admin everywhere", ALL_CRISES)
    top = _signed_in(alpha, "top@example.org")
    alpha.set_role("ana@example.org", "analyst", top, "analyst everywhere", ALL_CRISES)
    alpha.set_role("rev@example.org", "reviewer", top, "reviews beta", "beta")
    assert beta.users()["ana@example.org"] == "analyst" and beta.users()["rev@example.org"] == "reviewer"
    assert "rev@example.org" not in alpha.users()
    beta.set_role("top@example.org", "analyst", OPERATOR, "only an analyst on beta", "beta")
    top = _signed_in(alpha, "top@example.org")  # still admin of alpha, no longer of every crisis
    with pytest.raises(PermissionDenied):
        alpha.set_role("cy@example.org", "viewer", top, "everywhere", ALL_CRISES)
    with pytest.raises(PermissionDenied):
        alpha.set_role("cy@example.org", "viewer", top, "on beta", "beta")
    assert "cy@example.org" not in {g.email for g in alpha.grants()}


def test_a_scope_that_is_not_a_crisis_key_is_refused(two: tuple[PgStore, PgStore]) -> None:
    alpha, _ = two
    for scope in ("Beta", "beta'; DROP TABLE users; --", "-x"):
        with pytest.raises(SaveError, match="not a crisis"):
            alpha.set_role("ana@example.org", "analyst", OPERATOR, "bad scope", scope)
    with pytest.raises(ValueError, match="not a crisis key"):
        PgStore(alpha.url, "beta'; --")
    assert alpha.grants() == []


# --- the CSV store's users.csv --------------------------------------------------------------------------------

def test_users_csv_gives_roles_by_its_crisis_column(tmp_path: Path) -> None:
    alpha = _folder(tmp_path, "alpha")
    (alpha / "users.csv").write_text("email,role,crisis\nana@example.org,analyst,alpha\n"
                                     "ben@example.org,reviewer,beta\ncy@example.org,admin,\n"
                                     "dan@example.org,admin,\ndan@example.org,viewer,alpha\n", encoding="utf-8")
    store = CsvStore(alpha)
    assert store.crisis == "alpha"
    assert store.users() == {"ana@example.org": "analyst", "cy@example.org": "admin", "dan@example.org": "viewer"}
    assert _signed_in(store, "ben@example.org").role == "viewer"
    with pytest.raises(SaveError, match="gives roles on alpha or on all crises"):
        store.set_role("eve@example.org", "analyst", OPERATOR, "on beta", "beta")
    store.set_role("eve@example.org", "analyst", OPERATOR, "on alpha")
    assert "eve@example.org,analyst,alpha\n" in (alpha / "users.csv").read_text(encoding="utf-8")
    cy = _signed_in(store, "cy@example.org")
    store.set_role("fay@example.org", "viewer", cy, "everywhere", ALL_CRISES)  # an admin of every crisis
    dan = _signed_in(store, "dan@example.org")
    with pytest.raises(PermissionDenied):
        store.set_role("gil@example.org", "admin", dan, "wider")


def test_a_users_csv_without_the_crisis_column_gives_roles_on_its_own_crisis_only(tmp_path: Path) -> None:
    alpha = _folder(tmp_path, "alpha")
    (alpha / "users.csv").write_text("email,role\nana@example.org,admin\n", encoding="utf-8")
    store = CsvStore(alpha)
    assert store.users() == {"ana@example.org": "admin"}
    ana = _signed_in(store, "ana@example.org")
    with pytest.raises(PermissionDenied):  # an admin of alpha, not of every crisis
        store.set_role("ben@example.org", "viewer", ana, "everywhere", ALL_CRISES)
    store.set_role("ben@example.org", "viewer", ana, "reads alpha")
    assert (alpha / "users.csv").read_text(encoding="utf-8") == \
        "email,role,crisis\nana@example.org,admin,alpha\nben@example.org,viewer,alpha\n"


def test_users_add_on_the_command_line_takes_the_crisis(tmp_path: Path) -> None:
    alpha = _folder(tmp_path, "alpha")
    added = _cli(None, "users", "add", "ana@example.org", "reviewer", "--crisis", "alpha", "--data-dir", str(alpha))
    assert added.returncode == 0, added.stderr
    assert _cli(None, "users", "add", "cy@example.org", "viewer", "--data-dir", str(alpha)).returncode == 0
    refused = _cli(None, "users", "add", "ben@example.org", "admin", "--crisis", "beta", "--data-dir", str(alpha))
    assert refused.returncode == 1 and "not on beta" in refused.stderr
    listed = _cli(None, "users", "list", "--data-dir", str(alpha))
    assert listed.stdout == "ana@example.org\treviewer\talpha\ncy@example.org\tviewer\tall crises\n"
    wrong = _cli(None, "users", "add", "dan@example.org", "boss", "--data-dir", str(alpha))
    assert wrong.returncode == 2 and "not a role" in wrong.stderr
    assert _cli(None, "users", "add", "ana@example.org", "viewer", "--data-dir", str(alpha)).returncode == 0
    kept = _cli(None, "users", "remove", "cy@example.org", "--crisis", "alpha", "--data-dir", str(alpha))
    assert kept.returncode == 0 and "nothing to change" in kept.stdout  # cy's role is on all crises
    gone = _cli(None, "users", "remove", "ANA@example.org", "--data-dir", str(alpha))  # no --crisis: every role
    assert gone.returncode == 0 and gone.stdout.count("(removed)") == 2, gone.stderr
    assert _cli(None, "users", "list", "--data-dir", str(alpha)).stdout == "cy@example.org\tviewer\tall crises\n"


def test_the_crisis_key_is_the_slug_of_crisis_toml_else_the_folder_name(tmp_path: Path) -> None:
    plain = _folder(tmp_path, "Second Crisis 2020")
    assert crisis_slug(plain) == "second-crisis-2020"
    named = _folder(tmp_path, "named")
    text = (named / "crisis.toml").read_text(encoding="utf-8")
    (named / "crisis.toml").write_text(f'slug = "the-named-one"\n{text}', encoding="utf-8")
    assert crisis_slug(named) == "the-named-one" and read_crisis(named).slug == "the-named-one"
    (named / "crisis.toml").write_text(f'slug = "Not A Slug"\n{text}', encoding="utf-8")
    assert crisis_slug(named) == "named"  # an invalid key is not used ...
    with pytest.raises(CrisisError, match="slug"):  # ... and the validator names it
        read_crisis(named)

"""Private by default (issue #30, Deliver 8): every file the app creates is its own user's only (0600, folders
0700), whatever the umask; the data files a person put there keep the mode they gave them; the PostgreSQL
mirror lives in a per-user folder, and a folder there that another user made first, that is a symbolic link
or that others may write in is refused, on the page too (plainly; the details go to the log).

The PostgreSQL tests use a real server (tests/pg_server.py). The tests of a folder that belongs to someone else
chown it to `nobody`, which only root may do: as another user they are skipped, saying so."""

from __future__ import annotations

import hashlib
import logging
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from conftest import PROJECT, VALID
from streamlit.testing.v1 import AppTest
from test_store import SOURCE, claim
from test_store_contract import ADMIN, ANA, LEAD, REV, pg_admin, pg_url, publish, publish_release  # noqa: F401

from crisisboard.data import mirror
from crisisboard.data.backends import CsvStore, PgStore
from crisisboard.data import database as db
from crisisboard.data.database import ENV_URL
from crisisboard.data.crisis import default_slug
from crisisboard.data.folder import read_folder, write_folder
from crisisboard.data.users import LOCAL_ADMIN

ORIGINALS = ("sources.csv", "claims.csv", "places.csv", "incidents.csv", "crisis.toml")
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user (nobody) "
                                                       "to stand for another local user; run the tests as root")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=["umask-022", "umask-002", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The usual umasks, and none at all: what the app creates must not depend on it."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _nobody() -> tuple[int, int]:
    user = pwd.getpwnam("nobody")
    return user.pw_uid, user.pw_gid


def _give_to_nobody(path: Path) -> None:
    uid, gid = _nobody()
    for folder, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            os.chown(Path(folder, name), uid, gid)
    os.chown(path, uid, gid)


# --- the CSV store ------------------------------------------------------------------------------------------

def test_every_file_a_change_creates_is_readable_by_the_apps_user_only(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    for name in ORIGINALS:
        os.chmod(folder / name, 0o644)  # as a checkout or a person left them
    before = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    store = CsvStore(folder)
    for actor in (ANA, REV, LEAD, ADMIN):  # approval re-checks the proposer's and the reviewer's roles
        store.set_role(actor.email, actor.role, LOCAL_ADMIN, "joins the desk")
    publish_release(store, [claim("the paper counted 9000 dead", "9000", "9000")], ANA, REV)
    publish(store, "retract", "fx-03", REV, "the wire withdrew it", 0)
    store.set_two_person_rule(False, ADMIN, "a one-person desk this week")
    created = {p for p in folder.rglob("*") if p.relative_to(folder).as_posix() not in before}
    names = {p.relative_to(folder).as_posix() for p in created}
    assert {"users.csv", "proposals.csv", "settings.csv", "history.csv", ".crisisboard.lock", "backups"} <= names
    backups = [p for p in created if p.parent.name == "backups"]
    assert len(backups) >= 3  # sources.csv and claims.csv before the release, claims.csv before the retraction
    assert not [p.name for p in created if p.name.endswith(".tmp")]  # no temporary file left behind
    wrong = {p.relative_to(folder).as_posix(): f"{mode(p):04o}" for p in created
             if mode(p) != (0o700 if p.is_dir() else 0o600)}
    assert wrong == {}, "files the app created with a mode other than 0600 (folders 0700)"
    # the data files the person put there keep the mode they gave them (two were replaced, three not)
    assert {name: f"{mode(folder / name):04o}" for name in ORIGINALS} == {name: "0644" for name in ORIGINALS}


def test_staff_records_an_older_version_left_world_readable_are_tightened_at_the_next_write(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    (folder / "users.csv").write_text("email,role\nana@example.org,analyst\n", encoding="utf-8")
    (folder / "history.csv").write_text("", encoding="utf-8")
    os.chmod(folder / "users.csv", 0o644)
    os.chmod(folder / "history.csv", 0o664)
    CsvStore(folder).set_role("rev@example.org", "reviewer", LOCAL_ADMIN, "joins the desk")
    # others lose every permission; the owner's group keeps what the owner gave it (read, and write if given)
    assert (mode(folder / "users.csv"), mode(folder / "history.csv")) == (0o640, 0o660)
    assert "rev@example.org,reviewer" in (folder / "users.csv").read_text(encoding="utf-8")


def test_a_folder_written_from_rows_is_private(tmp_path: Path, umask: int) -> None:
    """`db export DIR` and the mirror write a data folder from the database's rows."""
    target = tmp_path / "exported" / "data"
    write_folder(target, *read_folder(VALID))
    assert {p.name: f"{mode(p):04o}" for p in target.iterdir()} == {name: "0600" for name in ORIGINALS}
    assert (mode(target), mode(target.parent)) == (0o700, 0o700)
    assert all((target / name).read_bytes() == (VALID / name).read_bytes() for name in ORIGINALS)


# --- the PostgreSQL mirror -----------------------------------------------------------------------------------

def _version(url: str) -> int:
    with db.engine_for(url).connect() as connection:
        return int(db.data_version(connection, default_slug()))


def _planted(base: Path, url: str, version: int) -> Path:
    """What another local user would put where the app looks for the database's copy: a complete-looking
    version of their own data."""
    folder = base / hashlib.sha256(url.encode()).hexdigest()[:16] / "crises" / default_slug() / f"v{version}"
    shutil.copytree(VALID, folder)
    claims = (folder / "claims.csv").read_text(encoding="utf-8")
    (folder / "claims.csv").write_text(claims.replace("Fixture", "Planted"), encoding="utf-8")
    (folder / ".complete").write_text("", encoding="utf-8")
    return folder


@pytest.fixture()
def pg_data(pg_url: str) -> str:  # noqa: F811 - pytest's fixture of the same name
    PgStore(pg_url).import_folder(VALID, who="test setup", reason="the fixture dataset")
    return pg_url


@pytest.fixture()
def no_mirror_cache() -> Iterator[None]:
    mirror._checked.clear()
    yield
    mirror._checked.clear()


def test_the_mirror_is_private_in_a_per_user_folder(pg_data: str, tmp_path: Path, umask: int,
                                                    monkeypatch: pytest.MonkeyPatch, no_mirror_cache: None) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    os.chmod(home, 0o700)  # whatever the umask: a home of one's own
    monkeypatch.delenv(mirror.MIRROR_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    folder = mirror.current_folder(pg_data, default_slug())
    assert folder.is_relative_to(home / ".cache" / "crisisboard" / "mirror")  # not a name in the shared /tmp
    assert (folder / "claims.csv").read_bytes() == (VALID / "claims.csv").read_bytes()
    made = [home / ".cache", *(home / ".cache").rglob("*")]
    wrong = {p.relative_to(home).as_posix(): f"{mode(p):04o}" for p in made
             if mode(p) != (0o700 if p.is_dir() else 0o600)}
    assert wrong == {}, "mirror folders must be 0700 and its files 0600"


def test_a_user_without_a_home_of_their_own_gets_a_folder_named_after_their_uid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mirror.MIRROR_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "no-such-home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    root = mirror.mirror_root("postgresql+psycopg://db.example.org/crisis")
    assert root.parent == tmp_path / f"crisisboard-{os.geteuid()}" / "mirror"


@AS_ROOT
@pytest.mark.parametrize("where", ["CRISISBOARD_DB_MIRROR", "the temporary folder"])
def test_a_mirror_folder_another_user_made_first_is_refused(pg_data: str, tmp_path: Path, where: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            no_mirror_cache: None) -> None:
    if where == "CRISISBOARD_DB_MIRROR":
        base = tmp_path / "mirror"
        monkeypatch.setenv(mirror.MIRROR_ENV, str(base))
    else:  # no home of one's own: crisisboard-<uid> in the temporary folder, which anyone can create first
        monkeypatch.delenv(mirror.MIRROR_ENV, raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "no-such-home"))
        shared_tmp = tmp_path / "tmp"
        shared_tmp.mkdir()
        os.chmod(shared_tmp, 0o1777)
        monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
        base = shared_tmp / f"crisisboard-{os.geteuid()}" / "mirror"  # made first by another user
        base.parent.mkdir()
    planted = _planted(base, pg_data, _version(pg_data))
    _give_to_nobody(base.parent if where != "CRISISBOARD_DB_MIRROR" else base)
    try:
        folder = mirror.current_folder(pg_data, default_slug())
    except OSError as error:
        assert type(error).__name__ == "UnsafeFolder"
        assert "nobody" in str(error) and str(base.parent if where != "CRISISBOARD_DB_MIRROR" else base) in str(error)
    else:
        pytest.fail(f"the app used {folder}, a folder another user made (planted: {planted})")
    assert "Planted" in (planted / "claims.csv").read_text(encoding="utf-8")  # left alone, never read


def test_a_mirror_folder_others_may_write_in_or_a_symbolic_link_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_mirror_cache: None) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/never-reached"  # refused before any connection
    writable = tmp_path / "writable"
    writable.mkdir()
    os.chmod(writable, 0o777)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    for base, rule in ((writable, "others may write in it"), (link, "symbolic link")):
        monkeypatch.setenv(mirror.MIRROR_ENV, str(base))
        with pytest.raises(OSError, match=rule) as raised:
            mirror.current_folder(url, default_slug())
        assert type(raised.value).__name__ == "UnsafeFolder"
    assert mode(writable) == 0o777 and list(elsewhere.iterdir()) == []  # nothing changed, nothing written


@AS_ROOT
def test_the_page_says_plainly_that_it_cannot_open_its_folder_and_logs_why(
        pg_data: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        no_mirror_cache: None) -> None:
    base = tmp_path / "mirror"
    planted = _planted(base, pg_data, _version(pg_data))
    _give_to_nobody(base)
    monkeypatch.setenv(ENV_URL, pg_data)
    monkeypatch.setenv(mirror.MIRROR_ENV, str(base))
    monkeypatch.chdir(PROJECT)
    with caplog.at_level(logging.ERROR, logger="crisisboard"):
        at = AppTest.from_file(str(PROJECT / "pages" / "sources.py"), default_timeout=60).run()
    assert not at.exception
    shown = "\n".join([*(e.value for e in at.error), *(t.value for t in at.title), *(m.value for m in at.markdown),
                       *(str(d.value) for d in at.dataframe)])
    assert "working folder" in shown and "Planted" not in shown
    assert str(base) not in shown and "uid" not in shown  # no path nor account names on the page
    assert any(str(base) in record.getMessage() and "nobody" in record.getMessage() for record in caplog.records)
    assert planted.exists()


@pytest.mark.skipif(shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists(),
                    reason="Debian's chromium is not installed (make test installs it)")
def test_an_export_the_command_writes_is_private(tmp_path: Path) -> None:
    from test_export import run_cli

    out = tmp_path / "killed.svg"
    result = run_cli("export", "--data-dir", str(VALID), "--view", "timeline", "--metric", "killed",
                     "--format", "svg", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600 and out.read_bytes().lstrip().startswith(b"<")
    assert [p.name for p in tmp_path.iterdir()] == ["killed.svg"]  # no temporary file left beside it

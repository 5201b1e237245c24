"""Staff are named by their role to the public (issue #30, Deliver 8): anonymous visitors and viewers see "a
reviewer", "an analyst", never a staff email, and no reasons, on a claim card's history, the Changes page and a
briefing pack's changes.csv; signed-in staff (analyst and above) see emails and reasons; a setting shows the
names (or the reasons) to everyone.

The pages run through Streamlit's AppTest, signed in through its `user` (as Streamlit's own sign-in fills
``st.user``) with ``[auth]`` configured."""

from __future__ import annotations

import csv
import io
import shutil
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import PROJECT, VALID
from streamlit.testing.v1 import AppTest
from test_export import context_for
from test_store import claim
from test_store_contract import publish, publish_release

from crisisboard.charts.views import build_view, pack_specs
from crisisboard.data.backends import CsvStore
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset
from crisisboard.data.users import LOCAL_ADMIN, Actor
from crisisboard.export.pack import build_pack

ANA = Actor("ana.analyst@example.org", "analyst")
REV = Actor("rev.reviewer@example.org", "reviewer")
GONE = Actor("gone.reviewer@example.org", "reviewer")  # approved a change, and has no role any more
EMAILS = (ANA.email, REV.email, GONE.email)
# the reasons given: internal, never shown to the public
REASON_RELEASE = "PRIVATE-R1 the editor's cousin phoned it in"
REASON_EDIT = "PRIVATE-R2 checked with our source in the ministry"
REASON_RETRACT = "PRIVATE-R3 the wire withdrew it after our call"
REASONS = (REASON_RELEASE, REASON_EDIT, REASON_RETRACT)
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "crisisboard", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


@pytest.fixture()
def desk(tmp_path: Path) -> Path:
    """A data folder whose history holds a release, an edit of fx-02 and a retraction of fx-03, each with a
    reason; one of the two approvers has left the desk since."""
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    for actor in (ANA, REV, GONE):
        store.set_role(actor.email, actor.role, LOCAL_ADMIN, "joins the desk")
    publish_release(store, [claim("the paper counted 9000 dead", "9000", "9000")], ANA, REV, REASON_RELEASE)
    publish(store, "edit", "fx-02", ANA, REASON_EDIT, 0, {"notes": "checked twice"}, reviewer=GONE)
    publish(store, "retract", "fx-03", REV, REASON_RETRACT, 0, reviewer=GONE)
    store.set_role(GONE.email, None, LOCAL_ADMIN, "left the desk")
    return folder


def _everything(at: AppTest) -> str:
    """Every text the page shows, tables and code blocks included."""
    parts = [str(e.value) for kind in ("markdown", "caption", "code", "error", "warning", "info", "success", "title")
             for e in getattr(at, kind)]
    parts += [frame.value.to_csv(index=False) for frame in at.dataframe]
    return "\n".join(parts)


def _app(page: str, folder: Path, monkeypatch: pytest.MonkeyPatch, user: dict | None = None,
         secrets: dict | None = None, **query: str) -> AppTest:
    monkeypatch.setenv("CRISISBOARD_DATA", str(folder))
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60)
    at.secrets = {**AUTH, **(secrets or {})}
    at.user = user or {"is_logged_in": False}
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _signed_in(actor: Actor) -> dict:
    """What Streamlit's sign-in puts in st.user for a verified email, signed in a minute ago."""
    return {"is_logged_in": True, "email": actor.email, "email_verified": True, "iat": int(time.time()) - 60}


def _changes_table(at: AppTest) -> list[dict[str, str]]:
    [frame] = at.dataframe
    return frame.value.fillna("").astype(str).to_dict("records")


# --- the Changes page ----------------------------------------------------------------------------------------

def test_an_anonymous_visitor_sees_roles_on_the_changes_page_and_no_email_or_reason(
        desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("pages/changes.py", desk, monkeypatch)
    assert not at.exception
    shown = _everything(at)
    assert "@" not in shown
    assert not [reason for reason in REASONS if reason.split()[0] in shown]
    rows = {row["claim_id"]: row for row in _changes_table(at)}
    assert (rows["fx-02"]["who"], rows["fx-02"]["approved_by"]) == ("an analyst", "a former staff member")
    assert (rows["fx-03"]["who"], rows["fx-03"]["approved_by"]) == ("a reviewer", "a former staff member")
    [added] = [row for row in rows.values() if row["what"] == "added"]
    assert (added["who"], added["approved_by"]) == ("an analyst", "a reviewer")
    assert "signed-in staff also see their names" in shown


@pytest.mark.parametrize("actor", [ANA, REV], ids=["analyst", "reviewer"])
def test_signed_in_staff_see_emails_and_reasons_on_the_changes_page(desk: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     actor: Actor) -> None:
    at = _app("pages/changes.py", desk, monkeypatch, user=_signed_in(actor))
    assert not at.exception
    rows = {row["claim_id"]: row for row in _changes_table(at)}
    assert (rows["fx-02"]["who"], rows["fx-02"]["approved_by"], rows["fx-02"]["reason"]) == \
        (ANA.email, GONE.email, REASON_EDIT)
    assert (rows["fx-03"]["who"], rows["fx-03"]["reason"]) == (REV.email, REASON_RETRACT)


def test_a_signed_in_viewer_is_the_public(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    CsvStore(desk).set_role("reader@example.org", "viewer", LOCAL_ADMIN, "reads only")
    at = _app("pages/changes.py", desk, monkeypatch,
              user=_signed_in(Actor("reader@example.org", "viewer")))
    assert not at.exception
    shown = "\n".join(frame.value.to_csv(index=False) for frame in at.dataframe)
    assert "an analyst" in shown and not [e for e in EMAILS if e in shown]
    assert not [reason for reason in REASONS if reason.split()[0] in shown]


@pytest.mark.parametrize("how", ["environment", "secrets"])
def test_a_setting_shows_the_names_to_everyone_and_another_the_reasons(
        desk: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "environment":
        monkeypatch.setenv("CRISISBOARD_PUBLIC_NAMES", "1")
        at = _app("pages/changes.py", desk, monkeypatch)
    else:
        at = _app("pages/changes.py", desk, monkeypatch, secrets={"crisisboard": {"public_names": True}})
    rows = {row["claim_id"]: row for row in _changes_table(at)}
    assert (rows["fx-02"]["who"], rows["fx-02"]["approved_by"]) == (ANA.email, GONE.email)
    assert "reason" not in rows["fx-02"]  # names only: the reasons stay with the staff
    assert "reasons given for each change are shown to signed-in staff only" in _everything(at)
    if how == "environment":
        monkeypatch.setenv("CRISISBOARD_PUBLIC_REASONS", "1")
        at = _app("pages/changes.py", desk, monkeypatch)
    else:
        at = _app("pages/changes.py", desk, monkeypatch,
                  secrets={"crisisboard": {"public_names": True, "public_reasons": True}})
    assert {row["claim_id"]: row for row in _changes_table(at)}["fx-02"]["reason"] == REASON_EDIT


def test_without_a_setting_names_stay_hidden(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_PUBLIC_NAMES", "0")
    at = _app("pages/changes.py", desk, monkeypatch, secrets={"crisisboard": {"public_names": False}})
    assert "@" not in _everything(at)


# --- a claim card's history ----------------------------------------------------------------------------------

def test_a_claim_cards_history_names_roles_to_the_public_and_emails_to_staff(
        desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("pages/timeline.py", desk, monkeypatch, chart="killed")
    at.selectbox(key="timeline_card").set_value("fx-02").run()
    assert not at.exception
    [public] = [block.value for block in at.code if "fx-02" in block.value]
    assert "an analyst" in public and "a former staff member" in public and "notes" in public
    assert "@" not in public and "PRIVATE" not in public
    assert "@" not in _everything(at)

    staff = _app("pages/timeline.py", desk, monkeypatch, user=_signed_in(REV), chart="killed")
    staff.selectbox(key="timeline_card").set_value("fx-02").run()
    assert not staff.exception
    [history] = [block.value for block in staff.code if "fx-02" in block.value]
    assert ANA.email in history and GONE.email in history and REASON_EDIT in history


# --- the briefing pack ---------------------------------------------------------------------------------------

def _pack_changes(folder: Path, audience: object | None) -> tuple[list[dict[str, str]], str]:
    from crisisboard.claims.changes import changes_since

    dataset = load_dataset(folder)
    specs = pack_specs(dataset.claims, dataset)[:1]
    views = [build_view(dataset, Filters(), spec) for spec in specs]
    history = CsvStore(folder).history()
    changes = changes_since(history, dataset, EPOCH) if audience is None else \
        changes_since(history, dataset, EPOCH, audience)
    pack = zipfile.ZipFile(io.BytesIO(build_pack(views, [context_for(spec) for spec in specs], changes=changes)))
    text = pack.read("changes.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text))), pack.read("README.md").decode("utf-8")


def test_a_packs_changes_csv_names_roles_unless_staff_make_it(desk: Path) -> None:
    rows, readme = _pack_changes(desk, None)  # a caller that does not say who reads it gets the public's view
    text = "\n".join(",".join(row.values()) for row in rows)
    assert len(rows) == 3 and "@" not in text and "PRIVATE" not in text
    assert {row["who"] for row in rows} == {"a staff member"}  # not even roles: it was given none
    assert "with who, when and why" not in readme and "the role of who proposed and approved" in readme
    from crisisboard.claims.audience import Audience  # the reader of a pack, as the app and the command give it

    rows, _ = _pack_changes(desk, Audience.of("viewer", CsvStore(desk).users()))
    assert {row["who"] for row in rows} == {"an analyst", "a reviewer"}
    assert {row["approved_by"] for row in rows} == {"a reviewer", "a former staff member"}
    rows, readme = _pack_changes(desk, Audience.of("analyst", CsvStore(desk).users()))
    assert {row["who"] for row in rows} == {ANA.email, REV.email}
    assert {row["reason"] for row in rows} == set(REASONS)
    assert "with who, when and why" in readme


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_a_pack_the_command_makes_names_roles_unless_a_setting_shows_names(desk: Path, tmp_path: Path) -> None:
    import os

    from test_export import run_cli

    for setting, expected in (("0", {"an analyst", "a reviewer"}), ("1", {ANA.email, REV.email})):
        pack = tmp_path / f"pack-{setting}.zip"
        result = run_cli("export", "--data-dir", str(desk), "--pack", "-o", str(pack),
                         env={**os.environ, "CRISISBOARD_PUBLIC_NAMES": setting})
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(zipfile.ZipFile(pack).read("changes.csv").decode("utf-8-sig"))))
        assert {row["who"] for row in rows} == expected
        assert not [row for row in rows if "reason" in row]  # the reasons stay with the staff either way

"""Publishing from the app (issue #32): a reviewer publishes from the Review page, an analyst cannot (the page
offers no button and the store's roles refuse a forged call), and every page's sidebar names the latest
edition. Real pages (Streamlit's AppTest), a real data folder, store and publish folder; only who is signed in
is set by the test, as in tests/test_review_pages.py, and the store checks the role again itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT, shown
from streamlit.testing.v1 import AppTest

from crisisboard.app import auth
from crisisboard.app.publish_config import LOCAL_PUBLISH_DIR, publish_settings
from crisisboard.app.signin_config import SigninConfigError, checked_signin
from crisisboard.data.backends import CsvStore
from crisisboard.data.users import Actor, PermissionDenied
from crisisboard.publish.edition import publish
from crisisboard.publish.workbench import publish_store

ANA = Actor("ana@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")
URL = "https://data.example.org/crisisboard"


def _page(page: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, actor: Actor, section: dict) -> AppTest:
    monkeypatch.setenv("CRISISBOARD_DATA", str(data_dir))
    monkeypatch.chdir(PROJECT)
    monkeypatch.setattr(auth, "current_actor", lambda *_args, **_kwargs: actor)
    at = AppTest.from_file(str(PROJECT / "pages" / page), default_timeout=180)
    at.secrets["crisisboard"] = section
    at.run()
    assert not at.exception, at.exception
    return at


def _said(at: AppTest) -> str:
    return " ".join(shown(e.value) for e in [*at.error, *at.warning, *at.info, *at.success, *at.markdown,
                                              *at.caption])


def _approved(data_dir: Path) -> str:
    store = CsvStore(data_dir)
    proposal = store.propose_edit("fx-01", {"notes": "seen in print"}, ANA, "seen in print", None).proposal
    store.approve(proposal.proposal_id, REV, "checked against the release")
    return proposal.proposal_id


def _edition_captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption if "Published edition" in c.value]


def test_a_reviewer_publishes_edition_1_from_the_review_page(dataset_copy: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    proposal = _approved(dataset_copy)
    out, slug = tmp_path / "public", CsvStore(dataset_copy).crisis
    at = _page("review.py", dataset_copy, monkeypatch, REV, {"publish_dir": str(out), "publish_url": URL})
    assert "Nothing published yet" in _said(at) and _edition_captions(at) == []
    at.button(key="publish_edition").click().run()
    assert not at.exception, at.exception
    manifest = json.loads((out / slug / "v1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == 1 and manifest["reviewers"] == [REV.email]
    assert [a["proposal"] for a in manifest["approvals"]] == [proposal]
    assert [shown(s.value) for s in at.success] == [f"Edition 1 published: {URL}/{slug}/v1/index.html"]
    [line] = _edition_captions(at)
    assert shown(line).startswith("[Published edition 1, ") and f"]({URL}/{slug}/v1/index.html)" in line
    at.button(key="publish_edition").click().run()  # nothing changed since: no edition 2
    assert "No change since edition 1: no new edition was made." in [shown(i.value) for i in at.info]
    assert sorted(p.name for p in (out / slug).iterdir()) == ["feed.atom", "latest", "v1"]


def test_an_analyst_has_no_button_and_a_forged_call_is_refused(dataset_copy: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _approved(dataset_copy)
    out = tmp_path / "public"
    at = _page("review.py", dataset_copy, monkeypatch, ANA, {"publish_dir": str(out)})
    assert "publish_edition" not in [b.key for b in at.button] and "Public edition" not in _said(at)
    with pytest.raises(PermissionDenied, match="ana@example.org \\(analyst\\) may not publish"):
        publish_store(CsvStore(dataset_copy), ANA, out)
    assert not out.exists()


def test_the_role_is_checked_again_at_the_click(dataset_copy: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    (dataset_copy / "users.csv").write_text("email,role,crisis\nrev@example.org,reviewer,\n", encoding="utf-8")
    at = _page("review.py", dataset_copy, monkeypatch, REV, {"publish_dir": str(out)})
    (dataset_copy / "users.csv").write_text("email,role,crisis\nrev@example.org,analyst,\n", encoding="utf-8")
    at.button(key="publish_edition").click().run()  # the page was drawn for a reviewer; the store says analyst
    assert not at.exception, at.exception
    assert any("rev@example.org no longer has a role that may publish (now: analyst)" in shown(e.value)
               for e in at.error), _said(at)
    assert not out.exists()


def test_every_page_names_the_latest_edition_with_its_link(dataset_copy: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out, slug = tmp_path / "public", CsvStore(dataset_copy).crisis
    at = _page("sources.py", dataset_copy, monkeypatch, ANA, {"publish_dir": str(out), "publish_url": URL})
    assert _edition_captions(at) == []  # nothing published: nothing said
    publish(dataset_copy, out, images=False)
    _approved(dataset_copy)
    second = publish(dataset_copy, out, images=False)
    assert second.edition == 2
    at = _page("sources.py", dataset_copy, monkeypatch, ANA, {"publish_dir": str(out), "publish_url": URL + "/"})
    [line] = _edition_captions(at)
    assert shown(line).startswith("[Published edition 2, ") and f"]({URL}/{slug}/v2/index.html)" in line
    at = _page("sources.py", dataset_copy, monkeypatch, ANA, {"publish_dir": str(out)})
    [line] = _edition_captions(at)  # no public address: the number and date, and no link that would break
    assert shown(line).startswith("Published edition 2, ") and "](" not in line and "http" not in line


def test_a_bad_publish_setting_turns_publishing_off_and_stops_the_server(dataset_copy: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("review.py", dataset_copy, monkeypatch, REV, {"publish_dir": "relative/public"})
    assert "publish_edition" not in [b.key for b in at.button]
    assert any("Publishing is off: [crisisboard] publish_dir must be the absolute path" in shown(e.value)
               for e in at.error)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[crisisboard]\npublish_url = "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(SigninConfigError, match="publish_url must be the http"):
        checked_signin(secrets)
    secrets.write_text(f'[crisisboard]\npublish_dir = "{tmp_path}"\npublish_url = "{URL}"\n', encoding="utf-8")
    assert checked_signin(secrets) is False  # good values: the server starts (no [auth]: no sign-in)


@pytest.mark.parametrize("section", [{"publish_dir": ""}, {"publish_dir": 3}, {"publish_url": "ftp://x.org/p"},
                                     {"publish_url": "https://x.org/p?edition=1"}, {"publish_url": ""}])
def test_publish_settings_refuse_bad_values(section: dict) -> None:
    if section == {"publish_url": ""}:  # an empty address is "not said", not a bad one
        assert publish_settings(section, local=False).url == ""
        return
    with pytest.raises(ValueError, match=r"\[crisisboard\] publish_"):
        publish_settings(section, local=True)


def test_local_mode_publishes_into_public_of_the_checkout_by_default() -> None:
    assert publish_settings({}, local=True).folder == LOCAL_PUBLISH_DIR == PROJECT / "public"
    assert publish_settings({}, local=False).folder is None  # a server must be told where


def test_a_folder_that_cannot_be_written_is_said_plainly(dataset_copy: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the editions should go", encoding="utf-8")
    at = _page("review.py", dataset_copy, monkeypatch, REV, {"publish_dir": str(blocker)})
    at.button(key="publish_edition").click().run()
    assert not at.exception, at.exception
    assert any(shown(e.value).startswith(f"Nothing was published: {blocker} cannot be written") for e in at.error), \
        _said(at)
    assert not at.success and blocker.read_text(encoding="utf-8") == "a file where the editions should go"

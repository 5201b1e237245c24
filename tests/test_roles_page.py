"""The Review page's roles panel (issue #31): an admin gives a role on this crisis or on all crises, and the
store refuses what the admin may not give, whatever the form offered. Real page (Streamlit's AppTest), real
data folder and store; only who is signed in is set by the test, as in tests/test_review_pages.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_review_pages import _page, _said

from crisisboard.data.backends import CsvStore
from crisisboard.data.users import Actor

ADMIN = Actor("adm@example.org", "admin")
REV = Actor("rev@example.org", "reviewer")


def _save(at: AppTest, email: str, role: str, scope: str, reason: str) -> AppTest:
    at.text_input(key="role_email").input(email)
    at.selectbox(key="role_role").select(role)
    at.selectbox(key="role_scope").select(scope)
    at.text_input(key="role_reason").input(reason)
    at.button(key="FormSubmitter:roles_form-Save the role").click().run()
    assert not at.exception, at.exception
    return at


def test_an_admin_gives_a_role_on_this_crisis_and_one_of_this_crisis_only_cannot_give_one_on_all(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crisis = CsvStore(dataset_copy).crisis
    (dataset_copy / "users.csv").write_text(f"email,role,crisis\nadm@example.org,admin,{crisis}\n", encoding="utf-8")
    at = _page("review.py", dataset_copy, monkeypatch, ADMIN)
    assert not at.exception, at.exception
    assert [e.label for e in at.expander if e.label == "Roles (admins)"] == ["Roles (admins)"]
    assert at.selectbox(key="role_scope").options == [crisis, "all crises"]
    _save(at, "ana@example.org", "analyst", crisis, "analyst of this crisis")
    assert "ana@example.org: role none -> analyst; recorded" in _said(at)
    assert CsvStore(dataset_copy).users() == {"adm@example.org": "admin", "ana@example.org": "analyst"}
    before = (dataset_copy / "users.csv").read_bytes()
    _save(at, "ben@example.org", "admin", "all crises", "wider than mine")
    assert any(f"may manage the roles of {crisis} only" in str(e.value) for e in at.error)
    assert (dataset_copy / "users.csv").read_bytes() == before


def test_the_roles_panel_is_for_admins_only(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page("review.py", dataset_copy, monkeypatch, REV)
    assert not at.exception, at.exception
    assert "Roles (admins)" not in [e.label for e in at.expander]

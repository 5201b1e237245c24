"""Nobody writes who shouldn't (issue #19): every write of both stores checks the actor's role itself, so a
viewer or an anonymous visitor cannot write even by calling the write functions directly; roles are managed
by admins only, and every change of a role is in the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store import SOURCE, claim
from test_store_contract import _exported, pg_admin, pg_url, store  # noqa: F401 - fixtures (both backends)

from crisisboard.data.backends import Store
from crisisboard.data.users import ANONYMOUS, LOCAL_ADMIN, Actor, PermissionDenied

VIEWER, ANALYST = Actor("vic@example.org", "viewer"), Actor("ana@example.org", "analyst")
REVIEWER, ADMIN = Actor("rev@example.org", "reviewer"), Actor("adm@example.org", "admin")


def _writes(store: Store) -> dict:
    return {
        "propose": lambda actor: store.append_release(SOURCE, [claim("the paper counted 120 dead", "120", "120")],
                                                      actor, "read it"),
        "edit": lambda actor: store.edit_claim("fx-02", {"notes": "edited"}, actor, "why", None),
        "retract": lambda actor: store.retract_claim("fx-03", actor, "why", None),
        "restore": lambda actor: store.restore_claim("fx-03", actor, "why", None),
        "manage_users": lambda actor: store.set_role("new@example.org", "analyst", actor, "why"),
    }


@pytest.mark.parametrize("actor", [ANONYMOUS, VIEWER, None], ids=["anonymous", "viewer", "no actor"])
def test_a_viewer_or_anonymous_visitor_cannot_write_by_any_function(store: Store, actor: Actor | None,
                                                                    tmp_path: Path) -> None:
    before, history = _exported(store, tmp_path, "before"), store.history()
    for name, write in _writes(store).items():
        with pytest.raises(PermissionDenied, match="may not"):
            write(actor)
    assert _exported(store, tmp_path, "after") == before and store.history() == history and store.users() == {}


def test_each_role_may_do_what_it_should_and_no_more(store: Store) -> None:
    allowed = {"viewer": set(), "analyst": {"propose"}, "reviewer": {"propose", "edit", "retract", "restore"},
               "admin": {"propose", "edit", "retract", "restore", "manage_users"}}
    for actor in (VIEWER, ANALYST, REVIEWER, ADMIN):
        done = set()
        for name, write in _writes(store).items():
            try:
                write(actor)
                done.add(name)
            except PermissionDenied:
                pass
        assert done == allowed[actor.role], actor.role


def test_roles_are_managed_by_admins_and_recorded(store: Store) -> None:
    store.set_role("Ana@Example.org", "analyst", ADMIN, "joined the desk")
    store.set_role("ana@example.org", "reviewer", LOCAL_ADMIN, "promoted")
    assert store.users() == {"ana@example.org": "reviewer"}
    store.set_role("ana@example.org", None, ADMIN, "left the desk")
    assert store.users() == {}
    assert [(c.who, c.old, c.new, c.reason) for c in store.history("ana@example.org")] == [
        ("adm@example.org", "", "analyst", "joined the desk"), ("local", "analyst", "reviewer", "promoted"),
        ("adm@example.org", "reviewer", "(removed)", "left the desk")]
    with pytest.raises(PermissionDenied):
        store.set_role("ana@example.org", "admin", REVIEWER, "self-service")

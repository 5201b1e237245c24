"""Nobody writes who shouldn't (issue #19): every write of both stores checks the actor's role itself, so a
viewer or an anonymous visitor cannot write even by calling the write functions directly (proposing,
approving, rejecting, managing users or the two-person rule); roles are managed by admins only, and every
change of a role is in the history. Named ``test_login_…`` so that ``pytest -k "login or oidc"`` runs them."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from test_store import SOURCE, claim
from test_store_contract import _exported, pg_admin, pg_url, store  # noqa: F401 - fixtures (both backends)

from crisisboard.data.backends import Store
from crisisboard.data.users import ANONYMOUS, LOCAL_ADMIN, Actor, PermissionDenied

VIEWER, ANALYST = Actor("vic@example.org", "viewer"), Actor("ana@example.org", "analyst")
REVIEWER, ADMIN = Actor("rev@example.org", "reviewer"), Actor("adm@example.org", "admin")


OTHER = Actor("oth@example.org", "analyst")  # proposes what the others are asked to review


def _counted(n: int) -> dict[str, str]:
    return claim(f"the paper counted {n} dead", str(n), str(n))


COUNTER = itertools.count()  # every value written is new: a write refused is never one with nothing to do


def _writes(store: Store) -> dict:
    counter = COUNTER

    def review(actor: Actor | None) -> object:
        pending = store.propose_edit("fx-01", {"notes": f"note {next(counter)}"}, OTHER, "a note", None).proposal
        return store.approve(pending.proposal_id, actor, "checked")

    def reject(actor: Actor | None) -> object:
        pending = store.propose_edit("fx-01", {"notes": f"note {next(counter)}"}, OTHER, "a note", None).proposal
        return store.reject(pending.proposal_id, actor, "not in the text")

    return {
        "propose": lambda actor: store.propose_release(SOURCE, [_counted(120 + next(counter))], actor, "read it"),
        "propose_edit": lambda actor: store.propose_edit("fx-02", {"notes": f"edit {next(counter)}"}, actor, "why",
                                                         None),
        "retract": lambda actor: store.propose_retract("fx-03", actor, "why", None),
        "restore": lambda actor: store.propose_restore("fx-03", actor, "why", None),
        "approve": review,
        "reject": reject,
        "manage_users": lambda actor: store.set_role("new@example.org", "analyst", actor, "why"),
        "two_person_rule": lambda actor: store.set_two_person_rule(True, actor, "why"),
    }


@pytest.mark.parametrize("actor", [ANONYMOUS, VIEWER, None], ids=["anonymous", "viewer", "no actor"])
def test_login_a_viewer_or_anonymous_visitor_cannot_write_by_any_function(store: Store, actor: Actor | None,
                                                                          tmp_path: Path) -> None:
    before = _exported(store, tmp_path, "before")
    for name, write in _writes(store).items():
        with pytest.raises(PermissionDenied, match="may not"):
            write(actor)
    assert _exported(store, tmp_path, "after") == before and store.users() == {}
    assert {p.proposed_by for p in store.proposals()} <= {OTHER.email}  # only the reviewable ones, by OTHER
    assert all(p.status == "pending" for p in store.proposals())  # none approved or rejected
    assert {c.who for c in store.history()} <= {OTHER.email, "test setup"}  # none in anyone else's name


def test_login_each_role_may_do_what_it_should_and_no_more(store: Store) -> None:
    proposing = {"propose", "propose_edit"}
    reviewing = proposing | {"retract", "restore", "approve", "reject"}
    allowed = {"viewer": set(), "analyst": proposing, "reviewer": reviewing,
               "admin": reviewing | {"manage_users", "two_person_rule"}}
    for actor in (VIEWER, ANALYST, REVIEWER, ADMIN):
        done = set()
        for name, write in _writes(store).items():
            try:
                write(actor)
                done.add(name)
            except PermissionDenied:
                pass
        assert done == allowed[actor.role], actor.role


def test_login_roles_are_managed_by_admins_and_recorded(store: Store) -> None:
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

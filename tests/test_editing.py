"""Edit and retract from the app (issues #18 and #19): in a real browser, a claim's card proposes an edit,
validated, with a reason, that changes nothing until another reviewer approves it; then the card shows its
history. A retraction approved on the Review page takes the claim off the chart and keeps its row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import VALID
from test_browser import CHROMIUM, running_app

from crisisboard.data.backends import CsvStore
from crisisboard.data.history import read_history
from crisisboard.data.review import read_proposals
from crisisboard.data.users import Actor

REV = Actor("rev@example.org", "reviewer")  # a second reader: the app's local user proposes, rev approves

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")]


def open_card(page, base: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{base}/timeline?chart=refugees_crossed&incidents=0", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .scatterlayer path').length > 0",
                           timeout=30_000)
    bar = page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").first  # the fixture's refugee claim
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("link", name="Open the release at the quote").wait_for(timeout=20_000)
    page.get_by_text("Propose an edit or a retraction").click()


def approve_pending(folder: Path, reviewer: Actor = REV) -> list[str]:
    """Approve every pending proposal as `reviewer` (another person than the app's local user)."""
    store = CsvStore(folder)
    pending = [p.proposal_id for p in store.proposals() if p.status == "pending"]
    for proposal_id in pending:
        store.approve(proposal_id, reviewer, "checked against the text")
    return pending


def test_a_card_edits_its_claim_with_a_reason_and_shows_the_history(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        open_card(page, base)
        page.get_by_role("tab", name="Edit").click()
        page.get_by_label("notes", exact=True).fill("Checked against the wire's print edition.")
        page.get_by_role("button", name="Propose the edit").click()
        page.get_by_text("say why in a line").first.wait_for(timeout=20_000)  # no reason: refused
        assert not read_proposals(folder)
        page.get_by_label("Why (required: goes into the claim's history)").fill("the print edition has it")
        page.get_by_role("button", name="Propose the edit").click()
        page.get_by_text("1 change(s) of fx-04. Nothing is published until a reviewer").first.wait_for(timeout=30_000)
        assert "Checked against" not in (folder / "claims.csv").read_text(encoding="utf-8")  # a draft only
        [proposal] = read_proposals(folder)
        assert (proposal.kind, proposal.target, proposal.proposed_by, proposal.status) == \
            ("edit", "fx-04", "local", "pending")
        assert approve_pending(folder) == [proposal.proposal_id]
    assert "Checked against the wire's print edition." in (folder / "claims.csv").read_text(encoding="utf-8")
    change, approval = read_history(folder, "fx-04")
    assert (change.action, change.field, change.who, change.reason) == \
        ("edit", "notes", "local", "the print edition has it")
    assert (approval.action, approval.who, approval.new) == ("approve", REV.email, proposal.proposal_id)


def test_a_card_retracts_its_claim_off_the_chart(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        open_card(page, base)
        page.get_by_role("tab", name="Retract").click()
        page.get_by_label("Why (required)").fill("the wire withdrew the figure")
        page.get_by_role("button", name="Propose retracting this claim").click()
        page.get_by_text("1 change(s) of fx-04. Nothing is published").first.wait_for(timeout=30_000)
        page.goto(f"{base}/review", wait_until="domcontentloaded")
        approve = page.get_by_role("button", name="Approve and publish")
        approve.wait_for(timeout=30_000)
        assert page.get_by_text("Waiting for review (1)").count()
        assert approve.is_disabled()  # the two-person rule: the local user proposed it
        CsvStore(folder).set_two_person_rule(False, Actor("adm@example.org", "admin"), "one-person desk")
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("Two-person rule: OFF").first.wait_for(timeout=30_000)
        page.get_by_label("Why (required: goes into the history)").fill("the wire withdrew it, checked")
        page.get_by_role("button", name="Approve and publish").click()
        page.get_by_text("approved and published").first.wait_for(timeout=30_000)
        page.goto(f"{base}/timeline?chart=refugees_crossed&incidents=0", wait_until="domcontentloaded")
        page.get_by_text("Showing 5 of 5 claims").first.wait_for(timeout=30_000)  # fx-04 left the charts
    assert [c.action for c in read_history(folder, "fx-04")][-2:] == ["retract", "approve"]
    assert "fx-04" in (folder / "claims.csv").read_text(encoding="utf-8")  # its row stays


def _edit_notes(page, note: str, reason: str) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Edit").click()
    page.get_by_label("notes", exact=True).fill(note)
    page.get_by_label("Why (required: goes into the claim's history)").fill(reason)
    page.get_by_role("button", name="Propose the edit").click()


def test_two_editors_of_one_claim_the_second_is_told_and_nothing_is_lost(tmp_path: Path, browser) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        first, second = browser.new_page(), browser.new_page()  # two sessions, both open the card
        open_card(first, base)
        open_card(second, base)
        _edit_notes(first, "the first editor's note", "first")
        first.get_by_text("1 change(s) of fx-04. Nothing is published").first.wait_for(timeout=30_000)
        approve_pending(folder)  # a reviewer publishes the first edit
        _edit_notes(second, "the second editor's note", "second")
        second.get_by_text("since you opened it").first.wait_for(timeout=30_000)
        told = second.locator("[data-testid=stAlert]").first.inner_text().replace("\u2060", "")  # no autolinks
        assert f"changed by local (approved by {REV.email}) at" in told
        text = (folder / "claims.csv").read_text(encoding="utf-8")
        assert "the first editor's note" in text and "the second editor's note" not in text
        # the card opened afresh on the first editor's version: the second editor's next save is theirs to make
        assert second.get_by_label("notes", exact=True).input_value() == "the first editor's note"

"""Edit and retract from the app (issue #18): in a real browser, a claim's card edits it, validated, with a
reason, and shows its history; a retraction takes it off the chart and keeps its row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import VALID
from test_browser import CHROMIUM, running_app

from crisisboard.data.history import read_history

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")]


def open_card(page, base: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{base}/timeline?chart=refugees_uzbekistan&incidents=0", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .scatterlayer path').length > 0",
                           timeout=30_000)
    bar = page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").first  # the fixture's refugee claim
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("link", name="Open the release at the quote").wait_for(timeout=20_000)
    page.get_by_text("Edit or retract this claim").click()


def test_a_card_edits_its_claim_with_a_reason_and_shows_the_history(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        open_card(page, base)
        page.get_by_role("tab", name="Edit").click()
        page.get_by_label("notes", exact=True).fill("Checked against the wire's print edition.")
        page.get_by_role("button", name="Save the edit").click()
        page.get_by_text("say why in a line").first.wait_for(timeout=20_000)  # no reason: refused
        assert "Checked against" not in (folder / "claims.csv").read_text(encoding="utf-8")
        page.get_by_label("Why (required: goes into the claim's history)").fill("the print edition has it")
        page.get_by_role("button", name="Save the edit").click()
        page.get_by_text("1 change(s) of fx-04 saved").first.wait_for(timeout=30_000)
    assert "Checked against the wire's print edition." in (folder / "claims.csv").read_text(encoding="utf-8")
    [change] = read_history(folder, "fx-04")
    assert (change.action, change.field, change.who, change.reason) == \
        ("edit", "notes", "local", "the print edition has it")


def test_a_card_retracts_its_claim_off_the_chart(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        open_card(page, base)
        page.get_by_role("tab", name="Retract").click()
        page.get_by_label("Why (required)").fill("the wire withdrew the figure")
        page.get_by_role("button", name="Retract this claim").click()
        page.get_by_text("1 change(s) of fx-04 saved").first.wait_for(timeout=30_000)
        page.get_by_text("Showing 5 of 5 claims").first.wait_for(timeout=30_000)  # fx-04 left the charts
    assert read_history(folder, "fx-04")[-1].action == "retract"
    assert "fx-04" in (folder / "claims.csv").read_text(encoding="utf-8")  # its row stays


def _edit_notes(page, note: str, reason: str) -> None:  # noqa: ANN001
    page.get_by_role("tab", name="Edit").click()
    page.get_by_label("notes", exact=True).fill(note)
    page.get_by_label("Why (required: goes into the claim's history)").fill(reason)
    page.get_by_role("button", name="Save the edit").click()


def test_two_editors_of_one_claim_the_second_is_told_and_nothing_is_lost(tmp_path: Path, browser) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    with running_app(folder) as base:
        first, second = browser.new_page(), browser.new_page()  # two sessions, both open the card
        open_card(first, base)
        open_card(second, base)
        _edit_notes(first, "the first editor's note", "first")
        first.get_by_text("1 change(s) of fx-04 saved").first.wait_for(timeout=30_000)
        _edit_notes(second, "the second editor's note", "second")
        second.get_by_text("since you opened it").first.wait_for(timeout=30_000)
        assert second.get_by_text("changed by local at").count()
        text = (folder / "claims.csv").read_text(encoding="utf-8")
        assert "the first editor's note" in text and "the second editor's note" not in text
        # the card opened afresh on the first editor's version: the second editor's next save is theirs to make
        assert second.get_by_label("notes", exact=True).input_value() == "the first editor's note"

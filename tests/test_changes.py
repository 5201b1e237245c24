"""What changed since a day (issue #18): the Changes page's rows and the briefing pack's changes.csv."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import VALID
from test_browser import CHROMIUM, running_app
from test_export import context_for
from test_store import SOURCE, claim
from test_store_contract import LEAD, publish, publish_release

from crisisboard.app.visits import COOKIE
from crisisboard.charts.views import build_view, pack_specs
from crisisboard.claims.audience import STAFF
from crisisboard.claims.changes import changes_since
from crisisboard.data.backends import CsvStore
from crisisboard.data.filters import Filters, describe_filters, from_query_params, to_query_params, vocabulary_of
from crisisboard.data.load import load_dataset
from crisisboard.data.selection import Selection
from crisisboard.export.pack import build_pack
from crisisboard.data.users import Actor

ANA = Actor("ana@example.org", "analyst")
BEN = Actor("ben@example.org", "analyst")
REV = Actor("rev@example.org", "reviewer")

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def test_changes_list_what_was_added_edited_and_retracted_and_flag_what_a_reader_must_hear(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    added = publish_release(store, [claim("the paper counted 9000 dead", "9000", "9000")], ANA, REV,
                            "read in print").report.claim_ids[0]
    publish(store, "edit", "fx-02", ANA, "second source", 0, {"notes": "checked", "info_credibility": "3"})
    publish(store, "retract", "fx-03", REV, "the wire withdrew it", 0)
    rows = changes_since(store.history(), load_dataset(folder), EPOCH, STAFF).set_index("claim_id")
    assert rows.loc[added, "what"] == "added" and rows.loc[added, "who"] == "ana@example.org"
    assert rows.loc[added, "approved_by"] == "rev@example.org" and rows.loc["fx-03", "approved_by"] == LEAD.email
    assert len(rows) == 3  # the approvals are columns of the changes they approved, not rows of their own
    assert rows.loc[added, "flag"].startswith("now the highest figure of Killed")  # 9,000 tops its tier
    assert rows.loc["fx-02", "what"] == "edited (notes, info_credibility)"  # one row for one edit of two fields
    assert rows.loc["fx-03", "what"] == "retracted" and "still show it" in rows.loc["fx-03", "flag"]
    assert rows.loc["fx-03", "reason"] == "the wire withdrew it"
    later = changes_since(store.history(), load_dataset(folder), datetime.now(timezone.utc).replace(year=2100))
    assert later.empty  # nothing after a day to come


def test_the_briefing_pack_carries_changes_csv(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    publish(store, "retract", "fx-03", REV, "the wire withdrew it", 0)
    dataset = load_dataset(folder)
    specs = pack_specs(dataset.claims, dataset)[:1]
    views = [build_view(dataset, Filters(), spec) for spec in specs]
    data = build_pack(views, [context_for(spec) for spec in specs],
                      changes=changes_since(store.history(), dataset, EPOCH, STAFF))
    pack = zipfile.ZipFile(io.BytesIO(data))
    changes = pack.read("changes.csv").decode("utf-8-sig")
    assert "fx-03" in changes and "the wire withdrew it" in changes and "still show it" in changes
    assert "`changes.csv`: the 1 claim(s)" in pack.read("README.md").decode("utf-8")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)")
def test_the_changes_page_opens_on_the_last_visit_in_this_browser(tmp_path: Path, page) -> None:  # noqa: ANN001
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    publish(store, "edit", "fx-02", ANA, "early", 0, {"notes": "before the first visit"})
    publish(store, "edit", "fx-01", ANA, "early", 0, {"notes": "also before it"})
    with running_app(folder) as base:
        page.goto(f"{base}/changes", wait_until="domcontentloaded")
        page.get_by_text("2 change(s) since").first.wait_for(timeout=60_000)  # 30 days: both early edits
        assert page.get_by_text("Your last visit").count() == 0
        page.wait_for_function(f"() => document.cookie.includes('{COOKIE}=')", timeout=20_000)
        time.sleep(1.1)  # the history keeps whole seconds
        publish(store, "edit", "fx-03", BEN, "later", 0, {"notes": "after the first visit"})
        page.goto(f"{base}/changes", wait_until="domcontentloaded")  # a new session of the same browser
        page.get_by_text("Your last visit to this page in this browser").first.wait_for(timeout=60_000)
        page.get_by_text("1 change(s) since").first.wait_for(timeout=60_000)  # only the later edit


def test_retracted_claims_leave_the_charts_unless_asked_for_and_then_every_text_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    publish(CsvStore(folder), "retract", "fx-03", REV, "the wire withdrew it", 0)
    dataset = load_dataset(folder)
    assert "fx-03" not in set(Selection(dataset, Filters()).claims["claim_id"])
    asked = Filters(retracted=True)
    assert "fx-03" in set(Selection(dataset, asked).claims["claim_id"])
    assert len(Selection(dataset, asked).claims) == len(dataset.claims) + 1
    assert to_query_params(asked) == {"retracted": "1"}
    assert from_query_params({"retracted": "1"}, vocabulary_of(dataset.places))[0] == asked
    assert "RETRACTED CLAIMS INCLUDED" in describe_filters(asked) and "RETRACTED" not in describe_filters(Filters())

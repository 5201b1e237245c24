"""What changed since a day (issue #18): the Changes page's rows and the briefing pack's changes.csv."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from conftest import VALID
from test_export import context_for
from test_store import SOURCE, claim

from crisisboard.charts.views import build_view, pack_specs
from crisisboard.claims.changes import changes_since
from crisisboard.data.backends import CsvStore
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset
from crisisboard.export.pack import build_pack

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def test_changes_list_what_was_added_edited_and_retracted_and_flag_what_a_reader_must_hear(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    store = CsvStore(folder)
    added = store.append_release(SOURCE, [claim("the paper counted 9000 dead", "9000", "9000")], "ana@example.org",
                                 "read in print").claim_ids[0]
    store.edit_claim("fx-02", {"notes": "checked", "info_credibility": "3"}, "rev@example.org", "second source", 0)
    store.retract_claim("fx-03", "rev@example.org", "the wire withdrew it", 0)
    rows = changes_since(store.history(), load_dataset(folder), EPOCH).set_index("claim_id")
    assert rows.loc[added, "what"] == "added" and rows.loc[added, "who"] == "ana@example.org"
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
    store.retract_claim("fx-03", "rev@example.org", "the wire withdrew it", 0)
    dataset = load_dataset(folder)
    specs = pack_specs(dataset.claims, dataset)[:1]
    views = [build_view(dataset, Filters(), spec) for spec in specs]
    data = build_pack(views, [context_for(spec) for spec in specs],
                      changes=changes_since(store.history(), dataset, EPOCH))
    pack = zipfile.ZipFile(io.BytesIO(data))
    changes = pack.read("changes.csv").decode("utf-8-sig")
    assert "fx-03" in changes and "the wire withdrew it" in changes and "still show it" in changes
    assert "`changes.csv`: the 1 claim(s)" in pack.read("README.md").decode("utf-8")

"""python -m crisisboard publish: numbered static editions of the approved data (crisisboard.publish)."""

from __future__ import annotations

import csv
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import set_cell

from crisisboard.cli import main
from crisisboard.data.crisis import crisis_slug
from crisisboard.publish import pages
from crisisboard.publish.edition import publish

ATOM = "{http://www.w3.org/2005/Atom}"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _claim_row(data_dir: Path, claim_id: str) -> int:
    rows = _rows(data_dir / "claims.csv")
    return [row[0] for row in rows[1:]].index(claim_id)


def test_first_publish_makes_v1_and_latest_with_a_true_manifest(dataset_copy: Path, tmp_path: Path,
                                                                  capsys) -> None:  # noqa: ANN001
    out = tmp_path / "public"
    assert main(["publish", "--out", str(out), "--data-dir", str(dataset_copy), "--no-images"]) == 0
    assert "published edition 1" in capsys.readouterr().out
    crisis = out / crisis_slug(dataset_copy)
    assert sorted(p.name for p in crisis.iterdir()) == ["feed.atom", "latest", "v1"]
    manifest = json.loads((crisis / "v1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == 1 and manifest["previous_edition"] is None
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {p.relative_to(crisis / "v1").as_posix() for p in (crisis / "v1").rglob("*") if p.is_file()}
    assert listed == on_disk - {"manifest.json"}
    for entry in manifest["files"]:
        content = (crisis / "v1" / entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], entry["path"]
        assert len(content) == entry["size"]
        assert (crisis / "latest" / entry["path"]).read_bytes() == content
    assert {"data/claims.csv", "data/sources.csv", "data/places.csv", "data/incidents.csv", "claims.json",
            "claims.parquet", "README.md", "index.html", "changes.json", "changes.html",
            "claims/fx-01.html", "sources/fx-ngo-1.html"} <= listed


def test_claims_csv_carries_the_hxl_row_and_every_approved_claim(dataset_copy: Path, tmp_path: Path) -> None:
    done = publish(dataset_copy, tmp_path / "out", images=False)
    rows = _rows(done.folder / "data" / "claims.csv")
    source_rows = _rows(dataset_copy / "claims.csv")
    assert rows[0] == source_rows[0]
    assert rows[1][rows[0].index("claim_id")] == "#meta+id"
    assert rows[1][rows[0].index("low")].startswith("#affected")
    assert all(tag.startswith("#") for tag in rows[1])
    assert rows[2:] == source_rows[1:]
    records = json.loads((done.folder / "claims.json").read_text(encoding="utf-8"))
    assert [r["claim_id"] for r in records] == [row[0] for row in source_rows[1:]]


def test_a_claim_page_escapes_a_hostile_quote_and_links_only_http() -> None:
    claim = {"claim_id": "x-1", "source_id": "s-1", "statement_id": "st-<b>", "quote": "<script>alert(1)</script> 5 \"died\"",
             "figure_text": "5", "source_reliability": "B", "info_credibility": "2", "grade_rationale": "<i>why</i>"}
    source = {"source_id": "s-1", "url": "javascript:alert(1)", "title": "<img src=x onerror=alert(1)>",
              "language": "en", "publisher": "P", "published": "2010-06-12", "archive_url": ""}
    page = pages.claim_page(claim, source)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<i>why" not in page
    assert 'href="javascript' not in page
    assert '<blockquote lang="en">' in page
    assert "B2" in page
    good = pages.claim_page(claim, {**source, "url": "https://example.org/r"})
    assert '<a href="https://example.org/r"' in good


def test_publishing_again_without_a_change_makes_no_edition(dataset_copy: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    assert main(["publish", "--out", str(out), "--data-dir", str(dataset_copy), "--no-images"]) == 0
    before = (out / crisis_slug(dataset_copy) / "v1" / "manifest.json").read_bytes()
    capsys.readouterr()
    assert main(["publish", "--out", str(out), "--data-dir", str(dataset_copy), "--no-images"]) == 0
    assert "no new edition" in capsys.readouterr().out
    crisis = out / crisis_slug(dataset_copy)
    assert sorted(p.name for p in crisis.iterdir() if not p.name.startswith(".")) == ["feed.atom", "latest", "v1"]
    assert (crisis / "v1" / "manifest.json").read_bytes() == before


def test_an_edit_then_a_retraction_make_v2_and_v3_with_their_changes(dataset_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = publish(dataset_copy, out, images=False)
    v1_files = {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()}
    row = _claim_row(dataset_copy, "fx-01")
    for column, value in (("quote", "the ministry said 45 people were killed"), ("figure_text", "45"),
                          ("low", "45"), ("high", "45")):
        set_cell(dataset_copy, "claims.csv", row, column, value)
    second = publish(dataset_copy, out, images=False)
    assert second.new and second.edition == 2
    changes = json.loads((second.folder / "changes.json").read_text(encoding="utf-8"))
    assert changes["previous_edition"] == 1
    assert changes["edited"] == [{"claim_id": "fx-01", "fields": ["figure_text", "high", "low", "quote"]}]
    assert changes["added"] == [] and changes["retracted"] == []
    assert "fx-01" in (second.folder / "changes.html").read_text(encoding="utf-8")
    assert (out / crisis_slug(dataset_copy) / "latest" / "changes.json").read_bytes() == \
        (second.folder / "changes.json").read_bytes()

    _retract(dataset_copy, "fx-02", "2020-01-01")
    third = publish(dataset_copy, out, images=False)
    assert third.edition == 3
    changes = json.loads((third.folder / "changes.json").read_text(encoding="utf-8"))
    assert changes["retracted"] == [{"claim_id": "fx-02"}] and changes["edited"] == []
    assert "fx-02" not in [r[0] for r in _rows(third.folder / "data" / "claims.csv")]
    assert not (third.folder / "claims" / "fx-02.html").exists()
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == v1_files  # old editions stay

    feed = ET.parse(out / crisis_slug(dataset_copy) / "feed.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["3", "2", "1"]


def _retract(data_dir: Path, claim_id: str, day: str) -> None:
    rows = _rows(data_dir / "claims.csv")
    header = rows[0] + ([] if "retracted" in rows[0] else ["retracted"])
    with (data_dir / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows[1:]:
            row = row + [""] * (len(header) - len(row))
            if row[0] == claim_id:
                row[header.index("retracted")] = day
            writer.writerow(row)


def test_the_changes_page_of_a_large_edition_lists_the_first_changes_and_points_to_the_json() -> None:
    changes = {"added": [{"claim_id": f"c{i:06d}"} for i in range(5_000)], "edited": [],
               "retracted": [{"claim_id": "gone-1"}], "removed": []}
    text = pages.changes_page(2, 1, changes, shown=100)
    assert text.count("<tr><td>") == 100
    assert "gone-1" in text and text.index("gone-1") < text.index("c000000")  # retractions before additions
    assert "c000098" in text and "c000099" not in text
    assert "The first 100 of 5,001 changes" in text and 'href="changes.json"' in text
    assert "5000 added" in text and "1 retracted" in text
    small = pages.changes_page(2, 1, {"added": [{"claim_id": "c1"}], "edited": [], "retracted": [], "removed": []})
    assert "c1" in small and "changes.json" not in small


def test_a_retracted_claim_links_to_its_card_in_the_previous_edition_and_the_index_opens_with_the_edition() -> None:
    changes = {"added": [], "edited": [], "retracted": [{"claim_id": "gone-1"}], "removed": []}
    assert '<a href="../v3/claims/gone-1.html">gone-1</a>' in pages.changes_page(4, 3, changes)
    index = pages.index_page("A crisis", 4, "2026-12-07T10:00:00Z", "cite me", {"claims": 2, "sources": 1,
                             "statements": 0}, ["data/claims.csv"], charts=[], problems=[])
    main = index[index.index("<main>"):]
    assert main.index("<strong>Edition 4</strong>") < main.index("<h2>")  # said before anything else
    assert 'href="../feed.atom"' in index and 'href="changes.html"' in index

"""Saving a release: validated, atomic, backed up, duplicates refused, and two racing writers lose nothing."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from crisisboard.data.load import load_dataset
from crisisboard.data.store import SaveError, append_release

SOURCE = {"source_id": "fx-new-release", "publisher": "Fixture Paper", "publisher_type": "media",
          "title": "A new fixture release", "url": "https://example.org/new", "archive_url": "",
          "published": "2010-06-16", "published_precision": "exact", "language": "en", "corpus_file": "",
          "notes": "Test fixture."}


def claim(quote: str, figure: str, low: str, metric: str = "killed") -> dict[str, str]:
    return {"statement_id": f"st-fx-{figure}", "quote": quote, "figure_text": figure, "metric": metric,
            "population": "all", "low": low, "high": low, "qualifier": "exact", "vague_term": "",
            "as_of": "2010-06-16", "as_of_precision": "exact", "place_id": "city-a", "claimant": "Fixture Paper",
            "claimant_type": "media", "relayed_by": "", "status_in_text": "reported", "claim_kind": "cumulative",
            "scope": "crisis", "source_reliability": "C", "info_credibility": "3", "grade_rationale": "Fixture.",
            "notes": ""}


def test_append_validates_backs_up_and_refuses_duplicates(dataset_copy: Path) -> None:
    before = (dataset_copy / "claims.csv").read_bytes()
    report = append_release(dataset_copy, SOURCE, [claim("the paper counted 120 dead", "120", "120")])
    assert report.source_added and len(report.claim_ids) == 1 and not report.duplicates
    assert [b.read_bytes() for b in report.backups if b.name.startswith("claims-")] == [before]
    dataset = load_dataset(dataset_copy)
    assert "fx-new-release" in set(dataset.sources["source_id"]) and len(dataset.claims) == 7
    again = append_release(dataset_copy, SOURCE, [claim("the paper counted  120 dead", "120", "120"),
                                                  claim("and 400 were hurt", "400", "400", "injured")])
    assert not again.source_added and again.duplicates == ["the paper counted  120 dead"]
    assert len(again.claim_ids) == 1 and len(load_dataset(dataset_copy).claims) == 8


def test_invalid_rows_write_nothing(dataset_copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in dataset_copy.glob("*.csv")}
    bad = claim("the paper counted 120 dead", "120", "120")
    bad["low"] = "500"  # low > high
    with pytest.raises(SaveError) as caught:
        append_release(dataset_copy, SOURCE, [bad])
    assert any(p.field == "low" and "must be <= high" in p.message for p in caught.value.problems)
    assert {p.name: p.read_bytes() for p in dataset_copy.glob("*.csv")} == before
    assert not (dataset_copy / "backups").exists() or not list((dataset_copy / "backups").iterdir())


def _writer(data_dir: str, n: int, barrier) -> None:  # noqa: ANN001
    source = {**SOURCE, "source_id": f"fx-racer-{n}", "url": f"https://example.org/racer-{n}"}
    barrier.wait()
    append_release(Path(data_dir), source, [claim(f"racer {n} counted {10 + i} dead", f"{10 + i}", f"{10 + i}")
                                            for i in range(5)])


def test_two_processes_saving_at_once_lose_nothing(dataset_copy: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    writers = [context.Process(target=_writer, args=(str(dataset_copy), n, barrier)) for n in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    dataset = load_dataset(dataset_copy)
    assert {"fx-racer-1", "fx-racer-2"} <= set(dataset.sources["source_id"])
    assert len(dataset.claims) == 6 + 10


def test_two_threads_saving_at_once_lose_nothing(dataset_copy: Path) -> None:
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_writer, args=(str(dataset_copy), n, barrier)) for n in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(load_dataset(dataset_copy).claims) == 6 + 10


def test_a_destination_is_written_after_notes_and_before_retracted(dataset_copy: Path) -> None:
    """claims.csv without the optional column `destination` gains it, right after `notes` (before `retracted`),
    when a saved claim or an edit first gives one; nothing is dropped."""
    from conftest import drop_column, set_cell

    from crisisboard.data.store import change_claim, retract_claim

    drop_column(dataset_copy, "claims.csv", "destination")
    set_cell(dataset_copy, "claims.csv", 3, "metric", "displaced_total")  # no claim needs the column now
    crossed = {"quote": "the agency said 900 crossed into Armenia", "figure_text": "900", "low": "900",
               "high": "900", "metric": "refugees_crossed", "destination": "AM"}
    with pytest.raises(SaveError, match="refugees_crossed"):  # the rule still holds without the column
        append_release(dataset_copy, SOURCE, [{**claim("x 900", "900", "900"), **crossed, "destination": ""}])
    retract_claim(dataset_copy, "fx-01", "t@example.org", "test", None)  # the file now ends with `retracted`
    report = append_release(dataset_copy, SOURCE, [{**claim("x", "900", "900"), **crossed}])
    header = (dataset_copy / "claims.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-3:] == ["notes", "destination", "retracted"]
    dataset = load_dataset(dataset_copy)
    saved = dataset.claims.set_index("claim_id").loc[report.claim_ids[0]]
    assert (saved["metric"], saved["destination"]) == ("refugees_crossed", "AM")
    change_claim(dataset_copy, report.claim_ids[0], {"destination": "TR"}, "t@example.org", "wrong country", None)
    assert load_dataset(dataset_copy).claims.set_index("claim_id").loc[report.claim_ids[0], "destination"] == "TR"


def test_with_optional_puts_each_column_where_it_belongs() -> None:
    from crisisboard.data.schema import with_optional

    assert with_optional(["a", "notes"], {"destination"}) == ["a", "notes", "destination"]
    assert with_optional(["a", "notes", "retracted"], {"destination"}) == ["a", "notes", "destination", "retracted"]
    assert with_optional(["a", "notes"], {"retracted", "destination"}) == ["a", "notes", "destination", "retracted"]
    assert with_optional(["a", "notes", "destination"], {"destination", "x"}) == ["a", "notes", "destination"]

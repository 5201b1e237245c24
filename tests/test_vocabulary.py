"""migrate-vocabulary: a folder in the old vocabulary (a refugee metric named after a country) is rewritten in the
general one, with nothing lost, counts per metric printed, and nothing written when a claim cannot be moved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PROJECT, drop_column, set_cell

from crisisboard.data.load import load_dataset


def _old_vocabulary(folder: Path) -> None:
    """The fixture as a dataset of before issue #31: no destination column, the metric named after Uzbekistan."""
    drop_column(folder, "claims.csv", "destination")
    set_cell(folder, "claims.csv", 3, "metric", "refugees_uzbekistan")


def _migrate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crisisboard", "migrate-vocabulary", str(folder)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)


def test_old_metric_becomes_refugees_crossed_with_its_country(dataset_copy: Path) -> None:
    _old_vocabulary(dataset_copy)
    done = _migrate(dataset_copy)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "refugees_uzbekistan -> refugees_crossed: 1 before, 1 after" in lines
    assert "killed: 3 before, 3 after" in lines
    assert lines[-1] == "all metrics: 6 before, 6 after; 1 claim(s) rewritten"
    header = (dataset_copy / "claims.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-2:] == ["notes", "destination"]
    claims = load_dataset(dataset_copy, cache=False).claims.set_index("claim_id")
    assert (claims.loc["fx-04", "metric"], claims.loc["fx-04", "destination"]) == ("refugees_crossed", "UZ")
    again = _migrate(dataset_copy)  # already general: nothing to do, said so
    assert again.returncode == 0 and "not rewritten" in again.stdout


def test_a_country_it_cannot_name_writes_nothing(dataset_copy: Path) -> None:
    _old_vocabulary(dataset_copy)
    set_cell(dataset_copy, "claims.csv", 3, "metric", "refugees_atlantis")
    before = (dataset_copy / "claims.csv").read_bytes()
    done = _migrate(dataset_copy)
    assert done.returncode == 1
    assert "claims.csv:5: metric: must be one of" in done.stderr and "nothing was written" in done.stderr
    assert (dataset_copy / "claims.csv").read_bytes() == before


def test_a_destination_that_contradicts_the_old_metric_writes_nothing(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 3, "metric", "refugees_uzbekistan")  # the column stays, with UZ
    set_cell(dataset_copy, "claims.csv", 3, "destination", "AM")
    before = (dataset_copy / "claims.csv").read_bytes()
    done = _migrate(dataset_copy)
    assert done.returncode == 1 and "claims.csv:5: destination: is 'AM'" in done.stderr
    assert (dataset_copy / "claims.csv").read_bytes() == before

"""Synthetic datasets are valid, plainly synthetic and spread like the real one."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT

from crisisboard.data.load import load_dataset
from crisisboard.data.synth import write_synthetic
from crisisboard.data.validate import validate_dataset


def test_synthetic_dataset_passes_every_rule_and_says_it_is_synthetic(tmp_path: Path) -> None:
    write_synthetic(tmp_path, 600, seed=7)
    assert validate_dataset(tmp_path).problems == []
    dataset = load_dataset(tmp_path)
    claims = dataset.claims
    assert len(claims) == 600 and claims["quote"].str.startswith("(synthetic)").all()
    synthetic = dataset.sources["url"].str.startswith("https://example.org/synthetic/")
    assert set(claims["source_id"]) <= set(dataset.sources.loc[synthetic, "source_id"])  # every claim's is made up
    # the only real rows are the texts the crisis definition's routes cite, as data/ has them
    cited = {source_id for route in dataset.crisis.routes for source_id in route.source_ids}
    real = dataset.sources.loc[~synthetic, "source_id"]
    assert cited and set(real) == cited
    shipped = load_dataset(PROJECT / "data").sources.set_index("source_id")
    assert dataset.sources.set_index("source_id").loc[list(cited), "url"].equals(shipped.loc[list(cited), "url"])
    assert claims["metric"].nunique() >= 10 and claims["qualifier"].nunique() >= 6
    assert set(claims["tier"]) == {"high", "medium", "low", "unjudged"}
    assert claims.groupby("statement_id").size().max() == 3  # relays of one statement


def test_synthetic_dataset_is_deterministic(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 50, seed=3)
    write_synthetic(tmp_path / "b", 50, seed=3)
    assert (tmp_path / "a" / "claims.csv").read_bytes() == (tmp_path / "b" / "claims.csv").read_bytes()

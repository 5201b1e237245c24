"""Synthetic datasets are valid, plainly synthetic and spread like the real one."""

from __future__ import annotations

from pathlib import Path

from crisisboard.data.load import load_dataset
from crisisboard.data.synth import write_synthetic
from crisisboard.data.validate import validate_dataset


def test_synthetic_dataset_passes_every_rule_and_says_it_is_synthetic(tmp_path: Path) -> None:
    write_synthetic(tmp_path, 600, seed=7)
    assert validate_dataset(tmp_path).problems == []
    dataset = load_dataset(tmp_path)
    claims = dataset.claims
    assert len(claims) == 600 and claims["quote"].str.startswith("(synthetic)").all()
    assert dataset.sources["url"].str.startswith("https://example.org/synthetic/").all()
    assert claims["metric"].nunique() >= 10 and claims["qualifier"].nunique() >= 6
    assert set(claims["tier"]) == {"high", "medium", "low", "unjudged"}
    assert claims.groupby("statement_id").size().max() == 3  # relays of one statement


def test_synthetic_dataset_is_deterministic(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 50, seed=3)
    write_synthetic(tmp_path / "b", 50, seed=3)
    assert (tmp_path / "a" / "claims.csv").read_bytes() == (tmp_path / "b" / "claims.csv").read_bytes()

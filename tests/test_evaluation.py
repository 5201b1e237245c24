"""The blind evaluation protocol (issue #20): the split by text, the score's key, files with no label counted,
and the frozen test labels well-formed (and, where the shared corpus is here, verbatim)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from crisisboard.data import schema
from crisisboard.ingest.evaluate import (
    DEFAULT_CORPUS,
    TEST_LABELS,
    _norm_ws,
    evaluate,
    family_key,
    read_labels,
    set_files,
    split_of,
)


def test_the_split_is_a_stated_rule_on_the_file_name_and_takes_about_a_third() -> None:
    names = [f"{i:03d}_publisher_title_{i * 7}.txt" for i in range(300)]
    for name in names:  # the rule in tests/eval/README.md, written out again
        expected = "test" if int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 3 == 0 else "dev"
        assert split_of(name) == split_of(f"/elsewhere/{name}") == expected
    share = sum(split_of(n) == "test" for n in names) / len(names)
    assert 0.25 < share < 0.42


@pytest.mark.parametrize("metric,low,high,key", [
    ("refugees_crossed", 100000, 100000, ("refugees", 100000, None)),
    ("refugees_returned", 70000, 70000, ("returns", 70000, None)),
    ("displaced_internal", 300000, None, ("displaced", 300000, None)),
    ("hospitalized", 826, 826, ("injuries", 826, None)),
    ("killed", None, 2000, ("deaths", 2000, None)),  # "up to 2,000": the main figure is the only bound
    ("killed", 12, 17, ("deaths", 12, 17)),  # a range keeps its top
    ("buildings_destroyed", None, None, ("buildings", None, None)),
])
def test_the_score_key_is_family_main_figure_and_range_top(metric: str, low, high, key: tuple) -> None:  # noqa: ANN001
    assert family_key(metric, low, high) == key


def test_candidates_in_a_text_with_no_label_count_against_precision(tmp_path: Path) -> None:
    (tmp_path / "001_a.txt").write_text("At least 40 people were killed in the city.\n", encoding="utf-8")
    (tmp_path / "002_b.txt").write_text("Officials said 300 people were injured.\n", encoding="utf-8")
    labels = pd.DataFrame([{"file": "001_a.txt", "fragment": "At least 40 people were killed", "metric": "killed",
                            "low": 40, "high": None, "qualifier": "at_least", "note": ""}])
    labels["high"] = labels["high"].astype(object)
    scored = evaluate(tmp_path, labels, files=["001_a.txt", "002_b.txt"])["family_main_top"]
    assert (scored["tp"], scored["predicted"], scored["gold"]) == (1, 2, 1)
    assert scored["precision"] == 0.5 and scored["recall"] == 1.0
    assert set_files(tmp_path, split_of("001_a.txt")) == sorted(
        n for n in ("001_a.txt", "002_b.txt") if split_of(n) == split_of("001_a.txt"))


def test_the_frozen_test_labels_are_test_texts_only_and_well_formed() -> None:
    labels = read_labels(TEST_LABELS)
    assert len(labels) >= 100
    assert {split_of(f) for f in labels["file"]} == {"test"}
    assert set(labels["metric"]) <= set(schema.METRICS)
    assert set(labels["qualifier"]) <= set(schema.QUALIFIERS)
    assert max(len(f.split()) for f in labels["fragment"]) <= 40
    for row in labels.itertuples():
        if row.qualifier == "between":
            assert row.low is not None and row.high is not None and row.low < row.high, row.fragment


@pytest.mark.skipif(not DEFAULT_CORPUS.is_dir(), reason="the shared corpus is not beside the project")
def test_every_test_label_quotes_its_text() -> None:
    labels = read_labels(TEST_LABELS)
    texts = {f: _norm_ws((DEFAULT_CORPUS / f).read_text(encoding="utf-8")) for f in set(labels["file"])}
    missing = [(r.file, r.fragment) for r in labels.itertuples() if _norm_ws(r.fragment) not in texts[r.file]]
    assert missing == []

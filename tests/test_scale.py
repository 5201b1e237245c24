"""The data path at scale: the file-version check, the columnar cache of validated data, selections
shared between pages and sessions, and the caps on what a table or a list draws."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import VALID, set_cell

from crisisboard.claims.sources import page_count, page_of, sources_table
from crisisboard.claims.tables import claims_table, table_note
from crisisboard.data.filters import Filters
from crisisboard.data.load import DataValidationError, cache_dir, dataset_version, load_dataset
from crisisboard.data.selection import Selection
from crisisboard.data.synth import write_synthetic


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRISISBOARD_CACHE", str(folder))
    return folder


def test_version_changes_on_an_edit_that_keeps_the_size(dataset_copy: Path) -> None:
    before = dataset_version(dataset_copy)
    path = dataset_copy / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert "fx-01" in text
    path.write_text(text.replace("fx-01", "fx-0X", 1), encoding="utf-8")  # same length, other content
    assert dataset_version(dataset_copy) != before
    path.write_text(text, encoding="utf-8")
    assert dataset_version(dataset_copy) == before


def test_valid_data_is_read_back_from_the_columnar_cache(dataset_copy: Path, cache: Path) -> None:
    fresh = load_dataset(dataset_copy, cache=False)
    first = load_dataset(dataset_copy)
    entries = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1 and entries[0].name.startswith(fresh.version)
    assert sorted(p.name for p in entries[0].iterdir()) == ["claims.parquet", "complete", "incidents.parquet",
                                                           "places.parquet", "retracted.parquet", "sources.parquet"]
    # a second load must come from the cache: prove it by making validation impossible
    import crisisboard.data.load as load_module

    original = load_module.validate_dataset
    load_module.validate_dataset = lambda *args, **kwargs: pytest.fail("validated again despite the cache")
    try:
        again = load_dataset(dataset_copy)
    finally:
        load_module.validate_dataset = original
    for name in ("claims", "sources", "places", "incidents"):
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(again, name))
    assert first.version == again.version == fresh.version


def test_invalid_data_is_never_cached_and_the_data_folder_is_not_written(dataset_copy: Path, cache: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 0, "low", "not a number")
    before = {p.name: p.read_bytes() for p in dataset_copy.iterdir()}
    with pytest.raises(DataValidationError):
        load_dataset(dataset_copy)
    assert not cache.exists() or not [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert {p.name: p.read_bytes() for p in dataset_copy.iterdir()} == before


def test_a_damaged_cache_entry_is_rebuilt_from_the_files(dataset_copy: Path, cache: Path) -> None:
    load_dataset(dataset_copy)
    (entry,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    (entry / "claims.parquet").write_bytes(b"not parquet")
    dataset = load_dataset(dataset_copy)
    assert len(dataset.claims) == len(load_dataset(dataset_copy, cache=False).claims)


def test_an_edited_file_gets_a_new_cache_entry(dataset_copy: Path, cache: Path) -> None:
    load_dataset(dataset_copy)
    set_cell(dataset_copy, "claims.csv", 0, "notes", "edited")
    dataset = load_dataset(dataset_copy)
    assert "edited" in set(dataset.claims["notes"])
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 2


def test_the_cache_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_CACHE", "off")
    assert cache_dir() is None
    monkeypatch.delenv("CRISISBOARD_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache_dir() == Path("/somewhere/crisisboard")


def test_a_selection_computes_each_derived_value_once() -> None:
    dataset = load_dataset(VALID)
    selection = Selection(dataset, Filters(tiers=("high",)))
    calls = []

    def count(claims: pd.DataFrame, label: str) -> int:
        calls.append(label)
        return len(claims)

    assert selection.derive(count, "a") == selection.derive(count, "a") == (dataset.claims["tier"] == "high").sum()
    selection.derive(count, "b")
    assert calls == ["a", "b"]
    assert selection.claims is selection.claims


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("synth")
    write_synthetic(folder, 3000)
    return load_dataset(folder)


def test_sources_table_pages_through_every_release(synthetic) -> None:  # noqa: ANN001
    table = sources_table(synthetic.claims, synthetic)
    assert len(table) == len(synthetic.sources) > 100
    pages = page_count(table, size=100)
    seen = pd.concat([page_of(table, n, size=100)[0] for n in range(1, pages + 1)])
    assert list(seen["source_id"]) == list(table["source_id"])
    rows, caption = page_of(table, 2, size=100)
    assert caption == f"Releases 101–200 of {len(table):,} (page 2 of {pages})" and len(rows) == 100
    assert page_of(table, pages + 5, size=100)[1].endswith(f"(page {pages} of {pages})")  # clamped
    # totals and grades per release agree with a plain count
    first = table.iloc[0]
    own = synthetic.claims[synthetic.claims["source_id"] == first["source_id"]]
    assert first["n_claims"] == len(own) and first["n_shown"] == len(own)
    assert sorted(g.split(" ×")[0] for g in first["grades"].split(", ") if g) == sorted(set(own["grade"]))


def test_attribution_and_release_counts_agree_with_a_plain_count_by_source_id(synthetic) -> None:  # noqa: ANN001
    """Attribution and the Sources table count releases by integer code; a count of the text ids must agree."""
    from crisisboard.claims.attribution import build_attribution

    claims = synthetic.claims[synthetic.claims["tier"].isin(["high", "low"])]
    counts = claims["source_id"].value_counts().rename("n")
    expected = (claims.drop_duplicates("source_id").join(counts, on="source_id")
                .sort_values(["n", "published", "source_id"], ascending=[False, True, True]))
    table = build_attribution(claims).table
    assert list(table["source_id"]) == list(expected["source_id"]) and list(table["n"]) == list(expected["n"])
    assert list(table["publisher"]) == list(expected["publisher"])
    assert len(set(expected["n"])) > 1 and expected["n"].duplicated().any()  # both sort keys matter here
    shown = sources_table(claims, synthetic).set_index("source_id")["n_shown"]
    assert (shown[counts.index] == counts).all() and shown.drop(counts.index).eq(0).all()


def test_overview_summaries_agree_with_a_plain_count_per_metric_and_tier(synthetic) -> None:  # noqa: ANN001
    """The summaries group by integer codes and categories; a plain loop over the rows must agree. The
    tiers' spreads are of crisis-wide claims; partial ones are counted apart (issue #15)."""
    from crisisboard.charts.overview import summarise_metrics

    every = synthetic.claims[synthetic.claims["tier"].isin(["medium", "unjudged", "low"])]
    # figures about everyone (a metric's claims about other people are summed up per population: below)
    claims = every[every["population"].isin(["all", "civilians"])]
    assert claims["scope"].eq("partial").any() and claims["scope"].eq("crisis").any()
    summaries = summarise_metrics(claims)
    assert [s.metric for s in summaries] == [m for m in synthetic.present.metrics if m in set(claims["metric"])]
    for summary in summaries:
        rows = claims[claims["metric"] == summary.metric]
        assert (summary.n_claims, summary.n_sources, summary.n_statements) == (
            len(rows), rows["source_id"].nunique(), rows["statement_id"].nunique())
        crisis, partial = rows[rows["scope"] == "crisis"], rows[rows["scope"] == "partial"]
        assert [t.tier for t in summary.tiers] == [t for t in ("high", "medium", "low", "unjudged")
                                                    if t in set(crisis["tier"])]
        for tier in summary.tiers:
            in_tier = crisis[crisis["tier"] == tier.tier]
            numeric = in_tier[in_tier["value_low"].notna()]
            assert (tier.n_claims, tier.n_vague) == (len(in_tier), len(in_tier) - len(numeric))
            assert tier.low_value == numeric["value_low"].min() and tier.high_value == numeric["value_high"].max()
            assert tier.lowest.claim_id in set(numeric.loc[numeric["value_low"] == tier.low_value, "claim_id"])
            assert tier.highest.claim_id in set(numeric.loc[numeric["value_high"] == tier.high_value, "claim_id"])
        assert (summary.partial.n_claims if summary.partial else 0) == len(partial)
        others = crisis[~crisis["is_official"] & crisis["value_high"].notna()]
        if len(others):
            top = others.loc[others["claim_id"] == summary.highest_other.claim_id, "value_high"].iloc[0]
            assert top == others["value_high"].max()
    # with every population: a summary per population of a metric, each claim counted once, each tier's ends
    # figures about that summary's own people
    split = summarise_metrics(every)
    assert len(split) > len(summaries)
    population = dict(zip(every["claim_id"], every["population"].astype(str)))
    for metric in set(every["metric"]):
        own = [s for s in split if s.metric == metric]
        assert sum(s.n_claims for s in own) == int((every["metric"] == metric).sum())
        for summary in own:
            whom = {"everyone": {"all", "civilians"}, "": None}.get(summary.population, {summary.population})
            named = {population[ref.claim_id] for t in summary.tiers for ref in (t.lowest, t.highest) if ref}
            assert whom is None or named <= whom, (summary.label, named)


def test_claims_table_on_screen_is_capped_and_says_so(synthetic) -> None:  # noqa: ANN001
    table = claims_table(synthetic.claims, limit=250)
    assert len(table) == 250
    assert list(table["Claim id"]) == list(claims_table(synthetic.claims)["Claim id"][:250])
    assert table_note(synthetic.claims, 250) == f"The first 250 of {len(synthetic.claims):,} claims by date; " \
                                                "the downloads hold all of them."
    assert table_note(synthetic.claims.head(10), 250) == "All 10 claims."


def test_no_test_writes_into_the_users_cache() -> None:
    assert "crisisboard-test-cache-" in os.environ["CRISISBOARD_CACHE"]


def test_the_timeline_keeps_officials_and_extremes_when_it_cuts_statements(synthetic) -> None:  # noqa: ANN001
    from crisisboard.charts.timeline import limit_statements

    rows = synthetic.claims[synthetic.claims["metric"] == "killed"]
    kept, total = limit_statements(rows, limit=60)
    assert total == rows["statement_id"].nunique() > 60
    assert kept["statement_id"].nunique() <= 60
    # each statement is drawn as its first-published carrier: the extremes among those are kept
    first = rows.sort_values(["published_ts", "claim_id"]).drop_duplicates("statement_id")
    numeric = first[first["value_high"].notna()]
    assert numeric.loc[numeric["value_high"].astype(float).idxmax(), "statement_id"] in set(kept["statement_id"])
    assert numeric.loc[numeric["value_low"].astype(float).idxmin(), "statement_id"] in set(kept["statement_id"])
    again, _ = limit_statements(rows, limit=60)
    assert set(again["statement_id"]) == set(kept["statement_id"])  # the same sample on every run


@pytest.mark.parametrize("spec", ["overview", "timeline", "who-says-what", "map"])
def test_figures_built_without_plotly_checks_equal_the_checked_ones(synthetic, spec: str,  # noqa: ANN001
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The app builds figures skipping Plotly's item-by-item checks (style.figure_of, apply_style); the tests
    build them checked. Both must give the same figure, and the unchecked one must pass Plotly's checks."""
    import json

    import plotly.graph_objects as go

    from crisisboard.charts.views import build_view, spec_of
    from crisisboard.data.geo import load_geodata

    view = spec_of(spec, **{"overview": {}, "map": {"area": "osh"}}.get(spec, {"metric": "killed"}))
    filters = Filters(tiers=("high", "medium", "low"))
    checked = build_view(synthetic, filters, view, load_geodata(synthetic.crisis.geo_dir)).figure
    monkeypatch.setenv("CRISISBOARD_VALIDATE_FIGURES", "0")
    fast = build_view(synthetic, filters, view, load_geodata(synthetic.crisis.geo_dir)).figure
    as_json = [json.dumps(fig.to_plotly_json(), sort_keys=True, default=str) for fig in (checked, fast)]
    assert as_json[0] == as_json[1] and len(as_json[0]) > 10_000
    monkeypatch.setenv("CRISISBOARD_VALIDATE_FIGURES", "1")
    copy = go.Figure(fast.to_plotly_json())  # every item checked; raises on anything Plotly does not know
    assert len(copy.data) == len(fast.data) and len(copy.frames) == len(fast.frames)


def test_selection_cache_shares_recent_selections_within_a_memory_budget(synthetic) -> None:  # noqa: ANN001
    from crisisboard.data.selection import SelectionCache, frame_bytes

    combos = [Filters(tiers=(tier,)) for tier in ("high", "medium", "low", "unjudged")] + [Filters(metrics=("killed",))]
    first = SelectionCache(budget_mb=1024, keep=2).get(synthetic, combos[0])
    one = frame_bytes(first.claims)
    assert one > 0
    cache = SelectionCache(budget_mb=2.5 * one / 2**20, keep=2)  # room for about two selections of this size
    held = []
    for filters in combos:  # as viewers would: each selection's rows are read when its page runs
        held.append(cache.get(synthetic, filters))
        assert len(held[-1].claims) > 0  # rows read: from now on they count against the budget
    assert cache.get(synthetic, combos[-1]) is held[-1]  # the most recent are shared, not rebuilt
    assert 2 <= len(cache) < len(combos)
    assert cache.get(synthetic, combos[0]) is not held[0]  # the oldest went, and is rebuilt when asked for
    roomy = SelectionCache(budget_mb=1024, keep=2)
    kept = [roomy.get(synthetic, filters) for filters in combos]
    assert all(roomy.get(synthetic, f) is s for f, s in zip(combos, kept)) and len(roomy) == len(combos)

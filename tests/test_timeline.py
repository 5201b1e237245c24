"""Timeline and Who-says-what builders, the claims table downloads and link helpers, on fixtures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import VALID, figure_texts, set_cell, shown

from crisisboard.charts.timeline import build_timeline_figure
from crisisboard.charts.views import WhoSaysSpec, build_view
from crisisboard.charts.whosays import build_who_says_what_figure
from crisisboard.claims.cards import claim_card_markdown
from crisisboard.claims.comparisons import contest, latest_by_claimant_type, partial_near
from crisisboard.claims.links import text_fragment_url, wayback_url
from crisisboard.claims.markup import safe_url
from crisisboard.claims.statements import claim_and_carriers, statement_marks
from crisisboard.claims.tables import claims_csv, claims_table, hxl_tags
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset
from crisisboard.data.tiers import TIER_COLOURS


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return load_dataset(VALID).claims


def _drawn(trace) -> bool:  # noqa: ANN001
    """A trace that draws something (legend-only entries have x = [None])."""
    return any(x is not None for x in (trace.x or ()))


def _traces(fig, name_part: str) -> list:  # noqa: ANN001
    return [t for t in fig.data if t.name and name_part in t.name]


def test_a_range_is_a_bar_from_low_to_high(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "refugees_crossed")
    bar = _traces(fig, "range (medium)")[0]
    assert [y for y in bar.y if y is not None] == [2000.0, 5000.0]
    assert not [t for t in fig.data if t.mode == "markers" and t.name.startswith("Medium") and _drawn(t)]


def test_at_least_is_a_point_with_an_open_end_upwards(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "killed")
    stem = _traces(fig, "open end (low)")[0]
    assert stem.line.dash == "dot" and stem.y[0] == 300 and stem.y[1] > 300
    arrow = _traces(fig, "open upwards (low)")[0]
    assert arrow.marker.symbol == "triangle-up-open" and arrow.customdata == ("fx-02",)
    point = [t for t in fig.data if t.name == "Low (D–E or 4–5) · marks"][0]
    assert list(point.y) == [300.0] and point.marker.symbol == ("triangle-up",)  # local official


def test_up_to_opens_downwards(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "buildings_destroyed")
    arrow = _traces(fig, "open downwards")[0]
    assert arrow.marker.symbol == "triangle-down-open" and arrow.y[0] < 900
    assert _traces(fig, "open end")[0].y[0] == 900


def test_a_vague_figure_is_a_pale_span_not_a_point(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "displaced_total")
    span = _traces(fig, "vague (unjudged)")[0]
    assert [y for y in span.y if y is not None] == [1000, 9999] and span.opacity < 0.5
    assert not [t for t in fig.data if t.mode == "markers" and _drawn(t) and (t.name or "").endswith("· marks")]


def test_colour_is_the_tier(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "killed")
    high = [t for t in fig.data if t.name == "High (A–B / 1–2) · marks"][0]
    assert high.marker.color == TIER_COLOURS["high"] and sorted(high.y) == [40.0, 90.0]
    assert set(high.marker.symbol) == {"circle"}  # government


def test_a_statement_in_several_texts_is_one_mark_listing_every_carrier(dataset_copy: Path) -> None:
    set_cell(dataset_copy, "claims.csv", 2, "statement_id", "st-fx-ministry-killed-40")
    set_cell(dataset_copy, "claims.csv", 2, "figure_text", "90")
    claims = load_dataset(dataset_copy).claims
    marks = statement_marks(claims[claims["metric"] == "killed"])
    assert len(marks) == 2
    fig = build_timeline_figure(claims, None, "killed")
    marks = next(t for t in fig.data if t.name == "High (A–B / 1–2) · marks")
    hover = figure_texts(go.Figure(data=[marks]))[0]
    assert "carried by 2 texts - click for the card" in hover and hover.count("<br>") <= 11
    card = shown(claim_card_markdown(*claim_and_carriers(claims, "fx-01")))  # the card lists every carrier
    assert "The same statement in 2 texts" in card and "Fixture NGO" in card and "Fixture Wire" in card


def test_a_hover_is_short_and_its_quote_escaped_once(dataset_copy: Path) -> None:
    long = "the ministry said 40 people were killed " + " ".join(["<and> more words"] * 12)
    set_cell(dataset_copy, "claims.csv", 0, "quote", " ".join(long.split()[:40]))
    fig = build_timeline_figure(load_dataset(dataset_copy).claims, None, "killed")
    marks = next(t for t in fig.data if t.name == "High (A–B / 1–2) · marks")
    hover = figure_texts(go.Figure(data=[marks]))[0]
    assert hover.count("<br>") <= 6 and "&lt;br&gt;" not in hover and "&lt;and&gt; more" in hover
    quoted = hover.split("\"")[1]
    assert quoted.endswith("&lt;and&gt;\u00a0…") and "<br>…" not in quoted  # cut at a word, and says so


def test_official_series_is_joined_when_it_has_three_figures(dataset_copy: Path) -> None:
    assert not [t for t in build_timeline_figure(load_dataset(VALID).claims, None, "killed").data
                if t.name and t.name.startswith("Official series: ")]
    set_cell(dataset_copy, "claims.csv", 1, "claimant", "Fixture Ministry")
    set_cell(dataset_copy, "claims.csv", 1, "claimant_type", "government")
    set_cell(dataset_copy, "claims.csv", 1, "status_in_text", "official")
    set_cell(dataset_copy, "claims.csv", 1, "source_reliability", "B")
    set_cell(dataset_copy, "claims.csv", 1, "info_credibility", "2")
    fig = build_timeline_figure(load_dataset(dataset_copy).claims, None, "killed")
    line = [t for t in fig.data if t.name == "Official series: Fixture Ministry"][0]
    assert list(line.y) == [40.0, 300.0, 90.0] or list(line.y) == [300.0, 40.0, 90.0]


def test_publication_date_axis(claims: pd.DataFrame) -> None:
    fig = build_timeline_figure(claims, None, "killed", x_mode="published")
    xs = {str(pd.Timestamp(x).date()) for t in fig.data if t.mode == "markers" for x in (t.x or ()) if x is not None}
    assert xs == {"2010-06-12", "2010-06-15"}
    assert fig.layout.xaxis.title.text.startswith("Date the text was published")


def test_incidents_are_dated_marks_on_a_strip(claims: pd.DataFrame) -> None:
    incidents = load_dataset(VALID).incidents
    fig = build_timeline_figure(claims, incidents, "killed")
    strip = _traces(fig, "Incident")[0]
    assert strip.yaxis == "y2" and len(strip.x) == 2 and "Fixture: fighting in City A." in strip.hovertext[0]


def test_claim_card_links_to_the_quote_and_an_archive(claims: pd.DataFrame) -> None:
    row, carriers = claim_and_carriers(claims, "fx-04")
    card = claim_card_markdown(row, carriers)
    assert "https://example.org/wire-2#:~:text=between%202%2C000%20and%205%2C000%20crossed%20the%20border" in card
    assert "(https://web.archive.org/web/20100615000000/https://example.org/wire-2)" in card
    row, carriers = claim_and_carriers(claims, "fx-01")
    card = claim_card_markdown(row, carriers)
    assert "Wayback Machine: snapshot nearest to 2010-06-12](https://web.archive.org/web/20100612/" \
           "https://example.org/release-1) (web.archive.org)" in shown(card)


def test_links_only_for_http_and_text_fragments_encoded() -> None:
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.org/a b") is None and safe_url("http://example.org/x") == "http://example.org/x"
    long_quote = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen x-y"
    url = text_fragment_url("https://example.org/p#old", long_quote)
    assert url == ("https://example.org/p#:~:text=one%20two%20three%20four%20five%20six%20seven%20eight,"
                   "ten%20eleven%20twelve%20thirteen%20fourteen%20fifteen%20sixteen%20x%2Dy")
    assert wayback_url("javascript:x", "2010-06-12") is None
    assert wayback_url("https://example.org", "2010-06-12") == "https://web.archive.org/web/20100612/https://example.org"


def test_who_says_what_takes_the_latest_claim_of_each_kind(claims: pd.DataFrame) -> None:
    entries = latest_by_claimant_type(claims, "killed", pd.Timestamp("2010-06-14"))
    assert [(e.category, e.claim["claim_id"]) for e in entries] == [("Official figures", "fx-03"),
                                                                   ("Local official", "fx-02")]
    early = latest_by_claimant_type(claims, "killed", pd.Timestamp("2010-06-12"))
    assert early[0].claim["claim_id"] == "fx-01"
    fig = build_who_says_what_figure(entries, "killed", pd.Timestamp("2010-06-14"))
    assert [t.customdata[0] for t in fig.data if t.customdata] == ["fx-03", "fx-02"]


def test_contested_when_comparable_claims_differ_by_more_than_the_factor(dataset_copy: Path) -> None:
    for row in (0, 1, 2):  # the fixture's killed claims about everyone (fx-02 says civilians)
        set_cell(dataset_copy, "claims.csv", row, "population", "all")
    claims = load_dataset(dataset_copy).claims
    day = pd.Timestamp("2010-06-12")
    result = contest(claims, "killed", day, factor=3)
    assert result.contested and result.ratio == pytest.approx(300 / 40)
    assert result.lowest.claim_id == "fx-01" and result.highest.claim_id == "fx-02"
    assert not contest(claims, "killed", day, factor=10).contested


def test_partial_and_restated_claims_are_not_compared(dataset_copy: Path) -> None:
    """A count of one place or cemetery is not the low end of the toll (issue #15); nor is a restatement."""
    set_cell(dataset_copy, "claims.csv", 0, "scope", "partial")
    set_cell(dataset_copy, "claims.csv", 0, "notes", "One morgue only.")
    claims = load_dataset(dataset_copy).claims
    day = pd.Timestamp("2010-06-12")
    assert contest(claims, "killed", day).ratio is None  # fx-02 alone is left: nothing to compare
    assert [r.claim_id for r in partial_near(claims, "killed", day)] == ["fx-01"]
    assert "fx-01" not in [e.claim["claim_id"] for e in latest_by_claimant_type(claims, "killed", day)]
    set_cell(dataset_copy, "claims.csv", 0, "scope", "crisis")
    set_cell(dataset_copy, "claims.csv", 0, "as_of_precision", "restated")
    claims = load_dataset(dataset_copy).claims
    assert contest(claims, "killed", day).ratio is None
    assert "fx-01" not in [e.claim["claim_id"] for e in latest_by_claimant_type(claims, "killed", day)]


def _put(claims: pd.DataFrame, column: str, row: int, value: str) -> None:
    """Set one cell of a typed claims frame (text is held as categories)."""
    if value not in claims[column].cat.categories:
        claims[column] = claims[column].cat.add_categories([value])
    claims.loc[claims.index[row], column] = value


def test_claims_csv_neutralises_formulas_and_hxl_has_hashtags() -> None:
    # validation refuses such cells in data/ (test_validate); downloads neutralise them whatever their origin
    claims = load_dataset(VALID).claims.copy()
    _put(claims, "notes", 0, '-1+HYPERLINK("http://evil.example","x")')
    _put(claims, "notes", 1, "-SUM(A1)")
    _put(claims, "relayed_by", 2, "-2+SUM(A1)")
    assert isinstance(claims["relayed_by"].dtype, pd.CategoricalDtype)
    table = claims_table(claims)
    assert table.loc[table["Claim id"] == "fx-01", "Notes"].item().startswith("-1+HYPERLINK")  # screen: original
    rows = list(csv.reader(io.StringIO(claims_csv(claims).decode("utf-8-sig"))))
    notes = {r[rows[0].index("Claim id")]: r[rows[0].index("Notes")] for r in rows[1:]}
    assert notes["fx-01"].startswith("'-1+HYPERLINK") and notes["fx-02"] == "'-SUM(A1)"
    relays = {r[rows[0].index("Claim id")]: r[rows[0].index("Relayed by")] for r in rows[1:]}
    third = claims["claim_id"].iloc[2]
    assert relays[third] == "'-2+SUM(A1)" and table.loc[table["Claim id"] == third, "Relayed by"].item() == "-2+SUM(A1)"
    hxl = list(csv.reader(io.StringIO(claims_csv(claims, hxl=True).decode("utf-8-sig"))))
    assert hxl[0][0] == "As of" and hxl[1][:5] == ["#date", "#indicator+code", "#indicator+text", "#affected+min",
                                                    "#affected+max"]
    assert "#meta+source" in hxl[1] and "#meta+url" in hxl[1] and "#adm1+name" in hxl[1] and len(hxl) == len(rows) + 1
    killed = claims[claims["metric"] == "killed"]
    assert hxl_tags(killed)[3:5] == ["#affected+killed+min", "#affected+killed+max"]


def test_a_large_metric_is_sampled_and_the_chart_says_so(tmp_path: Path) -> None:
    from crisisboard.claims.statements import MAX_MARKS
    from crisisboard.data.synth import write_synthetic

    write_synthetic(tmp_path, 15_000, seed=5)
    claims = load_dataset(tmp_path).claims
    killed = claims[claims["metric"] == "killed"]
    statements = killed["statement_id"].nunique()
    assert statements > MAX_MARKS
    fig = build_timeline_figure(claims, None, "killed")
    drawn = {c[0] if isinstance(c, (list, tuple)) else c for t in fig.data for c in (t.customdata or ()) if c}
    assert len(drawn) <= MAX_MARKS
    notes = " ".join(a.text or "" for a in fig.layout.annotations)
    assert f"of {statements:,} statements" in notes
    official = killed.loc[killed["is_official"], "claim_id"]
    top = killed.loc[killed["value_high"].astype(float).idxmax(), "statement_id"]
    assert killed.loc[killed["claim_id"].isin(drawn), "statement_id"].eq(top).any()  # the highest is kept
    assert not official.empty


def test_who_says_what_labels_its_log_axis_in_full_numbers() -> None:
    """Plotly's own log ticks read "2 3 … 9 1000 2": a room reads the "2" after 1000 as two, not 2,000."""
    dataset = load_dataset(VALID, cache=False)
    axis = build_view(dataset, Filters(), WhoSaysSpec(metric="killed")).figure.layout.xaxis
    assert axis.tickmode == "array" and axis.ticktext, "the axis keeps Plotly's own ticks"
    # killed in the fixture: 40, at least 300 (drawn to 480) and 90
    assert [float(t.replace(",", "")) for t in axis.ticktext] == list(axis.tickvals)
    assert {"50", "100", "200", "500"} <= set(axis.ticktext)

"""Hostile text stays text: no HTML, script or markdown link from the data ever runs or links."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import PROJECT
from crisisboard.claimcard import claim_card_markdown
from crisisboard.claimref import ClaimRef
from crisisboard.load import load_dataset
from crisisboard.maps import build_map_figure
from crisisboard.geo import load_geodata
from crisisboard.overview import build_overview_figure
from crisisboard.sources_view import sources_markdown, sources_table
from crisisboard.timeline import build_timeline_figure, claim_and_carriers
from crisisboard.validate import validate_dataset
from hostile import FORMULA_NOTES, make_hostile_dataset


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hostile_dataset(tmp_path_factory.mktemp("hostile") / "data")


def test_hostile_dataset_is_valid_data(hostile: Path) -> None:
    assert validate_dataset(hostile).problems == []


def test_figures_escape_html_in_hover_and_footer(hostile: Path) -> None:
    dataset = load_dataset(hostile)
    figures = [build_timeline_figure(dataset.claims, dataset.incidents, "killed"),
               build_overview_figure(dataset.claims),
               build_map_figure(load_geodata(), dataset.places, dataset.claims, dataset.incidents, "osh")]
    for fig in figures:
        texts = " ".join(str(h) for t in fig.data for h in (t.hovertext or ()) if h) + \
            " ".join(a.text or "" for a in fig.layout.annotations)
        assert "<script" not in texts and "<img" not in texts and "<svg" not in texts and "<b onmouseover" not in texts
    timeline_text = " ".join(str(h) for t in figures[0].data for h in (t.hovertext or ()) if h)
    assert "&lt;script&gt;" in timeline_text and "&lt;svg onload" in timeline_text


def test_markdown_escapes_links_and_tags(hostile: Path) -> None:
    dataset = load_dataset(hostile)
    card = claim_card_markdown(*claim_and_carriers(dataset.claims, "fx-01"))
    assert "](javascript:" not in card and "\\[click here\\]\\(javascript:alert" in card
    assert "\\<script\\>" in card
    table = sources_markdown(sources_table(dataset.claims, dataset))
    assert "<script>" not in table.replace("\\<script\\>", "") and "\\*\\*bold\\*\\*" in table


def test_a_non_http_url_is_never_a_link() -> None:
    row = pd.Series({"claim_id": "x", "figure_text": "40", "metric": "killed", "claimant": "c", "relayed_by": "",
                     "as_of": "2010-06-12", "as_of_precision": "exact", "grade": "B2", "tier": "high",
                     "quote": "q 40", "source_id": "s", "publisher": "p", "published": "2010-06-12",
                     "published_precision": "exact", "title": "t", "url": "javascript:alert(1)",
                     "low": 40, "high": 40})
    assert "](javascript" not in ClaimRef.from_row(row).markdown()
    assert "](" not in ClaimRef.from_row(row).source_link()


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/sources.py",
                                  "pages/who_says_what.py", "pages/map.py"])
def test_pages_render_hostile_text_as_text(hostile: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(hostile))
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60)
    at.session_state["map_claims_open"] = at.session_state["timeline_claims_open"] = True  # the lists, opened
    at.run()
    assert not at.exception
    markdown = "\n".join(m.value for m in at.markdown)
    if page == "pages/map.py":
        assert "**Fixture City A** (4)" in markdown  # the list of claims with links to their releases is drawn
    assert "](javascript:" not in markdown
    assert "<script" not in markdown.replace("\\<script", "")


def test_on_screen_table_keeps_the_formula_text(hostile: Path) -> None:
    from crisisboard.claims_table import claims_csv, claims_table

    dataset = load_dataset(hostile)
    assert FORMULA_NOTES in set(claims_table(dataset.claims)["Notes"])
    assert ("'" + FORMULA_NOTES).replace('"', '""') in claims_csv(dataset.claims).decode("utf-8-sig")

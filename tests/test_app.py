"""The app through Streamlit's AppTest: every page runs, filters persist and travel in the URL,
and bad data gives an error page rather than a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT, VALID, set_cell, shown
from streamlit.testing.v1 import AppTest

PAGES = {
    "pages/overview.py": "Overview: what was claimed, by whom",
    "pages/timeline.py": "Timeline: how the figures evolved",
    "pages/who_says_what.py": "Who says what",
    "pages/map.py": "Map: where it happened, where people fled",
    "pages/sources.py": "Sources: every release behind the figures",
    "pages/add_release.py": "Add a release",
    "pages/review.py": "Review: proposals waiting for a second reader",
    "pages/changes.py": "Changes: what was added, edited and retracted",
}
TIMEOUT = 60


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.chdir(PROJECT)


def app(page: str = "dashboard.py") -> AppTest:
    return AppTest.from_file(str(PROJECT / page), default_timeout=TIMEOUT)


def test_every_page_file_is_routed_under_its_own_name() -> None:
    routed = (PROJECT / "dashboard.py").read_text(encoding="utf-8")
    on_disk = {f"pages/{p.name}" for p in (PROJECT / "pages").glob("*.py")}
    assert on_disk == set(PAGES)
    for page in on_disk:
        # the URL path must equal the file's name: Streamlit resolves a first visit by file name
        assert f'st.Page("{page}", ' in routed and f'url_path="{page[6:-3]}"' in routed, page


@pytest.mark.parametrize("page,title", PAGES.items())
def test_page_runs_through_the_router(page: str, title: str) -> None:
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception
    assert [shown(t.value) for t in at.title] == [title]
    footer = " ".join(shown(c.value) for c in at.caption)
    assert "Sources: Fixture" in footer and "not verified counts" in footer


@pytest.mark.parametrize("page,title", PAGES.items())
def test_page_loaded_directly_draws_the_frame(page: str, title: str) -> None:
    at = app(page).run()
    assert not at.exception
    assert [shown(t.value) for t in at.title] == [title]
    assert at.sidebar.multiselect(key="filter_metric") is not None


def test_filter_persists_across_page_switches_and_is_written_to_the_url() -> None:
    at = app().run()
    at.sidebar.multiselect(key="filter_metric").set_value(["killed"]).run()
    at.sidebar.multiselect(key="filter_tier").set_value(["high"]).run()
    assert at.query_params["metric"] == "killed" and at.query_params["tier"] == "high"
    assert "Showing 2 of 6 claims" in at.caption[0].value
    at.switch_page("pages/sources.py").run()
    assert at.sidebar.multiselect(key="filter_metric").value == ["killed"]
    assert at.sidebar.multiselect(key="filter_tier").value == ["high"]
    assert at.query_params["metric"] == "killed"
    at.switch_page("pages/overview.py").run()
    assert at.sidebar.multiselect(key="filter_metric").value == ["killed"]
    assert "Showing 2 of 6 claims" in at.caption[0].value


@pytest.mark.parametrize("page", PAGES)
def test_query_params_set_the_filters_on_any_page(page: str) -> None:
    at = app(page)
    at.query_params["metric"] = "killed"
    at.query_params["claimant"] = "government"
    at.query_params["from"] = "2010-06-13"
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="filter_metric").value == ["killed"]
    assert at.sidebar.multiselect(key="filter_claimant").value == ["government"]
    assert "Showing 1 of 6 claims" in at.caption[0].value


def test_unknown_query_values_are_ignored_with_a_warning() -> None:
    at = app()
    at.query_params["tier"] = "high,bogus"
    at.run()
    assert at.sidebar.multiselect(key="filter_tier").value == ["high"]
    assert any("tier=bogus" in shown(w.value) for w in at.warning)


def test_overview_shows_each_number_with_its_source() -> None:
    at = app().run()
    text = "\n".join(m.value for m in at.markdown)
    assert "**90**, Fixture Ministry" in text and "(https://example.org/wire-2)" in text
    assert "**at least 300**, Fixture Council" in text


def test_sources_page_links_every_release() -> None:
    at = app("pages/sources.py").run()
    text = "\n".join(m.value for m in at.markdown)
    assert "[Fixture release one](https://example.org/release-1)" in text
    assert "[Fixture wire story](https://example.org/wire-2)" in text


def test_bad_data_shows_an_error_page_not_a_traceback(tmp_path: Path, dataset_copy: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    set_cell(dataset_copy, "claims.csv", 3, "low", "6000")
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    at = app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The data could not be loaded"]
    assert "claims.csv:5: low: must be <= high (low='6000', high='5000')" in at.code[0].value


def test_sources_page_can_list_only_the_releases_behind_the_claims_shown() -> None:
    at = app("pages/sources.py")
    at.query_params["metric"] = "buildings_destroyed"
    at.run()
    assert "Fixture wire story" in "\n".join(m.value for m in at.markdown)
    at.toggle(key="sources_only_shown").set_value(True).run()
    text = "\n".join(m.value for m in at.markdown)
    assert "Fixture release one" in text and "Fixture wire story" not in text


def _chart_layouts(at: AppTest) -> list[dict]:
    import json

    return [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]


def test_briefing_mode_from_the_link_enlarges_type_and_offers_a_way_out() -> None:
    at = app("pages/overview.py")
    at.query_params["briefing"] = "1"
    at.query_params["tier"] = "high"
    at.run()
    assert not at.exception
    assert at.sidebar.toggle(key="toggle_briefing").value is True
    assert _chart_layouts(at)[0]["font"]["size"] >= 24
    leave = [m.value for m in at.markdown if m.value.startswith("[Leave briefing mode]")]
    assert leave and "briefing=0" in leave[0] and "tier=high" in leave[0]
    normal = app("pages/overview.py").run()
    assert _chart_layouts(normal)[0].get("font", {}).get("size", 14) < 24
    assert not [m for m in normal.markdown if m.value.startswith("[Leave briefing mode]")]


def test_a_data_file_changed_on_disk_is_picked_up_and_an_invalid_one_keeps_the_last_valid_data(
        dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    at = app("pages/overview.py").run()
    assert "**40**, Fixture Ministry" in "\n".join(m.value for m in at.markdown)
    set_cell(dataset_copy, "claims.csv", 0, "figure_text", "forty")
    set_cell(dataset_copy, "claims.csv", 0, "quote", "the ministry said forty people were killed")
    at.run()  # a valid edit: picked up without a restart
    assert not at.warning and "**forty \\(40\\)**, Fixture Ministry" in "\n".join(m.value for m in at.markdown)
    set_cell(dataset_copy, "claims.csv", 3, "low", "6000")  # now invalid
    at.run()
    assert not at.exception
    assert any("The data changed and now breaks 2 rule(s)" in shown(w.value) for w in at.warning)  # <= high, readable
    assert [shown(t.value) for t in at.title] == ["Overview: what was claimed, by whom"]
    assert "**forty \\(40\\)**, Fixture Ministry" in "\n".join(m.value for m in at.markdown)  # last valid data
    assert "claims.csv:5: low: must be <= high" in at.code[0].value


RELEASE = """URL: https://example.org/fixture-release
TITLE: Fixture clashes
PUBLISHER: Fixture Wire
DATE: 2010-06-13

Officials said at least 40 people were killed and more than 300 injured in Fixture City A by Saturday.
"""


def test_add_a_release_page_proposes_claims_and_will_not_save_unticked_rows(dataset_copy: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    before = (dataset_copy / "claims.csv").read_bytes()
    at = app("pages/add_release.py").run()
    assert any("Paste or upload a release" in i.value for i in at.info)
    at.text_area(key="release_text").set_value(RELEASE).run()
    assert not at.exception
    assert at.text_input(key="meta_url").value == "https://example.org/fixture-release"
    assert at.text_input(key="meta_publisher").value == "Fixture Wire"
    import re

    found = re.search(r"(\d+) candidates", " ".join(c.value for c in at.caption))
    assert found and int(found.group(1)) >= 2  # the killed and the injured figures
    at.button(key="save_release").click().run()
    assert any("Tick at least one claim" in w.value for w in at.warning)
    assert (dataset_copy / "claims.csv").read_bytes() == before


@pytest.mark.parametrize("page,key,drawn", [
    ("pages/map.py", "map_claims_open",  # the claims' lines, not the chart's summary (which names grades too)
     lambda at: "\n".join(m.value for m in at.markdown if "not verified counts" not in m.value).count("grade ")),
    ("pages/timeline.py", "timeline_data_open",  # the data behind the chart: an HTML table
     lambda at: sum("<table>" in e.proto.body for e in at.get("html"))),
])
def test_claim_lists_are_drawn_when_their_expander_is_opened(page: str, key: str, drawn) -> None:  # noqa: ANN001
    """The map's list of claims and the timeline's table are written only once their expander is open
    (on_change="rerun"): a filter change does not pay for them, opening them shows them."""
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60).run()
    assert not at.exception and drawn(at) == 0
    assert any("claims" in e.label for e in at.expander)
    at.session_state[key] = True
    at.run()
    assert not at.exception and drawn(at) > 0


def test_the_map_says_which_border_line_it_draws_from_the_crisis_folder(dataset_copy: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #31: the note on the border line comes from crisis.toml, never from the page's code."""
    def captions() -> str:
        at = app("pages/map.py").run()
        assert not at.exception
        return " ".join(shown(c.value) for c in at.caption)

    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    assert "2022–23 delimitation" not in captions()  # the fixture's crisis.toml says nothing of its border
    toml = dataset_copy / "crisis.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[geo]\n", '[geo]\nborder_note = "The line drawn is the 1991 one, for this test."\n', 1), encoding="utf-8")
    assert "The line drawn is the 1991 one, for this test." in captions()
    assert "2010" not in (PROJECT / "pages" / "map.py").read_text(encoding="utf-8")

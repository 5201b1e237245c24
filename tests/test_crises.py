"""One server, several crises (issue #31): the registry of crisis folders (crisisboard.data.crises), and the
app serving the fixture dataset (the default crisis) and a second, made-up crisis (tests/fixtures/crises/quakes)
side by side: the picker on the Overview, ?crisis= in every link, an unknown slug, exports per crisis."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, VALID, shown
from streamlit.testing.v1 import AppTest

from crisisboard.data.crises import CrisisRegistryError, UnknownCrisis, available, entry_for, folder_for

CRISES = FIXTURES / "crises"
QUAKES = CRISES / "quakes"
VALID_NAME = "The June 2010 violence in southern Kyrgyzstan"  # tests/fixtures/valid/crisis.toml
QUAKES_NAME = "The fixture quakes of Testland"  # tests/fixtures/crises/quakes/crisis.toml
TIMEOUT = 60


@pytest.fixture
def two_crises(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture dataset as the default crisis, and the crises of tests/fixtures/crises beside it."""
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.setenv("CRISISBOARD_CRISES", str(CRISES))
    monkeypatch.chdir(PROJECT)


def _crisis_toml(folder: Path, name: str, slug: str | None = None) -> None:
    """A copy of the made-up crisis quakes in `folder`, called `name` (and `slug`, when given)."""
    shutil.copytree(QUAKES, folder)
    path = folder / "crisis.toml"
    body = path.read_text(encoding="utf-8").replace(f'name = "{QUAKES_NAME}"', f'name = "{name}"')
    if slug:
        body = body.replace(f'name = "{name}"', f'name = "{name}"\nslug = "{slug}"')
    path.write_text(body, encoding="utf-8")


# --- the registry -------------------------------------------------------------------------------


def test_the_default_folder_comes_first_then_each_crisis_folder_by_name(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "crises"
    _crisis_toml(root / "zeta", "Zeta crisis")
    _crisis_toml(root / "alpha", "Alpha crisis", slug="alpha-2021")
    (root / "not-a-crisis").mkdir()  # no crisis.toml: not listed
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.setenv("CRISISBOARD_CRISES", str(root))
    listed = [(entry.slug, entry.name, entry.folder, entry.default) for entry in available()]
    assert listed == [("valid", VALID_NAME, VALID, True),
                      ("alpha-2021", "Alpha crisis", root / "alpha", False),  # the slug key wins over the folder
                      ("zeta", "Zeta crisis", root / "zeta", False)]
    assert folder_for("alpha-2021") == root / "alpha" and folder_for("zeta") == root / "zeta"
    assert folder_for(None) == folder_for("") == folder_for("valid") == VALID
    with pytest.raises(UnknownCrisis) as caught:
        folder_for("alpha")  # the folder's name is not its slug when crisis.toml sets one
    assert "'alpha'" in str(caught.value) and "'alpha-2021' (Alpha crisis)" in str(caught.value)


def test_the_shipped_data_folder_has_its_slug_and_is_the_default(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.delenv("CRISISBOARD_DATA", raising=False)
    monkeypatch.setenv("CRISISBOARD_CRISES", str(tmp_path))  # no other crisis
    first = available()
    assert len(first) == 1 and first[0].default and first[0].folder == PROJECT / "data"
    assert 'slug = "' + first[0].slug + '"' in (PROJECT / "data" / "crisis.toml").read_text(encoding="utf-8")
    assert first[0].slug != "data" and first[0].problem == ""


def test_two_folders_with_one_slug_are_refused_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "crises"
    _crisis_toml(root / "one", "One", slug="same")
    _crisis_toml(root / "two", "Two", slug="same")
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.setenv("CRISISBOARD_CRISES", str(root))
    with pytest.raises(CrisisRegistryError) as caught:
        available()
    message = str(caught.value)
    assert str(root / "two" / "crisis.toml") in message and str(root / "one" / "crisis.toml") in message
    assert "slug" in message


def test_a_broken_or_badly_named_crisis_is_listed_with_its_problem(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "crises"
    _crisis_toml(root / "broken", "Broken")
    (root / "broken" / "crisis.toml").write_text("name = \n", encoding="utf-8")
    _crisis_toml(root / "Flood 2021 (North)", "Badly named")
    _crisis_toml(root / "___", "Nameless")
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.setenv("CRISISBOARD_CRISES", str(root))
    entries = {entry.folder.name: entry for entry in available()}
    assert "crisis.toml" in entries["broken"].problem and entries["broken"].name == "broken"
    named = entries["Flood 2021 (North)"]  # a folder's name made a slug
    assert (named.slug, named.name, named.problem) == ("flood-2021-north", "Badly named", "")
    assert folder_for("flood-2021-north") == root / "Flood 2021 (North)"
    assert "no slug can be made" in entries["___"].problem and "slug = " in entries["___"].problem
    assert entries["valid"].problem == ""


def test_the_default_folder_inside_the_crises_root_is_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(QUAKES))
    monkeypatch.setenv("CRISISBOARD_CRISES", str(CRISES))
    assert [(entry.slug, entry.default) for entry in available()] == [("quakes", True)]
    assert entry_for("quakes").default


# --- the app ------------------------------------------------------------------------------------


def app(page: str = "pages/overview.py") -> AppTest:
    return AppTest.from_file(str(PROJECT / page), default_timeout=TIMEOUT)


def _captions(at: AppTest) -> str:
    return "\n".join(shown(c.value) for c in at.caption)


def _pickers(at: AppTest) -> list:
    return [box for box in at.selectbox if box.key == "crisis_picker"]


def _markdown(at: AppTest) -> str:
    return "\n".join(shown(m.value) for m in at.markdown)


def test_one_crisis_has_no_picker_and_no_crisis_in_the_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))  # CRISISBOARD_CRISES: an empty folder (conftest)
    at = app().run()
    assert not at.exception
    assert not _pickers(at) and "crisis" not in at.query_params


def test_the_overview_offers_each_crisis_by_name_and_the_picker_switches(two_crises: None) -> None:
    at = app("dashboard.py").run()  # through the router, as a visitor comes
    assert not at.exception
    picker = at.selectbox(key="crisis_picker")
    assert picker.label == "Crisis" and picker.options == [VALID_NAME, QUAKES_NAME]
    assert picker.value == "valid" and at.query_params["crisis"] == "valid"  # the default, carried in the link
    assert "Showing 6 of 6 claims" in _captions(at) and f"**Crisis:** {VALID_NAME}" in _markdown(at)
    picker.set_value("quakes").run()
    assert not at.exception
    assert at.query_params["crisis"] == "quakes"
    assert f"Showing 3 of 3 claims on {QUAKES_NAME} · " in _captions(at)  # on every page, in the main column
    assert f"**Crisis:** {QUAKES_NAME}" in _markdown(at)
    assert "**27**, Testland Interior Office" in _markdown(at)  # the second crisis's own figures
    assert "Fixture Ministry" not in _markdown(at)
    # it survives a page switch, which clears the query string, and goes back into the link
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert "Showing 3 of 3 claims" in _captions(at) and at.query_params["crisis"] == "quakes"
    at.switch_page("pages/overview.py").run()
    assert at.selectbox(key="crisis_picker").value == "quakes"
    at.selectbox(key="crisis_picker").set_value("valid").run()
    assert "Showing 6 of 6 claims" in _captions(at) and at.query_params["crisis"] == "valid"


@pytest.mark.parametrize("page", ["pages/timeline.py", "pages/who_says_what.py", "pages/sources.py",
                                  "pages/changes.py", "pages/map.py"])
def test_the_link_chooses_the_crisis_on_any_page(two_crises: None, page: str) -> None:
    at = app(page)
    at.query_params["crisis"] = "quakes"
    at.run()
    assert not at.exception
    assert "Showing 3 of 3 claims" in _captions(at)
    assert at.query_params["crisis"] == "quakes"
    assert not _pickers(at)  # the picker is on the Overview only
    if page == "pages/map.py":
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert "All of Testland" in spec["layout"]["title"]["text"]
        assert "Made-up shapes of Testland" in _captions(at)
    if page == "pages/sources.py":
        assert "[Quake update one](https://example.org/quakes/update-1)" in "\n".join(m.value for m in at.markdown)


def test_both_crises_are_served_side_by_side_by_one_process(two_crises: None) -> None:
    from crisisboard.app.datasets import health

    quakes = app("pages/timeline.py")
    quakes.query_params["crisis"] = "quakes"
    default = app("pages/timeline.py")
    quakes.run()
    default.run()
    quakes.run()  # the other session's crisis did not replace this one's
    assert "Showing 3 of 3 claims" in _captions(quakes) and "Showing 6 of 6 claims" in _captions(default)
    drawn = health().drawn  # the fallback keeps the last version that drew of each crisis apart
    assert len(drawn[str(QUAKES)].claims) == 3 and len(drawn[str(VALID)].claims) == 6


@pytest.mark.parametrize("slug", ["atlantis", "[x](http://127.0.0.9/) <b>"])
def test_an_unknown_crisis_in_the_link_says_so_and_links_to_those_served(two_crises: None, slug: str) -> None:
    at = app("pages/map.py")
    at.query_params["crisis"] = slug
    at.run()
    assert not at.exception
    assert [shown(t.value) for t in at.title] == ["No such crisis"]
    assert slug in shown(at.error[0].value)  # as text: escaped, never a link
    assert "](http://127.0.0.9" not in at.error[0].value
    links = "\n".join(m.value for m in at.markdown)
    assert "(?crisis=valid)" in links and "(?crisis=quakes)" in links
    assert QUAKES_NAME in _markdown(at) and VALID_NAME in _markdown(at)
    assert not at.get("plotly_chart")


def test_picking_another_crisis_drops_the_filters_of_the_first(two_crises: None) -> None:
    at = app()
    at.query_params["place"] = "city-a"
    at.query_params["metric"] = "killed"
    at.run()
    assert at.sidebar.multiselect(key="filter_place").value == ["city-a"]
    at.selectbox(key="crisis_picker").set_value("quakes").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="filter_place").value == []
    assert at.sidebar.multiselect(key="filter_metric").value == []
    assert "place" not in at.query_params and not at.warning  # no notice of an ignored city-a
    assert "Showing 3 of 3 claims" in _captions(at)


def test_the_browser_tab_is_titled_by_the_chosen_crisis(two_crises: None) -> None:
    def script() -> None:
        import streamlit as st

        from crisisboard.app.datasets import page_title

        st.text(page_title())

    for slug, title in (("quakes", "crisisboard: the fixture quakes"), (None, "crisisboard: June 2010, southern "
                                                                              "Kyrgyzstan"), ("atlantis", "crisisboard")):
        at = AppTest.from_function(script, default_timeout=TIMEOUT)
        if slug:
            at.query_params["crisis"] = slug
        at.run()
        assert [t.value for t in at.text] == [title]


def test_exports_carry_the_chosen_crisis(two_crises: None) -> None:
    from crisisboard.app.exports import export_context, file_stem
    from crisisboard.app.frame import PageContext
    from crisisboard.charts.views import build_view, spec_of
    from crisisboard.data.filters import Filters
    from crisisboard.data.load import load_dataset
    from crisisboard.data.selection import SelectionCache
    from crisisboard.export.images import ExportContext, footer_lines
    from crisisboard.export.pack import pack_readme
    from crisisboard.export.presets import PRESETS

    # in the app: the export's caption names the crisis, and its link carries it
    at = app()
    at.query_params["crisis"] = "quakes"
    at.run()
    assert "claims on the fixture quakes of Testland" in _captions(at)
    assert "?crisis=quakes&" in _captions(at)
    # the file names, the image's footer and the pack's README
    dataset, filters = load_dataset(QUAKES), Filters()
    page = PageContext(dataset=dataset, filters=filters, selection=SelectionCache(10**8).get(dataset, filters),
                       filters_text="all claims", crisis=entry_for("quakes"))
    assert file_stem(page, "briefing") == f"crisisboard-quakes-briefing-{dataset.version}"
    view = build_view(dataset, filters, spec_of("timeline", metric="killed"))
    context = ExportContext("all claims", dataset.version, "http://example.org/?crisis=quakes", date(2026, 12, 7))
    footer = " ".join(footer_lines(view, context, PRESETS["slide"]))
    assert "claims on the fixture quakes of Testland" in footer and "Testland" in footer
    readme = pack_readme([view], [context], ["01-timeline"])
    assert readme.startswith(f"# crisisboard briefing pack: {QUAKES_NAME}")
    assert "crisisboard, claims on the fixture quakes of Testland, dataset" in readme
    assert "crisis=quakes" in export_context(page, view.spec).url


def test_a_link_names_the_crisis_unless_it_is_the_default(two_crises: None, tmp_path: Path) -> None:
    from crisisboard.charts.views import spec_of, view_url
    from crisisboard.data.crises import link_slug
    from crisisboard.data.filters import Filters

    assert link_slug(QUAKES) == "quakes" and link_slug(VALID) is None and link_slug(tmp_path) is None
    url = view_url("http://127.0.0.1:8501", Filters(metrics=("killed",)), spec_of("timeline", metric="killed"),
                   link_slug(QUAKES))
    assert url.startswith("http://127.0.0.1:8501/timeline?crisis=quakes&metric=killed")


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_a_link_to_the_second_crisis_opens_it_and_it_holds_across_pages_in_a_browser(page) -> None:  # noqa: ANN001
    from urllib.parse import parse_qs, urlparse

    from axe import AXE, serious_violations
    from test_browser import running_app, wait_idle

    with running_app(VALID, env={"CRISISBOARD_CRISES": str(CRISES)}) as base:
        page.goto(f"{base}/timeline?crisis=quakes", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Timeline: how the figures evolved").wait_for(timeout=30_000)
        page.get_by_text("Showing 3 of 3 claims").wait_for(timeout=30_000)
        wait_idle(page, settle_ms=1000)
        assert page.title() == "crisisboard: the fixture quakes"
        assert page.get_by_text(QUAKES_NAME).count() >= 1  # the sidebar names the crisis shown
        # the sidebar's link to the Overview drops the query string: the session keeps the crisis, and the
        # page writes it back into the address
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        page.get_by_role("heading", name="Overview: what was claimed, by whom").wait_for(timeout=30_000)
        page.get_by_text("Showing 3 of 3 claims").wait_for(timeout=30_000)
        wait_idle(page, settle_ms=1000)
        assert parse_qs(urlparse(page.url).query).get("crisis") == ["quakes"], page.url
        assert page.title() == "crisisboard: the fixture quakes"
        if AXE.exists():  # the picker passes axe-core's WCAG A/AA checks (tests/a11y, installed by make test)
            assert serious_violations(page) == []
        # the picker by keyboard alone: its accessible name is its label
        picker = page.get_by_role("combobox", name="Crisis")
        picker.focus()
        page.keyboard.type("The June")
        page.keyboard.press("Enter")
        page.get_by_text(f"Showing 6 of 6 claims on {VALID_NAME}").wait_for(timeout=30_000)
        wait_idle(page, settle_ms=1000)
        assert parse_qs(urlparse(page.url).query).get("crisis") == ["valid"], page.url
        assert page.title() == "crisisboard: June 2010, southern Kyrgyzstan"
        page.goto(f"{base}/map?crisis=atlantis", wait_until="domcontentloaded")
        page.get_by_role("heading", name="No such crisis").wait_for(timeout=30_000)
        wait_idle(page, settle_ms=1000)
        href = page.get_by_role("link", name=QUAKES_NAME).get_attribute("href")
        assert href == "?crisis=quakes"  # Streamlit opens a Markdown link in a new tab: this page's, with it
        page.goto(f"{base}/map{href}", wait_until="domcontentloaded")
        page.get_by_text(f"Showing 3 of 3 claims on {QUAKES_NAME}").wait_for(timeout=30_000)
        page.get_by_role("heading", name="Map: where it happened, where people fled").wait_for(timeout=30_000)


def test_a_briefing_pack_made_for_one_crisis_is_not_offered_on_another(two_crises: None) -> None:
    from crisisboard.app.exports import _packs

    key = (str(VALID), "v-test", "filters", False, "http://localhost:8501", "2026-12-07", "roles", 0)
    _packs().get_or_build(key, lambda: b"PK the default crisis's pack")

    def offered(slug: str) -> list[str]:
        at = app("pages/sources.py")
        at.query_params["crisis"] = slug
        at.session_state["pack"] = key  # as the button leaves it, in this session
        at.session_state["_crisisboard_crisis"] = slug
        at.run()
        assert not at.exception
        return [b.proto.label for b in at.get("download_button")]

    assert "Download the briefing pack" in offered("valid")
    assert "Download the briefing pack" not in offered("quakes")


def test_each_crisis_has_its_own_last_visit_to_the_changes_page(two_crises: None) -> None:
    from crisisboard.app.visits import COOKIE, cookie_name
    from crisisboard.data.crises import CrisisEntry

    assert cookie_name(entry_for("valid")) == COOKIE == cookie_name(None)  # the default keeps the first name
    assert cookie_name(entry_for("quakes")) == f"{COOKIE}_quakes"
    assert cookie_name(CrisisEntry(slug="x'+alert(1)+'", name="x", folder=QUAKES, problem="bad")) == COOKIE
    at = app("pages/changes.py")
    at.query_params["crisis"] = "quakes"
    at.run()
    assert not at.exception
    scripts = [element.proto.body for element in at.get("html")]
    assert any(f"'{COOKIE}_quakes='" in body for body in scripts), scripts


def test_the_shipped_crises_are_served_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """make run's setting: data/ and every folder of crises/ (issue #31: 2010 and 2020 side by side)."""
    import tomllib

    monkeypatch.delenv("CRISISBOARD_DATA", raising=False)
    monkeypatch.delenv("CRISISBOARD_CRISES", raising=False)
    folders = [PROJECT / "data", *sorted(p.parent for p in (PROJECT / "crises").glob("*/crisis.toml"))]
    assert len(folders) >= 2, "crises/ holds no crisis folder"
    names = [tomllib.loads((f / "crisis.toml").read_text(encoding="utf-8"))["name"] for f in folders]
    assert [entry.name for entry in available()] == names
    second = available()[1]
    at = app()
    at.query_params["crisis"] = second.slug
    at.run()
    assert not at.exception
    assert _pickers(at)[0].options == names and _pickers(at)[0].value == second.slug
    assert f"claims on {names[1]} · " in _captions(at)

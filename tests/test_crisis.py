"""The crisis definition: its schema, and a second, made-up crisis that leaves no trace of the shipped one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, PROJECT, VALID
from conftest import shown as shown_text
from crisisboard.data.crisis import CrisisError, read_crisis
from crisisboard.data.validate import validate_dataset
from test_hostile import page_texts

MADE_UP = FIXTURES / "madeup_crisis"
# what the shipped crisis's names look like; none may appear with the made-up crisis
SHIPPED = re.compile(r"Kyrgyz|Kirgiz|\bOsh\b|Jalal|Andijan|Fergana|Bishkek|June 2010", re.I)


@pytest.mark.parametrize("folder", [PROJECT / "data", VALID, MADE_UP], ids=["shipped", "fixture", "made-up"])
def test_every_crisis_definition_follows_the_schema(folder: Path) -> None:
    crisis = read_crisis(folder)
    assert crisis.defaults.map_area in crisis.areas
    assert (crisis.geo_dir / "countries.geojson").is_file() and (crisis.geo_dir / "admin1.geojson").is_file()
    assert crisis.window.start <= crisis.defaults.day <= crisis.window.end


@pytest.mark.parametrize("edit,field", [
    (("map_area = \"border\"", "map_area = \"nowhere\""), "defaults.map_area must be one of the map_areas"),
    (("metric = \"killed\"", "metric = \"happiness\""), "defaults.metric must be one of"),
    (("start = 2010-06-10", "start = 2010-08-10"), "end must not be before start"),
    (("lon = [72.52, 73.08]", "lon = [73.08, 72.52]"), "lon and lat must each be"),
    (("home = 'Kyrgyzstan'", "home = 'Kyrgyz(stan'"), "is not a regular expression"),
    (("name = ", "nom = "), "nom"),
    (("refuge_country = \"UZ\"", "refuge_country = \"XX\""), "is not an ISO 3166-1 alpha-2 country code"),
    (("refuge_country = \"UZ\"", "refuge_country = \"uz\""), "refuge_country"),
    (("name = ", "timezone = \"Mars/Olympus\"\nname = "), "is not an IANA time zone name"),
])
def test_a_broken_definition_is_reported_by_line_and_field(tmp_path: Path, edit: tuple[str, str], field: str) -> None:
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "crisis.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(CrisisError) as caught:
        read_crisis(tmp_path / "data")
    assert any(field in f"{where}: {message}" for _, where, message in caught.value.problems), caught.value.problems
    problems = [str(p) for p in validate_dataset(tmp_path / "data").problems]
    assert problems and all(p.startswith("crisis.toml:") for p in problems)
    assert all(int(p.split(":")[1]) >= 1 for p in problems)  # a line number the editor can go to


def test_a_data_folder_without_a_definition_says_so(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "data")
    (tmp_path / "data" / "crisis.toml").unlink()
    assert [str(p) for p in validate_dataset(tmp_path / "data").problems] == [
        "crisis.toml:0: -: file is missing: every data folder needs its crisis definition"]


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture dataset told as the made-up crisis, with its own geodata."""
    folder = tmp_path_factory.mktemp("madeup") / "data"
    shutil.copytree(VALID, folder)
    shutil.copy(MADE_UP / "crisis.toml", folder / "crisis.toml")
    shutil.copytree(MADE_UP / "geo", folder / "geo")
    assert validate_dataset(folder).problems == []
    return folder


def _everything_shown(at: AppTest) -> str:
    """The page's text and its charts' figures (titles, labels, hovers, slider steps, attributions)."""
    charts = [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(page_texts(at) + [str(t.value) for t in at.get("text")] + charts)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/who_says_what.py", "pages/map.py",
                                  "pages/sources.py", "pages/add_release.py"])
def test_every_page_with_a_made_up_crisis_names_nothing_of_the_shipped_one(made_up: Path, page: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(made_up))
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60)
    at.session_state["map_claims_open"] = at.session_state["timeline_claims_open"] = True
    at.run()
    assert not at.exception
    shown = _everything_shown(at)
    assert len(shown) > 500
    assert SHIPPED.findall(shown) == []
    if page == "pages/map.py":
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert "The fixture valley" in spec["layout"]["title"]["text"]
        captions = " ".join(shown_text(c.value) for c in at.caption)
        assert "Made-up shapes drawn for crisisboard's tests." in captions
        # the crisis folder's own layers, attributed under the map as crisis.toml words them
        assert "Fixture line of contact: Fixture Monitoring Group (made up), 2010-06-21" in captions
        assert "Fixture line of contact" in {trace["name"] for trace in spec["data"] if trace.get("showlegend")}
        steps = spec["layout"]["sliders"][0]["steps"]
        assert steps[0]["label"] == "11 Jun" and steps[-2]["label"] == "30 Jun"  # the made-up window


def test_the_made_up_crisis_titles_the_browser_tab(made_up: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crisisboard.app.datasets import page_title

    monkeypatch.setenv("CRISISBOARD_DATA", str(made_up))
    assert page_title() == "crisisboard: the fixture floods"


def test_no_module_names_the_shipped_crisis() -> None:
    """The crisis lives in data/crisis.toml: no code (string constants outside docstrings, numbers as dates)
    of crisisboard names its places, countries or days."""
    import ast

    found = []
    for path in sorted((PROJECT / "crisisboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if SHIPPED.search(node.value) or re.search(r"2010-0[67]-", node.value):
                    found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {node.value[:60]!r}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "date" \
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == 2010:
                found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: date(2010, …)")
    assert found == []  # refugees_crossed names its country in each claim's destination (issue #31)

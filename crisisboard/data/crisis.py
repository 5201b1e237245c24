"""The crisis definition: everything crisisboard shows that is not a claim, declared in ``crisis.toml`` beside
the data (its name, its time window, the default day and metric, the map's areas, where its geodata is, and
how its texts name places, originators and groups of people).

No module of crisisboard names a crisis: another crisis is another data folder with its own ``crisis.toml``.
:func:`load_crisis` reads and checks the file; :func:`crisis_problems` reports what is wrong with it in the
validator's terms (file, line, field, rule).
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from crisisboard.data import PROJECT_ROOT, countries, schema
from crisisboard.data.layer_files import LAYER_GEOMETRIES, layer_problems, missing_layer_files

# a crisis's key and its default folder, re-exported: the store and the commands import them from this module
from crisisboard.data.slugs import (  # noqa: F401
    CRISIS_FILE, DATA_ENV, DEFAULT_DATA_DIR, SLUG_PATTERN, crisis_slug, default_folder, default_slug, slug_of_text,
)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def humanise(slug: str) -> str:
    """A slug as words: ``armenian_military`` -> "Armenian military"."""
    words = str(slug).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"is not a regular expression: {error}") from None
    return pattern


def _zone(name: str | None) -> str | None:
    if name is not None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not an IANA time zone name (e.g. Asia/Yerevan)") from None
    return name


class Window(_Strict):
    """The crisis itself: the days the map's slider plays through."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class Route(_Strict):
    """A way people fled, drawn on the map for the displacement and refugee metrics: from a place to a place
    (both rows of places.csv), each leg cited by the texts that describe it."""

    start: Slug = Field(alias="from")
    end: Slug = Field(alias="to")
    label: str = Field(min_length=1, max_length=80)
    source_ids: tuple[Slug, ...] = Field(min_length=1)


class Defaults(_Strict):
    metric: str
    day: date
    published: date
    map_area: Slug
    # Who says what: a row per kind of claimant ("type"), or per originator ("originator": where the governments
    # of both sides are the originators that disagree, as in a war)
    who_says_rows: Literal["type", "originator"] = "type"


class MapArea(_Strict):
    """One of the map's views: a box of longitude and latitude, and its label."""

    key: Slug
    label: str = Field(min_length=1, max_length=80)
    lon: tuple[float, float]
    lat: tuple[float, float]

    @model_validator(mode="after")
    def _a_box(self) -> "MapArea":
        if not (-180 <= self.lon[0] < self.lon[1] <= 180 and -90 <= self.lat[0] < self.lat[1] <= 90):
            raise ValueError("lon and lat must each be [smaller, larger] within -180..180 and -90..90")
        return self


class GeoBuild(_Strict):
    """How ``make geo`` builds the geodata (crisisboard.data.geo)."""

    clip_box: tuple[float, float, float, float]
    countries: dict[Iso3, tuple[str, tuple[str, ...]]]
    regions: dict[str, tuple[Iso3, int]]




class GeoLayer(_Strict):
    """A layer the crisis folder adds to its maps (a line of contact, areas of control, camps): a GeoJSON file
    (relative to crisis.toml) drawn, keyed in the legend by `label` and attributed to `source` as of `date`."""

    file: str = Field(min_length=1, pattern=r"\.(geo)?json$")
    label: str = Field(min_length=1, max_length=80)
    kind: Literal["line", "area", "point"]
    source: str = Field(min_length=1, max_length=200)
    source_url: str = Field(default="", pattern=r"^(https?://\S+)?$")
    as_of: date = Field(alias="date")
    colour: Colour = "#6a3d9a"

    def attribution(self) -> str:
        """What a map says of the layer: its label, who drew it and as of when."""
        return f"{self.label}: {self.source}, {self.as_of.isoformat()}"


class Geo(_Strict):
    folder: str
    attribution: str = Field(min_length=1)
    # which border line the map draws, said under every map (disputed or since-moved lines); empty: nothing said
    border_note: str = Field(default="", max_length=300)
    # the legend's name for the drawn border line (which line it is belongs to the crisis, not to the code)
    border_label: str = Field(default="International border", min_length=1, max_length=80)
    outline: Iso3
    border: tuple[Iso3, Iso3] | None = None
    border_place: Slug | None = None
    iso3: dict[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], Iso3]
    fill: dict[Iso3, Colour]
    build: GeoBuild | None = None
    layers: tuple[GeoLayer, ...] = ()  # [[geo.layers]]: drawn over the built geodata, in the file's order

    @property
    def layers_note(self) -> str:
        """The sentence under a map that attributes the crisis folder's own layers ("" when there are none)."""
        return ("Drawn over the map: " + "; ".join(layer.attribution() for layer in self.layers) + ".") \
            if self.layers else ""


class PlaceAlias(_Strict):
    place: Slug
    pattern: str

    _check = field_validator("pattern")(_regex)


class ClaimantAlias(_Strict):
    pattern: str
    name: str
    type: str

    _check = field_validator("pattern")(_regex)


class PopulationWords(_Strict):
    """Words that narrow a figure to a group; `requires`/`excluded_by`/`kept_by` read the words around it."""

    population: str
    pattern: str
    requires: str | None = None
    excluded_by: str | None = None
    kept_by: str | None = None

    _check = field_validator("pattern", "requires", "excluded_by", "kept_by")(
        lambda value: None if value is None else _regex(value))


class PublishSettings(_Strict):
    """How ``python -m crisisboard publish`` cites the crisis's editions: `base_url`, the http(s) URL the publish
    folder is served at (its editions at <base_url>/<slug>/v<N>/); unset: citations give paths relative to it."""

    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+\S*$")] | None = None


class Extraction(_Strict):
    """How the crisis's texts name its countries, places, originators and groups of people (patterns are
    regular expressions, matched in order)."""

    home: str = ""  # regex: the country of the crisis, where people are displaced internally
    refuge: str = ""  # regex: the country people flee to (the refugee metrics)
    refuge_place: Slug | None = None  # the place a refugee figure is about when its sentence names the refuge
    # the ISO 3166-1 alpha-2 code of the country `refuge` names: the destination of a refugees_crossed figure (left
    # out: the extractor proposes such figures without one, and the officer gives it before saving)
    refuge_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    home_places: tuple[Slug, ...] = ()  # places of the crisis's country a refugee figure is moved from
    places: tuple[PlaceAlias, ...] = ()
    claimants: tuple[ClaimantAlias, ...] = ()
    populations: tuple[PopulationWords, ...] = ()

    _countries = field_validator("home", "refuge")(lambda value: _regex(value) if value else value)


class Crisis(_Strict):
    """A crisis definition (see the module docstring); `folder` is where its crisis.toml was read."""

    name: str = Field(min_length=1)
    # the crisis's name in links (?crisis=…) and the store; unset: its folder's name (crisisboard.data.crises)
    slug: Slug | None = None
    page_title: str = Field(min_length=1, max_length=120)
    citation: str = Field(min_length=1)
    earliest_date: date
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2}$")], ...]
    groups: tuple[Slug, ...] = ()  # groups of people a figure may be limited to, beyond the general populations
    timezone: str | None = None  # the IANA time zone of the crisis: the local time of a claim's as_of (a note, checked)
    # how the app names a group ("Armenian military"); a group without one reads as its slug humanised
    group_labels: dict[Slug, Annotated[str, Field(min_length=1, max_length=60)]] = {}
    window: Window
    defaults: Defaults
    map_areas: tuple[MapArea, ...] = Field(min_length=1)
    routes: tuple[Route, ...] = ()
    geo: Geo
    extraction: Extraction = Extraction()
    publish: PublishSettings = PublishSettings()
    folder: Path = Path(".")

    _timezone = field_validator("timezone")(_zone)
    @field_validator("group_labels")
    @classmethod
    def _labels_of_groups(cls, labels: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        groups = info.data.get("groups", ())
        for group in labels:
            if group not in groups:
                raise ValueError(f"{group!r} is not one of the groups ({', '.join(groups) or 'none'})")
        return labels

    @model_validator(mode="after")
    def _consistent(self) -> "Crisis":
        keys = [area.key for area in self.map_areas]
        if len(set(keys)) != len(keys):
            raise ValueError("map_areas: each key must be unique")
        if self.defaults.map_area not in keys:
            raise ValueError(f"defaults.map_area must be one of the map_areas ({', '.join(keys)})")
        if self.defaults.metric not in schema.METRICS:
            raise ValueError(f"defaults.metric must be one of {', '.join(schema.METRICS)}")
        if not self.window.start <= self.defaults.day <= self.window.end:
            raise ValueError("defaults.day must lie within the window")
        if self.extraction.refuge_country and self.extraction.refuge_country not in countries.codes():
            raise ValueError(f"extraction.refuge_country: {self.extraction.refuge_country!r} is not an ISO 3166-1 "
                             "alpha-2 country code")
        for alias in self.extraction.claimants:
            if alias.type not in schema.CLAIMANT_TYPES:
                raise ValueError(f"extraction.claimants: type {alias.type!r} is not one of the claimant types")
        for words in self.extraction.populations:
            if words.population not in self.populations:
                raise ValueError(f"extraction.populations: {words.population!r} is not one of the populations")
        return self

    @property
    def populations(self) -> tuple[str, ...]:
        """Whom a figure may cover: the general populations and this crisis's groups."""
        return schema.POPULATIONS + self.groups

    @property
    def population_labels(self) -> tuple[tuple[str, str], ...]:
        """(population, label) for every population, in the order of :attr:`populations`: the general ones'
        labels, then each group's from `group_labels`, else its slug humanised ("armenian_military" ->
        "Armenian military"). Pairs, not a dict: they key cached computations."""
        general = tuple((p, schema.POPULATION_LABELS[p]) for p in schema.POPULATIONS)
        return general + tuple((g, self.group_labels.get(g) or humanise(g)) for g in self.groups)

    @property
    def areas(self) -> dict[str, MapArea]:
        """The map areas by key, in the file's order."""
        return {area.key: area for area in self.map_areas}

    def layer_path(self, layer: GeoLayer) -> Path:
        """A layer's GeoJSON file: relative to crisis.toml."""
        return (self.folder / layer.file).resolve()

    @property
    def geo_dir(self) -> Path:
        """The geodata folder: relative to crisis.toml when written ./… or ../…, else to the checkout (so that a
        copy of the data folder still finds the shipped geodata)."""
        folder = Path(self.geo.folder)
        if folder.is_absolute():
            return folder
        base = self.folder if self.geo.folder.startswith(("./", "../")) else PROJECT_ROOT
        return (base / folder).resolve()


class CrisisError(ValueError):
    """crisis.toml is missing or breaks a rule; `problems` are (line, field, message)."""

    def __init__(self, path: Path, problems: list[tuple[int, str, str]]):
        self.path, self.problems = path, problems
        super().__init__("; ".join(f"{path.name}:{line}: {field}: {message}" for line, field, message in problems))


def _line_of(text: str, field: str) -> int:
    """The line where `field` (dotted, e.g. "defaults.day", or "geo.layers.1.source" for the second
    [[geo.layers]]) is set, or 1 when it cannot be found; a key missing from a table of an array: the table's
    header."""
    parts = field.split(".")
    index = next((i for i, part in enumerate(parts) if part.isdigit()), None)
    if index is not None:
        header = re.compile(rf"\s*\[\[\s*{re.escape('.'.join(parts[:index]))}\s*\]\]")
        lines = text.splitlines()
        starts = [number for number, line in enumerate(lines, start=1) if header.match(line)]
        if int(parts[index]) < len(starts):
            start = starts[int(parts[index])]
            key = parts[index + 1] if index + 1 < len(parts) else ""
            for number in range(start + 1, len(lines) + 1):
                if re.match(r"\s*\[", lines[number - 1]):
                    break
                if key and re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
                    return number
            return start
    last = parts[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(last)}\s*=", line) or re.match(rf"\s*\[+{re.escape(field)}\]+", line):
            return number
    return 1


def read_crisis(data_dir: Path) -> Crisis:
    """The crisis definition of a data folder.

    Raises
    ------
    CrisisError
        When data_dir/crisis.toml is missing, is not TOML, or breaks a rule; each problem names the line
        and the field.
    """
    path = Path(data_dir) / CRISIS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CrisisError(path, [(0, "-", "file is missing: every data folder needs its crisis definition")]) \
            from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CrisisError(path, [(getattr(error, "lineno", 1) or 1, "-", f"is not valid TOML ({error})")]) from None
    try:
        crisis = Crisis(**raw, folder=path.parent)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "-"
            problems.append((_line_of(text, field), field, item["msg"].removeprefix("Value error, ")))
        problems += missing_layer_files(raw, path.parent, text, _line_of)  # said now too, not only once the rest is fixed
        raise CrisisError(path, problems) from None
    problems = [(_line_of(text, f"geo.layers.{i}.file"), f"geo.layers.{i}.file", message)
                for i, layer in enumerate(crisis.geo.layers) for message in layer_problems(crisis.layer_path(layer), layer)]
    if problems:
        raise CrisisError(path, problems)
    return crisis


@lru_cache(maxsize=16)
def _cached(path: str, stamp: tuple) -> Crisis:  # noqa: ARG001 - the stamp is the key: the file's size and time
    return read_crisis(Path(path))


def load_crisis(data_dir: Path) -> Crisis:
    """:func:`read_crisis`, read again only when the file changes."""
    path = Path(data_dir) / CRISIS_FILE
    try:
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
    except FileNotFoundError:
        stamp = ()
    return _cached(str(Path(data_dir).resolve()), stamp)

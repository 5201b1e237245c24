"""The crises one server serves: the registry.

The default crisis is the data folder named by CRISISBOARD_DATA, else the checkout's ``data/``. Every other
crisis is a folder under the crises root (CRISISBOARD_CRISES, else the checkout's ``crises/``) that holds a
``crisis.toml``: a full data folder of its own (sources, claims, places, incidents, geodata). A crisis is known
by its slug: the ``slug`` key of its crisis.toml when set, else its folder's name (:func:`folder_slug`). The app carries the slug in
every link (``?crisis=<slug>``); no slug in a link means the default crisis.

:func:`read_folder` is the one place that turns a slug into the folder the app reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crisisboard.data import PROJECT_ROOT
from crisisboard.data.crisis import CRISIS_FILE, CrisisError, load_crisis
from crisisboard.data.load import data_dir_for, data_dir_from_env
from crisisboard.data.slugs import SLUG_PATTERN, default_folder, folder_slug

CRISES_ENV = "CRISISBOARD_CRISES"
DEFAULT_CRISES_DIR = PROJECT_ROOT / "crises"
SLUG = SLUG_PATTERN  # as crisis.toml's `slug` (crisisboard.data.crisis.Slug)


@dataclass(frozen=True)
class CrisisEntry:
    """One crisis the server serves: its slug, its name (as its crisis.toml gives it), its folder, whether it is
    the default crisis, and what is wrong with its crisis.toml ("" when it reads; the name is then the folder's
    and the app shows the problem when the crisis is chosen)."""

    slug: str
    name: str
    folder: Path
    default: bool = False
    problem: str = ""


class UnknownCrisis(LookupError):
    """A slug that names no crisis this server serves; the message lists those it does serve."""

    def __init__(self, slug: str, known: list[CrisisEntry]):
        self.slug, self.known = slug, known
        served = ", ".join(f"{entry.slug!r} ({entry.name})" for entry in known)
        super().__init__(f"no crisis is called {slug!r}: this server serves {served}")


class CrisisRegistryError(ValueError):
    """Two crisis folders claim the same slug: the message names both crisis.toml files and the field."""


def crises_root() -> Path:
    """The folder holding the other crises, one sub-folder each: CRISISBOARD_CRISES, else the checkout's crises/."""
    value = os.environ.get(CRISES_ENV, "").strip()
    return Path(value) if value else DEFAULT_CRISES_DIR


def _entry(folder: Path, default: bool) -> CrisisEntry:
    """A crisis folder's entry, read from its crisis.toml (a broken file gives the folder's name and the problem)."""
    try:
        crisis = load_crisis(folder)
    except CrisisError as error:
        return CrisisEntry(slug=folder_slug(folder) or folder.name, name=folder.name, folder=folder, default=default,
                           problem=str(error))
    slug = crisis.slug or folder_slug(folder)
    if not slug:
        problem = (f"{folder / CRISIS_FILE}: slug: no slug can be made of the folder's name {folder.name!r}: set "
                   "`slug = \"...\"` in crisis.toml (lower-case letters, digits, - and _)")
        return CrisisEntry(slug=folder.name, name=crisis.name, folder=folder, default=default, problem=problem)
    return CrisisEntry(slug=slug, name=crisis.name, folder=folder, default=default)


def available() -> list[CrisisEntry]:
    """Every crisis served: the default folder first, then each folder of the crises root with a crisis.toml, in
    the order of their folders' names (the default folder is listed once even when it lies in the root).

    Raises
    ------
    CrisisRegistryError
        When two folders have the same slug.
    """
    default = default_folder()
    entries = [_entry(default, default=True)]
    root = crises_root()
    seen = {default.resolve()}
    if root.is_dir():
        for folder in sorted(path.parent for path in root.glob(f"*/{CRISIS_FILE}")):
            if folder.resolve() not in seen:
                seen.add(folder.resolve())
                entries.append(_entry(folder, default=False))
    by_slug: dict[str, CrisisEntry] = {}
    for entry in entries:
        if entry.slug in by_slug:
            first = by_slug[entry.slug]
            raise CrisisRegistryError(
                f"{entry.folder / CRISIS_FILE}: slug: {entry.slug!r} is already the slug of "
                f"{first.folder / CRISIS_FILE}: each crisis needs its own (set `slug = \"...\"` in one of them)")
        by_slug[entry.slug] = entry
    return entries


def entry_for(slug: str | None) -> CrisisEntry:
    """The crisis called `slug`; the default crisis when `slug` is None or empty.

    Raises
    ------
    UnknownCrisis
        When no crisis served is called `slug`.
    CrisisRegistryError
        When two folders have the same slug.
    """
    entries = available()
    if not slug:
        return entries[0]
    for entry in entries:
        if entry.slug == slug:
            return entry
    raise UnknownCrisis(slug, entries)


def folder_for(slug: str | None) -> Path:
    """The folder of the crisis called `slug` (its files as an analyst edits them); the default crisis's when
    `slug` is None or empty. Raises UnknownCrisis as :func:`entry_for`."""
    return entry_for(slug).folder


def link_slug(folder: Path) -> str | None:
    """The slug a link to the app needs to show the crisis in `folder`: None for the default crisis (a link
    without ?crisis= shows it) and for a folder the server does not serve (or when the crises cannot be
    listed)."""
    try:
        entries = available()
    except CrisisRegistryError:
        return None
    wanted = Path(folder).resolve()
    return next((entry.slug for entry in entries if not entry.default and entry.folder.resolve() == wanted), None)


def read_folder(entry: CrisisEntry) -> Path:
    """The folder the app reads for a crisis: for the default crisis, CRISISBOARD_DATA or data/, or with
    CRISISBOARD_DATABASE_URL set the local copy of the database (crisisboard.data.load.data_dir_from_env);
    for any other crisis, its folder, or with CRISISBOARD_DATABASE_URL set that crisis's own local copy
    (crisisboard.data.load.data_dir_for)."""
    if entry.default:
        return data_dir_from_env()
    return data_dir_for(entry.folder)

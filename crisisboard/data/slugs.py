"""A crisis's key (its slug) and the default crisis's folder: what the store, the mirror and the commands need to
tell crises apart without reading a whole crisis definition (crisisboard.data.crisis)."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from crisisboard.data import PROJECT_ROOT

CRISIS_FILE = "crisis.toml"
DATA_ENV = "CRISISBOARD_DATA"  # the default crisis's folder (else the project's data/)
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def slug_of_text(text: str) -> str | None:
    """The `slug` key of a crisis.toml's text, when it has a valid one (else None)."""
    try:
        value = tomllib.loads(text).get("slug")
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) and SLUG_PATTERN.match(value) else None


def crisis_slug(folder: Path) -> str:
    """The key of the crisis a data folder holds: the ``slug`` of its crisis.toml when set, else the folder's
    name in lower case with each run of other characters than a-z, 0-9, ``_`` and ``-`` made one ``-``.
    The PostgreSQL store keeps each crisis's rows under this key (crisisboard.data.backends.open_store).
    ValueError when no key can be made of either."""
    path = Path(folder) / CRISIS_FILE
    try:
        found = slug_of_text(path.read_text(encoding="utf-8-sig"))
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        found = None
    if found:
        return found
    name = folder_slug(folder)
    if not name:
        raise ValueError(f"{folder}: no crisis key: set slug = \"...\" in its {CRISIS_FILE} (a-z, 0-9, _ and -)")
    return name


def folder_slug(folder: Path) -> str:
    """The slug of a folder whose crisis.toml sets none: its name in lower case, each run of characters other
    than a-z, 0-9, _ and - made one -; "" when nothing is left."""
    name = re.sub(r"[^a-z0-9_-]+", "-", Path(folder).resolve().name.lower()).lstrip("-_")[:64].rstrip("-")
    return name if SLUG_PATTERN.match(name) else ""


def default_folder() -> Path:
    """The default crisis's folder: the one CRISISBOARD_DATA names, else the project's data/."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value) if value else DEFAULT_DATA_DIR


def default_slug() -> str:
    """The key of the default crisis (:func:`crisis_slug` of :func:`default_folder`)."""
    return crisis_slug(default_folder())

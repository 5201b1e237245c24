"""The app on PostgreSQL: each process reads the database's data version at most once a second and, when it
changed, exports that version once per machine into a local folder, which the app then loads as it loads
data/ (validated, typed, cached by the hash of its files). A change saved by any process on any machine
is therefore shown by every other within about a second of its next page run, without a restart; the cache
keys on the data version because the folder of each version is its own.

Each crisis the database holds (crisisboard.data.crisis.crisis_slug) has its own data version and its own
copies, in ``<base>/<database>/crises/<slug>/v<version>``; each copy says whose it is in its ``.crisis`` file
(:func:`crisis_of`), so a store opened on the copy keeps to that crisis.

Version and rows are read in one REPEATABLE READ transaction, so a folder holds exactly its version. Folders
are written beside each other and renamed into place: a reader sees a complete version or none.

The copies are the app's user's alone (issue #30): by default in ``$XDG_CACHE_HOME/crisisboard/mirror``
(``~/.cache/crisisboard/mirror``), or ``crisisboard-<uid>/mirror`` in the temporary folder when the home folder
is not the app's user's, never at a name another local user could take first. Each folder is ``0700`` and each
file ``0600``; a folder there that belongs to someone else, is a symbolic link or that others may write in is
refused (crisisboard.data.private.UnsafeFolder): the app would otherwise show whatever that user put in it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from crisisboard.data import database as db
from crisisboard.data.crisis import crisis_slug
from crisisboard.data.private import private_dir, write_private

MIRROR_ENV = "CRISISBOARD_DB_MIRROR"
CHECK_SECONDS = 1.0  # how often a process asks the database for its version
KEEP = 3  # versions kept on disk per database
COMPLETE = ".complete"
CRISIS_MARK = ".crisis"  # in a copy: the slug of the crisis it holds
_checked: dict[tuple[str, str], tuple[float, Path]] = {}  # per URL and crisis: when its version was read, its folder


def _own_home() -> Path | None:
    """The app's user's home folder, when it is a folder of theirs."""
    try:
        home = Path.home()
        return home if home.is_dir() and home.stat().st_uid == os.geteuid() else None
    except (RuntimeError, OSError):  # no home at all (a service user)
        return None


def mirror_base() -> Path:
    """Where the local copies live: CRISISBOARD_DB_MIRROR; else the user's cache folder
    ($XDG_CACHE_HOME/crisisboard/mirror, ~/.cache/crisisboard/mirror); else crisisboard-<uid>/mirror in the
    temporary folder (a user without a home of their own)."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    if value:
        return Path(value)
    cache = os.environ.get("XDG_CACHE_HOME", "").strip()
    if cache:
        return Path(cache) / "crisisboard" / "mirror"
    home = _own_home()
    if home is not None:
        return home / ".cache" / "crisisboard" / "mirror"
    return Path(tempfile.gettempdir()) / f"crisisboard-{os.geteuid()}" / "mirror"


def mirror_root(url: str) -> Path:
    """The folder of one database's local copies (in :func:`mirror_base`)."""
    return mirror_base() / hashlib.sha256(url.encode()).hexdigest()[:16]


def current_folder(url: str, crisis: str) -> Path:
    """The local copy of one crisis's data in the database at its newest version."""
    crisis = db.checked_crisis(crisis)
    now = time.monotonic()
    checked = _checked.get((url, crisis))
    if checked and now - checked[0] < CHECK_SECONDS:
        return checked[1]
    private_dir(mirror_base())  # UnsafeFolder when another user could have written in it
    private_dir(mirror_root(url))
    private_dir(mirror_root(url) / "crises")
    root = private_dir(mirror_root(url) / "crises" / crisis)
    engine = db.engine_for(url).execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection, connection.begin():
        folder = root / f"v{db.data_version(connection, crisis)}"
        if not (folder / COMPLETE).exists():
            staging = Path(tempfile.mkdtemp(prefix=".export-", dir=root))
            if db.has_data(connection, crisis):
                db.export_to(connection, crisis, staging)
            write_private(staging / CRISIS_MARK, crisis)
            write_private(staging / COMPLETE, "")
            try:
                staging.rename(folder)
            except OSError:  # another process wrote this version first: the same bytes
                shutil.rmtree(staging, ignore_errors=True)
    _prune(root, keep=folder)
    _checked[(url, crisis)] = (now, folder)
    return folder


def _in_mirror(folder: Path) -> bool:
    try:
        return folder.resolve().is_relative_to(mirror_base().resolve())
    except OSError:
        return False


def crisis_of(folder: Path) -> str:
    """The crisis a data folder holds: the one a local copy in :func:`mirror_base` says it is
    (:data:`CRISIS_MARK`, written with the copy), else crisisboard.data.crisis.crisis_slug of the folder."""
    folder = Path(folder)
    if (folder / COMPLETE).is_file() and (folder / CRISIS_MARK).is_file() and _in_mirror(folder):
        return db.checked_crisis((folder / CRISIS_MARK).read_text(encoding="utf-8").strip())
    return crisis_slug(folder)


def _prune(root: Path, keep: Path) -> None:
    """Remove all but the KEEP newest versions (never `keep`): a process still drawing an older one has it
    loaded already."""
    versions = sorted((p for p in root.glob("v*") if p.is_dir()), key=lambda p: int(p.name[1:]))
    for old in versions[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)

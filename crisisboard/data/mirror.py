"""The app on PostgreSQL: each process reads the database's data version at most once a second and, when it
changed, exports that version once per machine into a local folder, which the app then loads as it loads
data/ (validated, typed, cached by the hash of its files). A change saved by any process on any machine
is therefore shown by every other within about a second of its next page run, without a restart; the cache
keys on the data version because the folder of each version is its own.

Version and rows are read in one REPEATABLE READ transaction, so a folder holds exactly its version. Folders
are written beside each other and renamed into place: a reader sees a complete version or none.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from crisisboard.data import database as db

MIRROR_ENV = "CRISISBOARD_DB_MIRROR"
CHECK_SECONDS = 1.0  # how often a process asks the database for its version
KEEP = 3  # versions kept on disk per database
COMPLETE = ".complete"
_checked: dict[str, tuple[float, Path]] = {}  # per URL: when the version was last read, and its folder


def mirror_root(url: str) -> Path:
    """The folder of one database's local copies: CRISISBOARD_DB_MIRROR, else the temporary folder."""
    base = Path(os.environ.get(MIRROR_ENV, "").strip() or Path(tempfile.gettempdir()) / "crisisboard-db")
    return base / hashlib.sha256(url.encode()).hexdigest()[:16]


def current_folder(url: str) -> Path:
    """The local copy of the database's data at its newest version."""
    now = time.monotonic()
    checked = _checked.get(url)
    if checked and now - checked[0] < CHECK_SECONDS:
        return checked[1]
    root = mirror_root(url)
    root.mkdir(parents=True, exist_ok=True)
    engine = db.engine_for(url).execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection, connection.begin():
        folder = root / f"v{db.data_version(connection)}"
        if not (folder / COMPLETE).exists():
            staging = Path(tempfile.mkdtemp(prefix=".export-", dir=root))
            db.export_to(connection, staging)
            (staging / COMPLETE).write_text("", encoding="utf-8")
            try:
                staging.rename(folder)
            except OSError:  # another process wrote this version first: the same bytes
                shutil.rmtree(staging, ignore_errors=True)
    _prune(root, keep=folder)
    _checked[url] = (now, folder)
    return folder


def _prune(root: Path, keep: Path) -> None:
    """Remove all but the KEEP newest versions (never `keep`): a process still drawing an older one has it
    loaded already."""
    versions = sorted((p for p in root.glob("v*") if p.is_dir()), key=lambda p: int(p.name[1:]))
    for old in versions[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)

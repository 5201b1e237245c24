"""Files and folders the app creates are its own user's only (issue #30): every writer of the data folder, the
backups, the history, the lock file, the PostgreSQL mirror and the exports goes through this module.

- A file the app creates is ``0600`` (a folder ``0700``), whatever the umask.
- A file the app replaces keeps the mode its owner gave it (a data folder checked out ``0644`` stays so), except
  the app's records of its staff (``STAFF_FILES``: roles, proposals, settings, the history), which lose every
  permission of "others" when the app writes them, so that a folder made by an older version is tightened at
  its next write (a group the owner gave read access keeps it).
- A folder the app keeps private files in (the mirror) must belong to the app's user, be a real folder (not a
  symbolic link) and be writable by nobody else; each folder above it must belong to the app's user or to
  root and be writable by nobody else unless it is sticky (``/tmp``). Anything else is refused with
  :class:`UnsafeFolder`: another local user could otherwise plant the files the app reads.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# the app's records of who its staff are and what they did: never readable by others, even when replaced
STAFF_FILES = frozenset({"users.csv", "proposals.csv", "settings.csv", "history.csv", "signouts.csv"})


class UnsafeFolder(OSError):
    """A folder the app would keep private files in belongs to someone else, or others may write in it.

    `str()` names the folder and the rule (for the log); :attr:`plain` is what a reader of the page is told."""

    plain = ("The app cannot open its working folder safely, so it shows nothing for now. The person who runs "
             "this server will find the details in its log.")

    def __init__(self, path: Path, why: str):
        self.path, self.why = Path(path), why
        super().__init__(f"refused the folder {path}: {why}. Remove it (or give it to the app's user with mode "
                         "0700), or point CRISISBOARD_DB_MIRROR at a folder of the app's own user")


def _owner_name(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _check_ancestor(path: Path, above: Path) -> None:
    """A folder `above` the private folder `path`: root's or ours, and writable by others only when sticky
    (others could rename the private folder away and put theirs in its place)."""
    info = above.stat()
    if info.st_uid not in (0, os.geteuid()):
        raise UnsafeFolder(path, f"the folder above it, {above}, belongs to {_owner_name(info.st_uid)}")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
        raise UnsafeFolder(path, f"the folder above it, {above}, is writable by others (mode "
                                 f"{stat.S_IMODE(info.st_mode):04o}) and not sticky")


def check_private_dir(path: Path) -> None:
    """UnsafeFolder unless `path` is a real folder of this user that nobody else may write in, under folders
    nobody else may rename it in."""
    path = Path(path)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolder(path, "it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(path, "it is not a folder")
    if info.st_uid != os.geteuid():
        raise UnsafeFolder(path, f"it belongs to {_owner_name(info.st_uid)}, not to the app's user "
                                 f"{_owner_name(os.geteuid())}")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeFolder(path, f"others may write in it (mode {stat.S_IMODE(info.st_mode):04o})")
    for above in path.resolve().parents:
        _check_ancestor(path, above)


def private_dir(path: Path | str) -> Path:
    """`path` as a private folder: each missing folder created ``0700``, the folder itself checked
    (:func:`check_private_dir`) and, being this user's, set to ``0700``. UnsafeFolder when it is not safe."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made by someone else meanwhile: checked below like any existing one
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is cut by the umask
    check_private_dir(path)
    os.chmod(path, DIR_MODE)
    return path


def new_dir(path: Path | str) -> Path:
    """`path`, each missing folder of it created ``0700`` (an existing folder is left as its owner made it:
    the backups folder inside a data folder a team shares, say)."""
    path = Path(path)
    if path.is_dir():
        return path
    if not path.parent.is_dir():
        new_dir(path.parent)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return path
    os.chmod(path, DIR_MODE)  # mkdir's mode is cut by the umask
    return path


def open_private(path: Path | str, flags: int = os.O_WRONLY | os.O_APPEND) -> int:
    """A descriptor of `path` opened with `flags`, the file created ``0600`` when missing (whatever the umask);
    an existing staff file (STAFF_FILES) of this user that others could read loses those permissions."""
    path = Path(path)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            if path.name in STAFF_FILES and info.st_uid == os.geteuid() and info.st_mode & 0o007:
                os.fchmod(fd, stat.S_IMODE(info.st_mode) & ~0o007)
        except BaseException:
            os.close(fd)
            raise
        return fd
    try:
        os.fchmod(fd, FILE_MODE)  # the umask may have cut it further
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path | str, data: bytes | str) -> None:
    """Write `data` to `path`, a file this call creates or truncates; created ``0600``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = open_private(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "wb") as out:
        out.write(raw)


def replaced_mode(path: Path) -> int:
    """The mode a file replacing `path` gets: ``0600`` when `path` is new; else its own mode, without the
    permissions of others for a staff file (STAFF_FILES)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return FILE_MODE
    return mode & ~0o007 if path.name in STAFF_FILES else mode


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Replace `path` with `data` atomically (a temporary file beside it, synced, then ``os.replace``), with the
    mode :func:`replaced_mode` gives: a file the app creates is ``0600``."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = replaced_mode(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(raw)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_private(source: Path | str, target: Path | str) -> None:
    """Copy the bytes of `source` to a new file `target`, ``0600`` (a backup: never the original's mode)."""
    fd = open_private(target, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as inp:
        while chunk := inp.read(1 << 20):
            out.write(chunk)

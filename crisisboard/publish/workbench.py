"""What the app (the workbench) does with editions (issue #32): publish a store's approved data from the Review
page, and read the latest edition for the line every page shows.

Publishing checks the role again against the roles the store holds now, as an approval does
(crisisboard.data.review_checks), then makes the CSV store's folder, or a PostgreSQL crisis exported to a scratch
folder, the next edition with the store's own history (crisisboard.publish.edition)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from crisisboard.data.backends import CsvStore, Store
from crisisboard.data.review import removed_roles
from crisisboard.data.review_checks import current_role
from crisisboard.data.users import PERMISSIONS, Actor, PermissionDenied, require
from crisisboard.publish import edition

LATEST_MANIFEST = ("latest", "manifest.json")


def may_publish(store: Store, actor: Actor) -> Actor:
    """`actor` when the role the store gives them NOW may publish; PermissionDenied otherwise (whatever role the
    page was drawn with: a role taken away since then counts)."""
    require(actor, "publish")
    users = store.users()
    role = current_role(actor.email, users, set() if users else removed_roles(store.history()), actor.role)
    if role not in PERMISSIONS["publish"]:
        raise PermissionDenied(f"nothing was published: {actor.email} no longer has a role that may publish "
                               f"(now: {role or 'none'}); that needs the role {' or '.join(PERMISSIONS['publish'])}")
    return actor


def publish_store(store: Store, actor: Actor, out: Path, base_url: str | None = None) -> edition.Published:
    """The store's approved data as the next edition of its crisis under `out`/<slug>/ (none when nothing
    changed since the last one), once `actor` may publish (:func:`may_publish`). The manifest names the
    reviewers of the approvals the store's history records since the previous edition. `base_url`: where `out`
    is served, for the citations (None: the crisis.toml's [publish] base_url, else paths relative to `out`)."""
    may_publish(store, actor)
    if isinstance(store, CsvStore):  # its folder as `make publish` reads it; history.csv beside it
        return edition.publish(store.data_dir, Path(out), slug=store.crisis, base_url=base_url)
    with tempfile.TemporaryDirectory(prefix="crisisboard-publish-") as folder:
        store.export(Path(folder))
        return edition.publish(Path(folder), Path(out), slug=store.crisis, history=store.history(),
                               base_url=base_url)


@dataclass(frozen=True)
class LatestEdition:
    """The newest edition of a crisis under a publish folder: its number and when it was published (UTC)."""

    edition: int
    published: str  # ISO 8601, "2026-12-07T21:58:00Z"

    def day(self) -> str:
        """The publication time as a reader reads it: "7 Dec 2026, 21:58 UTC" (the text as written when odd)."""
        try:
            when = datetime.strptime(self.published, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return self.published
        return f"{when.day} {when:%b %Y, %H:%M} UTC"

    def url(self, base: str, slug: str) -> str:
        """The edition's own (immutable) index page under the public address `base`."""
        return f"{base.rstrip('/')}/{slug}/v{self.edition}/index.html"


@lru_cache(maxsize=32)
def _edition_in(path: str, stamp: tuple[int, int, int]) -> LatestEdition | None:  # noqa: ARG001 - the key
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
        number, published = manifest["edition"], manifest["published"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(number, bool) or not isinstance(number, int) or number < 1 or not isinstance(published, str):
        return None
    return LatestEdition(number, published)


def latest_edition(out: Path, slug: str) -> LatestEdition | None:
    """The edition `out`/<slug>/latest/ holds (None: nothing published, or a manifest that does not read). Its
    manifest is read again only when its size, time or inode changed: a page run costs a stat call."""
    path = Path(out, slug, *LATEST_MANIFEST)
    try:
        found = path.stat()
    except OSError:
        return None
    return _edition_in(str(path), (found.st_mtime_ns, found.st_size, found.st_ino))

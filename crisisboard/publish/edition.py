"""Numbered, immutable editions: ``OUT/<slug>/v<N>/`` with ``latest/`` a copy of the newest, each with its
manifest (every file's SHA-256 and size), its changes against the previous edition, and ``OUT/<slug>/feed.atom``
listing the editions. Publishing data whose content hash equals the previous edition's makes no edition.

An edition is written into a temporary folder beside its place and renamed into it, so a reader never sees half
an edition; old editions are never written again."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from crisisboard.data.crisis import crisis_slug
from crisisboard.data.history import Change, read_history
from crisisboard.data.load import dataset_version
from crisisboard.publish import pages, tables
from crisisboard.publish.chart_files import chart_files
from crisisboard.publish.citations import Citer
from crisisboard.publish.reviewers import approvals_since, reviewers_of

EDITION = re.compile(r"^v(\d+)$")
LICENCE_FILES = ("LICENSE", "LICENCE", "LICENSE.md", "LICENCE.md", "LICENSE.txt", "LICENCE.txt")


@dataclass(frozen=True)
class Published:
    """What a publish did: the edition made (or the previous one, when nothing changed) and its folder."""

    edition: int
    folder: Path
    new: bool

    def message(self) -> str:
        if self.new:
            return f"published edition {self.edition} in {self.folder} (and latest/)"
        return f"no change since edition {self.edition} ({self.folder}): no new edition"


def software_version() -> str:
    try:
        return metadata.version("crisisboard")
    except metadata.PackageNotFoundError:
        return "unknown (crisisboard is not installed)"


def editions(crisis_out: Path) -> list[int]:
    """The edition numbers present under OUT/<slug>/, ascending."""
    if not crisis_out.is_dir():
        return []
    return sorted(int(m.group(1)) for p in crisis_out.iterdir() if p.is_dir() and (m := EDITION.match(p.name)))


def licence_line(data_dir: Path) -> str:
    """The licence of the crisis folder: crisis.toml's `licence`/`license`, else a LICENSE file's first line."""
    try:
        settings = tomllib.loads((data_dir / "crisis.toml").read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError):
        settings = {}
    for key in ("licence", "license"):
        if str(settings.get(key, "")).strip():
            return str(settings[key]).strip()
    for name in LICENCE_FILES:
        path = data_dir / name
        if path.is_file():
            lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
            return next((line for line in lines if line), "")
    return ""


def changes_between(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]],
                    retracted: frozenset[str]) -> dict[str, list[dict]]:
    """Claims added, edited (with the fields that differ), retracted or otherwise removed, claim by claim."""
    added = [{"claim_id": c} for c in new if c not in old]
    edited = []
    for claim_id in (c for c in new if c in old):
        fields = sorted(f for f in set(old[claim_id]) | set(new[claim_id])
                        if old[claim_id].get(f, "") != new[claim_id].get(f, ""))
        if fields:
            edited.append({"claim_id": claim_id, "fields": fields})
    gone = [c for c in old if c not in new]
    return {"added": added, "edited": edited,
            "retracted": [{"claim_id": c} for c in gone if c in retracted],
            "removed": [{"claim_id": c} for c in gone if c not in retracted]}


def readme(name: str, citation: str, licence: str, edition: int, when: str) -> bytes:
    text = (f"# {name}: edition {edition}\n\nPublished {when} (UTC) by crisisboard {software_version()}. "
            "The approved data only: no proposals; retracted claims are left out.\n\n"
            "- `data/claims.csv`, `data/sources.csv`, `data/places.csv`, `data/incidents.csv`: the tables as "
            "data/README.md of crisisboard describes them; the first row names the columns, the second holds "
            "their HXL hashtags (https://hxlstandard.org/).\n"
            "- `claims.json` (records) and `claims.parquet`: the claims again.\n"
            "- `index.html`, `claims/`, `sources/`, `statements/`: a page per claim card, source and statement.\n"
            "- `charts.json`, `charts/`: each chart's page (interactive, with its citation and embed snippet), its "
            "embed page, its PNG and SVG, and the claims behind it as CSV and JSON; `assets/`: the Plotly and the "
            "script the chart pages load (nothing is loaded from elsewhere).\n"
            "- `changes.json`, `changes.html`: claims added, edited and retracted since the previous edition.\n"
            "- `manifest.json`: every file with its SHA-256 and size.\n\n"
            f"Licence: {licence or 'none stated in the crisis folder'}\n\n"
            f"Cite as: {citation}, edition {edition}, {when[:10]}.\n")
    return text.encode("utf-8")


def html_files(data: tables.Approved, citer: Citer | None = None) -> dict[str, bytes]:
    """A page per claim (with its citation, when `citer` is given), per source and per statement; the claims
    are grouped by source and by statement once."""
    claims = pages.records(data.tables["claims.csv"])
    sources = {s["source_id"]: s for s in pages.records(data.tables["sources.csv"])}
    files = {}
    by_source: dict[str, list[dict]] = {}
    statements: dict[str, list[dict]] = {}
    for claim in claims:
        path = f"claims/{pages.file_name(claim['claim_id'])}"
        citation = citer.of(pages.claim_title(claim), path, claim["claim_id"]) if citer else None
        files[path] = pages.claim_page(claim, sources.get(claim["source_id"]), citation).encode("utf-8")
        by_source.setdefault(claim["source_id"], []).append(claim)
        if claim.get("statement_id", ""):
            statements.setdefault(claim["statement_id"], []).append(claim)
    for source_id, source in sources.items():
        files[f"sources/{pages.file_name(source_id)}"] = pages.source_page(
            source, by_source.get(source_id, [])).encode("utf-8")
    for statement_id, own in statements.items():
        files[f"statements/{pages.file_name(statement_id)}"] = pages.statement_page(
            statement_id, own, sources).encode("utf-8")
    return files


def _previous_manifest(crisis_out: Path, previous: int | None) -> dict:
    if previous is None:
        return {}
    return json.loads((crisis_out / f"v{previous}" / "manifest.json").read_text(encoding="utf-8"))


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def manifest(files: dict[str, bytes], edition: int, when: str, previous: int | None, data_hash: str,
             data_version: str, approvals: list[dict[str, str]] | None = None) -> dict:
    """The edition's manifest: every other file with its SHA-256 and size, and what the edition is, with the
    reviewers who approved the changes since the previous edition (`approvals`: who, at, proposal)."""
    approvals = approvals or []
    return {"edition": edition, "published": when, "previous_edition": previous,
            "software_version": software_version(), "dataset_version": data_version, "data_hash": data_hash,
            "reviewers": reviewers_of(approvals), "approvals": approvals,
            "files": [{"path": p, "sha256": hashlib.sha256(files[p]).hexdigest(), "size": len(files[p])}
                      for p in sorted(files)]}


def edition_files(data: tables.Approved, data_files: dict[str, bytes], edition: int, when: str,
                  previous: int | None, previous_claims: dict[str, dict[str, str]], slug: str = "",
                  base_url: str | None = None, images: bool = True) -> dict[str, bytes]:
    """Every file of an edition but its manifest (`data_files`: tables.data_files of `data`, made once for the
    content hash too; `base_url`: where the publish folder is served, for the citations; `images`: render each
    chart's PNG and SVG)."""
    crisis = data.dataset.crisis
    citer = Citer(crisis.citation, slug or crisis_slug(data.dataset.data_dir), edition, when, base_url)
    files = dict(data_files)
    files.update(html_files(data, citer))
    charts = chart_files(data.dataset, citer, images=images)
    files.update(charts.files)
    changes = changes_between(previous_claims, tables.claims_of(files["data/claims.csv"]), data.retracted_ids)
    files["changes.json"] = json.dumps({"edition": edition, "previous_edition": previous, **changes},
                                       ensure_ascii=False, indent=1).encode("utf-8")
    files["changes.html"] = pages.changes_page(edition, previous, changes).encode("utf-8")
    files["README.md"] = readme(crisis.name, crisis.citation, licence_line(data.dataset.data_dir), edition, when)
    counts = {"claims": len(data.tables["claims.csv"]), "sources": len(data.tables["sources.csv"]),
              "statements": sum(1 for p in files if p.startswith("statements/"))}
    listed = sorted(p for p in files if "/" not in p or p.startswith("data/"))
    files["index.html"] = pages.index_page(crisis.name, edition, when, crisis.citation, counts,
                                           [*listed, "manifest.json"], charts.entries,
                                           charts.problems).encode("utf-8")
    return files


def _replace_latest(crisis_out: Path, edition_folder: Path) -> None:
    """latest/ becomes a copy of `edition_folder`: copied beside it, then renamed into place."""
    staging = Path(tempfile.mkdtemp(prefix=".latest-", dir=crisis_out))
    shutil.copytree(edition_folder, staging / "tree")
    latest, old = crisis_out / "latest", crisis_out / f".old-latest-{os.getpid()}"
    if latest.exists():
        latest.rename(old)
    (staging / "tree").rename(latest)
    shutil.rmtree(staging)
    shutil.rmtree(old, ignore_errors=True)


def publish(data_dir: Path, out: Path, slug: str | None = None, now: datetime | None = None,
            base_url: str | None = None, images: bool = True, history: list[Change] | None = None) -> Published:
    """Publish the approved data of `data_dir` as the next edition under `out`/<slug>/, unless its content
    hash equals the previous edition's. The manifest names the reviewers of the approvals `history` records
    since the previous edition (None: the history.csv of `data_dir`; a PostgreSQL store passes its own).
    DataValidationError when the data breaks a rule (nothing written); ExportUnavailable when `images` is asked
    and Chromium is missing. `base_url`: where `out` is served (for citations; default: crisis.toml's [publish]
    base_url)."""
    data_dir, slug = Path(data_dir), slug or crisis_slug(Path(data_dir))
    crisis_out = Path(out) / slug
    data = tables.approved(data_dir)
    data_files = tables.data_files(data)
    data_hash = tables.content_hash(data_files)
    present = editions(crisis_out)
    previous = present[-1] if present else None
    before = _previous_manifest(crisis_out, previous)
    if previous is not None and before.get("data_hash") == data_hash:
        return Published(edition=previous, folder=crisis_out / f"v{previous}", new=False)
    edition = (previous or 0) + 1
    when = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    previous_claims = (tables.claims_of((crisis_out / f"v{previous}" / "data" / "claims.csv").read_bytes())
                       if previous is not None else {})
    files = edition_files(data, data_files, edition, when, previous, previous_claims, slug=slug,
                          base_url=base_url or data.dataset.crisis.publish.base_url, images=images)
    approvals = approvals_since(read_history(data_dir) if history is None else history, before.get("published"))
    files["manifest.json"] = json.dumps(manifest(files, edition, when, previous, data_hash,
                                                 dataset_version(data_dir), approvals), indent=1).encode("utf-8")
    crisis_out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".v{edition}-", dir=crisis_out))
    _write_tree(staging / "tree", files)
    (staging / "tree").rename(crisis_out / f"v{edition}")  # fails if v<N> appeared meanwhile: never overwritten
    shutil.rmtree(staging)
    _replace_latest(crisis_out, crisis_out / f"v{edition}")
    write_feed(crisis_out, data.dataset.crisis.name)
    return Published(edition=edition, folder=crisis_out / f"v{edition}", new=True)


def write_feed(crisis_out: Path, name: str) -> None:
    """OUT/<slug>/feed.atom: an entry per edition, newest first, with its counts of changes (written atomically)."""
    entries, updated = [], "1970-01-01T00:00:00Z"
    for number in reversed(editions(crisis_out)):
        folder = crisis_out / f"v{number}"
        info = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        changes = json.loads((folder / "changes.json").read_text(encoding="utf-8"))
        summary = ", ".join(f"{len(changes.get(k, []))} {k}" for k in ("added", "edited", "retracted", "removed"))
        updated = max(updated, info["published"])
        entries.append(f"<entry><title>{xml_escape(name)}: edition {number}</title>"
                       f"<id>urn:crisisboard:{xml_escape(crisis_out.name)}:v{number}</id>"
                       f"<updated>{xml_escape(info['published'])}</updated>"
                       f"<link href=\"v{number}/index.html\"/><summary>{xml_escape(summary)}</summary></entry>")
    feed = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>{xml_escape(name)}: editions</title><id>urn:crisisboard:{xml_escape(crisis_out.name)}</id>"
            f"<updated>{updated}</updated><author><name>crisisboard</name></author>"
            f"<link rel=\"self\" href=\"feed.atom\"/>{''.join(entries)}</feed>\n")
    handle, temporary = tempfile.mkstemp(prefix=".feed-", dir=crisis_out)
    with os.fdopen(handle, "wb") as stream:
        stream.write(feed.encode("utf-8"))
    os.replace(temporary, crisis_out / "feed.atom")

"""Saving a reviewed release into data/: validated first, appended atomically, nothing ever lost.

:func:`append_release` holds an exclusive lock on ``DATA_DIR/.crisisboard.lock`` (``flock``: it
excludes other threads *and* other server processes), re-reads the files under the lock, refuses
claims that the dataset already holds (same source and quote), validates the whole dataset as it
would be after the save, keeps a timestamped backup of every file it is about to replace,
replaces each file with ``os.replace`` (atomic on POSIX), and appends what it added to the folder's
history.csv (crisisboard.data.history). Two saves at the same moment are
serialised; the second one sees the first one's rows.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from datetime import date, datetime
from pathlib import Path

from crisisboard.data import schema
from crisisboard.data.crisis import CRISIS_FILE
from crisisboard.data.csvtext import raise_field_limit
from crisisboard.data.history import Change, append_history, now, read_history
from crisisboard.data.private import atomic_write as _atomic_write
from crisisboard.data.private import copy_private, new_dir, open_private
from crisisboard.data.rules import normalise_space
from crisisboard.data.validate import Problem, validate_dataset

LOCK_NAME = ".crisisboard.lock"
BACKUP_DIR = "backups"
LOCK_TIMEOUT_S = 30.0
BACKUPS_KEPT = 20  # per file: a save keeps this many previous versions of sources.csv and of claims.csv


class SaveError(ValueError):
    """Nothing was written; `problems` says why (file, line, field, rule)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = problems or []
        super().__init__(message + ("".join(f"\n{p}" for p in self.problems[:20])))


@dataclass
class SaveReport:
    source_id: str
    source_added: bool
    claim_ids: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # quotes already in the dataset for this source
    backups: list[Path] = field(default_factory=list)
    pruned: int = 0  # older backups deleted, beyond the BACKUPS_KEPT newest of each file

    def sentence(self) -> str:
        parts = [f"{len(self.claim_ids)} claim(s) written to claims.csv for source {self.source_id}"]
        if self.source_added:
            parts.append("the source was added to sources.csv")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate(s) refused (same source and quote already saved)")
        if self.backups:
            parts.append("backups: " + ", ".join(p.name for p in self.backups) +
                         f" (the {BACKUPS_KEPT} newest of each file are kept" +
                         (f"; {self.pruned} older removed)" if self.pruned else ")"))
        return "; ".join(parts) + "."


_HELD = threading.local()  # the lock files this thread holds, and how deep: a change made inside another


class _Lock:
    """An exclusive advisory lock on a file in the data folder, with a timeout.

    Re-entrant within one thread (approving a proposal holds the lock while it makes the change, which takes
    it again); other threads and other processes wait for it (each holds its own open file, and flock
    excludes open files from each other)."""

    def __init__(self, data_dir: Path, timeout: float = LOCK_TIMEOUT_S):
        self.path = data_dir / LOCK_NAME
        self.timeout = timeout

    def __enter__(self) -> "_Lock":
        held = _HELD.__dict__.setdefault("depth", {})
        key = str(self.path.resolve())
        if held.get(key):
            held[key] += 1
            self.handle = None
            return self
        self.handle = os.fdopen(open_private(self.path, os.O_RDWR | os.O_APPEND), "a+")  # closed in __exit__
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held[key] = 1
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.handle.close()
                    raise SaveError(f"another save is holding {self.path} for more than {self.timeout:g} s; "
                                    "try again") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        held = _HELD.depth
        key = str(self.path.resolve())
        held[key] -= 1
        if self.handle is not None:
            del held[key]
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raise_field_limit()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") or "" for column in columns})
    return out.getvalue()


def _normalise(text: str) -> str:
    return normalise_space(text).lower()


def new_claim_id(source_id: str, quote: str, metric: str, taken: set[str]) -> str:
    """A stable id from the source, quote and metric (``c-`` and 10 hex digits), unique in `taken`."""
    digest = hashlib.sha256(f"{source_id}\n{_normalise(quote)}\n{metric}".encode()).hexdigest()
    for width in range(10, 40, 2):
        claim_id = f"c-{digest[:width]}"
        if claim_id not in taken:
            return claim_id
    raise SaveError("could not make a unique claim_id")  # pragma: no cover - 2^-160


def _prune_backups(backup_dir: Path, stem: str, keep: int) -> int:
    """Delete all but the `keep` newest backups of one file; the number deleted."""
    backups = sorted(backup_dir.glob(f"{stem}-*.csv"))  # the stamp sorts in time order
    old = backups[:-keep] if keep else backups
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


def _existing_source(source_rows: list[dict[str, str]], source: dict[str, str]) -> str | None:
    """The id of the source row this release is, or None for a new one.

    Raises
    ------
    SaveError
        When a row with this release's URL or id says another publisher, title or date: the claims would
        end up under another text's attribution.
    """
    url = source.get("url", "").strip()
    for row in source_rows:
        if row["url"].strip() != url and row["source_id"] != source.get("source_id"):
            continue
        differs = [f"{field} {row[field]!r} (yours: {source.get(field, '').strip()!r})"
                   for field in ("publisher", "title", "published")
                   if row[field].strip() != source.get(field, "").strip()]
        if differs:
            what = "URL" if row["url"].strip() == url else "source_id"
            raise SaveError(f"nothing was saved: sources.csv already has this {what} as source {row['source_id']}, "
                            f"with {'; '.join(differs)}. Correct the release's fields to match it, or check the URL")
        return row["source_id"]
    return None


def append_release(data_dir: Path | str, source: dict[str, str], claims: list[dict[str, str]],
                   today: date | None = None, who: str = "local", reason: str = "added from a release") -> SaveReport:
    """Append one source (unless it is already there: same URL, and the same publisher, title and date) and its
    claims, and record each in the folder's history with `who` and `reason` (crisisboard.data.history).

    `claims` rows use the claims.csv columns; `claim_id` and `source_id` are filled in here.

    Raises
    ------
    SaveError
        When the dataset would break a rule, or when the lock cannot be had; nothing is written.
    """
    data_dir = Path(data_dir)
    with _Lock(data_dir):
        source_columns, source_rows = _read_rows(data_dir / "sources.csv")
        claim_columns, claim_rows = _read_rows(data_dir / "claims.csv")
        existing = _existing_source(source_rows, source)
        source_id = existing or source.get("source_id", "")
        source_added = existing is None
        if source_added:
            source_rows.append({**source, "source_id": source_id})
        saved_quotes = {_normalise(row["quote"]) for row in claim_rows if row["source_id"] == source_id}
        taken = {row["claim_id"] for row in claim_rows}
        report = SaveReport(source_id=source_id, source_added=source_added)
        for claim in claims:
            quote = claim.get("quote", "")
            if _normalise(quote) in saved_quotes:
                report.duplicates.append(quote)
                continue
            claim_id = new_claim_id(source_id, quote, claim.get("metric", ""), taken)
            taken.add(claim_id)
            saved_quotes.add(_normalise(quote))
            claim_rows.append({**claim, "claim_id": claim_id, "source_id": source_id})
            report.claim_ids.append(claim_id)
        if not report.claim_ids and not source_added:
            return report
        # an optional column (a destination) a new claim gives is added where it belongs, not dropped
        claim_columns = schema.with_optional(claim_columns, {f for c in claims for f, v in c.items() if v})
        new_texts = {"sources.csv": _csv_text(source_columns, source_rows),
                     "claims.csv": _csv_text(claim_columns, claim_rows)}
        _check(data_dir, new_texts, today)
        _replace_backed_up(data_dir, new_texts, report)
        append_history(data_dir, _added(report, source, claim_rows, who, reason))
        return report


def _check(data_dir: Path, new_texts: dict[str, str], today: date | None) -> None:
    """Validate the whole dataset as it would be with `new_texts` in place of those files; SaveError if it
    breaks a rule (nothing is written then)."""
    with tempfile.TemporaryDirectory() as check_dir:
        for name in (*schema.FILES, CRISIS_FILE):
            if name in new_texts:
                Path(check_dir, name).write_text(new_texts[name], encoding="utf-8")
            elif (data_dir / name).exists():
                shutil.copy2(data_dir / name, Path(check_dir, name))
        problems = validate_dataset(Path(check_dir), today).problems
    if problems:
        raise SaveError("nothing was saved: the data would break these rules", problems)


class ConflictError(SaveError):
    """The claim changed since the editor opened it: nothing was saved."""


IMMUTABLE = ("claim_id", "source_id")  # a claim's identity and its text: a different one is a new claim


def claim_version(data_dir: Path | str, claim_id: str) -> int:
    """How many changes of the claim are recorded: what an editor opened it at (optimistic concurrency)."""
    return len(read_history(Path(data_dir), claim_id))


def check_version(history: list[Change], claim_id: str, expected: int | None) -> None:
    """ConflictError when the claim's history has grown past `expected` (None: no check)."""
    if expected is not None and len(history) != expected:
        last = history[-1] if history else None
        by = f" by {last.who} at {last.at}" if last else ""
        if last is not None and last.action == "approve" and len(history) > 1:  # a change a reviewer approved
            by = f" by {history[-2].who} (approved by {last.who}) at {last.at}"
        raise ConflictError(f"nothing was saved: claim {claim_id} was changed{by} since you opened it. Reopen it "
                            "to see that change, then make yours again")


def change_claim(data_dir: Path | str, claim_id: str, fields: dict[str, str], who: str, reason: str,
                 expected_version: int | None, action: str = "edit", today: date | None = None) -> list[Change]:
    """Set `fields` of one claim (validated like a save, backed up, atomic) and record each field changed with
    `who` and the required `reason`; the changes made (none when every value was already so).

    Raises
    ------
    ConflictError
        When the claim was changed since `expected_version` (claim_version when the editor opened it).
    SaveError
        When there is no reason, no such claim, a field that may not change, or the data would break a rule.
    """
    data_dir = Path(data_dir)
    if not reason.strip():
        raise SaveError("nothing was saved: say why in a line (the reason goes into the claim's history)")
    fixed = sorted(set(fields) & set(IMMUTABLE)) + sorted(
        set(fields) - set(schema.CLAIM_COLUMNS) - set(schema.OPTIONAL_COLUMNS["claims.csv"]))
    if fixed:
        raise SaveError(f"nothing was saved: {', '.join(fixed)} cannot be changed here")
    with _Lock(data_dir):
        check_version(read_history(data_dir, claim_id), claim_id, expected_version)
        columns, rows = _read_rows(data_dir / "claims.csv")
        row = next((r for r in rows if r["claim_id"] == claim_id), None)
        if row is None:
            raise SaveError(f"nothing was saved: claims.csv has no claim {claim_id}")
        at = now()
        changes = [Change(at, who, action if field == "retracted" else "edit", "claims", claim_id, field,
                          row.get(field, "") or "", value, reason)
                   for field, value in fields.items() if (row.get(field, "") or "") != value]
        if not changes:
            return []
        columns = schema.with_optional(columns, set(fields))  # an optional column, first used, where it belongs
        row.update(fields)
        texts = {"claims.csv": _csv_text(columns, rows)}
        _check(data_dir, texts, today)
        _replace_backed_up(data_dir, texts, SaveReport(source_id=row["source_id"], source_added=False))
        append_history(data_dir, changes)
        return changes


def rewrite(data_dir: Path | str, name: str, change: Callable[[str], tuple[str, list[Change]]]) -> list[Change]:
    """Under the folder's lock: read the file `name` ("" when missing), let `change` give its new text and the
    changes that makes, replace the file atomically and append the changes to the history (none: no write)."""
    data_dir = Path(data_dir)
    with _Lock(data_dir):
        path = data_dir / name
        new_text, changes = change(path.read_text(encoding="utf-8") if path.exists() else "")
        if changes:
            _atomic_write(path, new_text)
            append_history(data_dir, changes)
        return changes


def replace_unrecorded(data_dir: Path | str, name: str, change: Callable[[str], str]) -> None:
    """Under the folder's lock: read the file `name` ("" when missing), let `change` give its new text and replace
    the file atomically, without a line in the history (bookkeeping of the app, such as sign-outs, not data)."""
    data_dir = Path(data_dir)
    with _Lock(data_dir):
        path = data_dir / name
        _atomic_write(path, change(path.read_text(encoding="utf-8") if path.exists() else ""))


def retract_claim(data_dir: Path | str, claim_id: str, who: str, reason: str, expected_version: int | None,
                  today: date | None = None) -> list[Change]:
    """Mark the claim retracted today (its row stays; the charts leave it out), with who and why."""
    day = (today or date.today()).isoformat()
    return change_claim(data_dir, claim_id, {"retracted": day}, who, reason, expected_version, "retract", today)


def restore_claim(data_dir: Path | str, claim_id: str, who: str, reason: str, expected_version: int | None,
                  today: date | None = None) -> list[Change]:
    """Undo a retraction, with who and why."""
    return change_claim(data_dir, claim_id, {"retracted": ""}, who, reason, expected_version, "restore", today)


def _replace_backed_up(data_dir: Path, new_texts: dict[str, str], report: SaveReport) -> None:
    """Keep a timestamped backup of each file, replace it atomically, prune the oldest backups."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    backup_dir = data_dir / BACKUP_DIR
    new_dir(backup_dir)
    for name in new_texts:
        backup = backup_dir / f"{Path(name).stem}-{stamp}.csv"
        copy_private(data_dir / name, backup)  # 0600, whatever the original's mode
        report.backups.append(backup)
    for name, text in new_texts.items():
        _atomic_write(data_dir / name, text)
    for name in new_texts:
        report.pruned += _prune_backups(backup_dir, Path(name).stem, BACKUPS_KEPT)


def _added(report: SaveReport, source: dict[str, str], claim_rows: list[dict[str, str]], who: str,
           reason: str) -> list[Change]:
    """The history of a save: the source when it was added, then each claim written."""
    at = now()
    changes = [Change(at, who, "add_source", "sources", report.source_id,
                      new=f"{source.get('publisher', '')}, {source.get('published', '')}", reason=reason)] \
        if report.source_added else []
    written = {row["claim_id"]: row for row in claim_rows if row["claim_id"] in set(report.claim_ids)}
    return changes + [Change(at, who, "add_claim", "claims", claim_id,
                             new=f"{written[claim_id].get('figure_text', '')} ({written[claim_id].get('metric', '')})",
                             reason=reason) for claim_id in report.claim_ids]


folder_lock = _Lock  # for the other writers of a data folder (users, proposals, settings): one lock for all
atomic_write = _atomic_write

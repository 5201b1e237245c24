"""The history of a dataset: every change, with who made it, when, the old and new values and why.

Nothing is overwritten without a trace: adding a source or a claim, editing a field, retracting or restoring
a claim, importing a folder each record one `Change` per row and field. The CSV backend keeps them in
``history.csv`` beside the data, append-only (a line is added and synced under the data folder's lock, never
rewritten); the PostgreSQL backend in its ``history`` table, in the transaction of the change itself. Both
print a claim's history the same way (``python -m crisisboard history CLAIM_ID``).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from crisisboard.data.csvtext import raise_field_limit  # history.csv may hold any field length (a long reason)
from crisisboard.data.private import open_private

HISTORY_FILE = "history.csv"
ACTIONS = ("add_source", "add_claim", "edit", "retract", "restore", "import", "propose", "approve", "reject",
           "withdraw", "setting")


@dataclass(frozen=True)
class Change:
    """One recorded change of one row (and one field of it, for an edit)."""

    at: str  # UTC, ISO 8601 to the second
    who: str  # the verified email of whoever made it, or "local" (local mode), or the command that did
    action: str  # one of ACTIONS
    table: str  # "sources", "claims", "users", "proposals" or "settings"
    row_id: str  # the source_id or claim_id
    field: str = ""  # for an edit: the field changed
    old: str = ""
    new: str = ""
    reason: str = ""

    def line(self) -> str:
        """One line for a terminal: when, who, what, and why."""
        what = {"edit": f"{self.field}: {self.old!r} -> {self.new!r}", "add_claim": f"added ({self.new})",
                "add_source": f"added ({self.new})", "retract": "retracted", "restore": "restored",
                "import": f"imported ({self.new})", "propose": f"proposed ({self.new})",
                "approve": f"approved ({self.new})", "reject": f"rejected ({self.new})",
                "withdraw": f"withdrawn ({self.new})",
                "setting": f"{self.row_id}: {self.old} -> {self.new}"}.get(self.action, self.action)
        return f"{self.at}  {self.who}  {self.table} {self.row_id}  {what}  - {self.reason}"


COLUMNS = tuple(f.name for f in fields(Change))


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def changes_text(changes: list[Change], header: bool) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(asdict(change) for change in changes)
    return out.getvalue()


def append_history(data_dir: Path, changes: list[Change]) -> None:
    """Append `changes` to the folder's history file (created with its header when missing), synced to disk.
    The caller holds the data folder's lock."""
    if not changes:
        return
    path = Path(data_dir) / HISTORY_FILE
    text = changes_text(changes, header=not path.exists() or path.stat().st_size == 0)
    with os.fdopen(open_private(path), "a", encoding="utf-8", newline="") as handle:  # created 0600
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def read_history(data_dir: Path, row_id: str | None = None) -> list[Change]:
    """The folder's changes, oldest first (of one row when `row_id` is given); none when it has no history."""
    path = Path(data_dir) / HISTORY_FILE
    if not path.exists():
        return []
    raise_field_limit()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [Change(**{column: row.get(column) or "" for column in COLUMNS}) for row in csv.DictReader(handle)]
    return [row for row in rows if row_id is None or row.row_id == row_id]

"""A proposal of the review (crisisboard.data.review) and proposals.csv, the CSV store's file of them (issue #30:
one row that cannot be read never hides the others).

Each row of proposals.csv is read on its own: a row with the wrong number of cells, an unknown kind or status,
or a payload that is not the JSON its kind needs, becomes :class:`Unreadable` (named on the Review page with
its line and what is wrong, written back unchanged whenever the file is rewritten, never decided), and every
other row is read. Any field length is read (crisisboard.data.csvtext).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from crisisboard.data.csvtext import raise_field_limit
from crisisboard.data.store import SaveError

PROPOSALS_FILE = "proposals.csv"
SETTINGS_FILE = "settings.csv"
KINDS = ("release", "edit", "retract", "restore")
STATUSES = ("pending", "approved", "rejected", "withdrawn")
TWO_PERSON = "two_person_rule"
PERMISSION_OF = {"release": "propose", "edit": "propose", "retract": "retract", "restore": "retract"}


@dataclass(frozen=True)
class Proposal:
    """A change waiting for review (or decided): what, by whom, when and why, and what became of it."""

    proposal_id: str
    kind: str  # one of KINDS
    target: str  # the claim_id of an edit, retraction or restoration; the release's URL
    summary: str  # one line for the queue
    payload: str  # JSON: what the change is (see propose_*)
    proposed_by: str
    proposed_at: str
    reason: str
    status: str = "pending"
    decided_by: str = ""
    decided_at: str = ""
    decision_reason: str = ""

    @property
    def data(self) -> dict:
        return json.loads(self.payload)

    def line(self) -> str:
        decided = f"; {self.status} by {self.decided_by} at {self.decided_at}: {self.decision_reason}" \
            if self.status != "pending" else ""
        return f"{self.proposal_id}  {self.proposed_at}  {self.proposed_by}  {self.kind}  {self.summary}{decided}"


COLUMNS = tuple(f.name for f in fields(Proposal))


@dataclass(frozen=True)
class Unreadable:
    """A proposal the store cannot read (a row garbled by hand or by a crash): named on the Review page, kept
    as it is in proposals.csv (written back unchanged), never decided; the others are read and drawn."""

    line: int  # where it starts in proposals.csv (1 is the header), or 0 in the database
    proposal_id: str
    problem: str  # what is wrong, in plain words
    row: tuple[str, ...] = ()  # its cells as read, to write back

    def sentence(self) -> str:
        where = f"line {self.line} of {PROPOSALS_FILE}" if self.line else "the database"
        return f"Proposal {self.proposal_id or '(no id)'} ({where}) cannot be read: {self.problem}."


def proposal_problem(proposal: Proposal) -> str:
    """What makes a proposal unusable ("" when nothing): an unknown kind or status, or a payload that is not
    the JSON its kind needs."""
    if not proposal.proposal_id:
        return "it has no id"
    if proposal.kind not in KINDS:
        return f"it is a change of a kind the review does not know ({proposal.kind[:40]!r})"
    if proposal.status not in STATUSES:
        return f"its state ({proposal.status[:40]!r}) is not pending, approved, rejected or withdrawn"
    try:
        data = json.loads(proposal.payload)
    except ValueError:
        return "what it would change is not readable (its payload is not valid JSON)"
    if proposal.kind == "release":
        valid = isinstance(data, dict) and isinstance(data.get("source"), dict) and isinstance(
            data.get("claims"), list) and bool(data["claims"]) and all(isinstance(c, dict) for c in data["claims"])
    else:
        valid = isinstance(data, dict) and isinstance(data.get("claim_id"), str) and isinstance(
            data.get("fields", {}), dict)
    return "" if valid else f"what it would change is not a {proposal.kind} the review knows"


def split_proposals(items: list[Proposal | Unreadable]) -> tuple[list[Proposal], list[Unreadable]]:
    return [p for p in items if isinstance(p, Proposal)], [p for p in items if isinstance(p, Unreadable)]


def checked_proposal(values: list[str], line: int) -> Proposal | Unreadable:
    """One row of proposals.csv as a Proposal, or as Unreadable saying why."""
    if len(values) != len(COLUMNS):
        return Unreadable(line, values[0] if values else "", f"it has {len(values)} cells where a proposal has "
                          f"{len(COLUMNS)}", tuple(values))
    proposal = Proposal(*values)
    problem = proposal_problem(proposal)
    return Unreadable(line, proposal.proposal_id, problem, tuple(values)) if problem else proposal


def parse_proposals_file(text: str) -> list[Proposal | Unreadable]:
    """Every row of proposals.csv, in order: a Proposal, or Unreadable for a row that is not one (any field
    length is read: crisisboard.data.csvtext)."""
    if not text.strip():
        return []
    raise_field_limit()
    reader = csv.reader(io.StringIO(text))
    header, items = next(reader, []), []
    order = [header.index(c) if c in header else None for c in COLUMNS]
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return items
        except csv.Error as error:
            items.append(Unreadable(line, "", f"the file is not readable as CSV from here ({error})"))
            return items
        if None not in order and len(values) == len(header):
            values = [values[i] for i in order]
        items.append(checked_proposal(values, line))


def parse_proposals(text: str) -> list[Proposal]:
    """The readable proposals of proposals.csv (see parse_proposals_file for the others)."""
    return split_proposals(parse_proposals_file(text))[0]


def proposals_text(items: list[Proposal | Unreadable]) -> str:
    """proposals.csv: every proposal, and every unreadable row written back as it was read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    if any(isinstance(p, Unreadable) and not p.row for p in items):
        raise SaveError(f"nothing was saved: {PROPOSALS_FILE} cannot be read past one of its lines, and writing it "
                        "again would lose what follows. An admin must repair the file (a backup is in backups/)")
    writer.writerows(tuple(asdict(p).values()) if isinstance(p, Proposal) else p.row for p in items)
    return out.getvalue()


def read_proposals_file(data_dir: Path) -> list[Proposal | Unreadable]:
    path = Path(data_dir) / PROPOSALS_FILE
    return parse_proposals_file(path.read_text(encoding="utf-8", errors="replace")) if path.exists() else []


def read_proposals(data_dir: Path) -> list[Proposal]:
    return split_proposals(read_proposals_file(data_dir))[0]

"""A data folder's files as rows, and back, byte for byte: each CSV file's header, line ending and byte-order mark
are kept with its rows, so that a store holding the rows (PostgreSQL) writes the very files it was given."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from crisisboard.data import schema
from crisisboard.data.crisis import CRISIS_FILE
from crisisboard.data.private import new_dir, write_private

BOM = "\ufeff"


@dataclass(frozen=True)
class TableFile:
    """One CSV file of the dataset: how it is written, and its rows (each a dict of the header's columns)."""

    name: str  # e.g. "claims.csv"
    header: tuple[str, ...]
    line_end: str
    bom: bool
    rows: tuple[dict[str, str], ...]

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.line_end)
        writer.writerow(self.header)
        writer.writerows([row.get(column, "") for column in self.header] for row in self.rows)
        return (BOM if self.bom else "") + out.getvalue()


def read_table(path: Path) -> TableFile:
    raw = path.read_bytes().decode("utf-8")
    bom = raw.startswith(BOM)
    text = raw[1:] if bom else raw
    first = text.split("\n", 1)[0]
    line_end = "\r\n" if first.endswith("\r") else "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(next(reader, ()))
    rows = tuple(dict(zip(header, values)) for values in reader)
    return TableFile(path.name, header, line_end, bom, rows)


def read_folder(folder: Path) -> tuple[dict[str, TableFile], str]:
    """The four CSV files of `folder` and the text of its crisis.toml."""
    folder = Path(folder)
    tables = {name: read_table(folder / name) for name in schema.FILES}
    return tables, (folder / CRISIS_FILE).read_bytes().decode("utf-8")


def write_folder(folder: Path, tables: dict[str, TableFile], crisis_text: str) -> None:
    """Write the files into `folder` (created 0700 when missing), each as `read_folder` found it (created 0600:
    crisisboard.data.private)."""
    folder = new_dir(folder)
    for table in tables.values():
        write_private(folder / table.name, table.text())
    write_private(folder / CRISIS_FILE, crisis_text)


def not_reproduced(folder: Path) -> list[str]:
    """The files of `folder` that rows cannot reproduce byte for byte (quoted where no quote is needed, say):
    an export would write them in the canonical form."""
    tables, _ = read_folder(folder)
    return [name for name, table in tables.items() if table.text().encode("utf-8") != (Path(folder) / name).read_bytes()]

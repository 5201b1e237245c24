"""Read the CSV files of a dataset as text and report every problem by file, line and field.

Nothing here modifies a file. Reading is strict: invalid UTF-8, unbalanced quotes, rows of the
wrong width and missing columns are reported before the schemas of :mod:`crisisboard.data.schema`
run, so that a problem is always named in the user's terms::

    claims.csv:7: low: must be <= high (low=500, high=60)

The line number counts the header as line 1 and is the line where the record starts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.csv as arrow_csv

from crisisboard.data import rules, schema
from crisisboard.data.csvtext import raise_field_limit
from crisisboard.data.crisis import CRISIS_FILE, Crisis, CrisisError, read_crisis

MAX_VALUE_SHOWN = 60
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # what dtype=str gives: pandas' default text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as the input allows."""

    file: str
    line: int
    field: str
    message: str
    values: str = ""

    def __str__(self) -> str:
        tail = f" ({self.values})" if self.values else ""
        return f"{self.file}:{self.line}: {self.field}: {self.message}{tail}"


@dataclass
class RawTable:
    """A CSV file read as text: every cell a string, `lines[i]` the line where row i starts."""

    name: str
    frame: pd.DataFrame
    lines: list[int]


@dataclass
class ValidationResult:
    """The raw tables that could be read, and every problem found."""

    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    crisis: Crisis | None = None  # the crisis definition, when crisis.toml could be read

    @property
    def ok(self) -> bool:
        return not self.problems


def show(value: object) -> str:
    """A cell value as it appears in a message: quoted, cut to a readable length."""
    text = str(value)
    if len(text) > MAX_VALUE_SHOWN:
        text = text[: MAX_VALUE_SHOWN - 1] + "…"
    return repr(text)


def _decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Text of the file without BOM, or the lines that are not valid UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    header: list[str] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        text = line.decode("utf-8", errors="replace")
        if number == 1:
            header = next(csv.reader([text]), [])
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            cells = next(csv.reader([text]), [])
            where = next((header[i] if i < len(header) else f"column {i + 1}"
                          for i, cell in enumerate(cells) if "\ufffd" in cell), "-")
            problems.append(Problem(name, number, where, "is not valid UTF-8; save the file as UTF-8",
                                    f"byte 0x{line[err.start]:02x} at position {err.start + 1}"))
    return None, problems


def read_table(path: Path, columns: tuple[str, ...]) -> tuple[RawTable | None, list[Problem]]:
    """Read one CSV file as text. Returns the table (None if it cannot be read) and its problems."""
    name = path.name
    if not path.is_file():
        return None, [Problem(name, 0, "-", "file is missing", str(path))]
    text, problems = _decode(name, path.read_bytes())
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(name, 1, "-", "file is empty; it needs a header row", ", ".join(columns))]

    # A first pass with Python's csv module (strict) finds where each record starts, bad quoting, blank rows
    # and rows of the wrong width, without keeping any cell; Arrow then reads the cells (see _arrow_cells).
    raise_field_limit()  # a long field is a rule's to name (its length), not an unreadable file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    body_lines: list[int] = []
    ragged: list[Problem] = []
    blank_cells_rows = False  # rows of empty cells (",,,"), which Arrow would keep as records
    start = 1
    try:
        for row in reader:
            if _has_text(row):
                if header is None:
                    header = row
                elif len(row) != len(header):
                    ragged.append(Problem(name, start, "-", f"has {len(row)} fields but the header has {len(header)}"))
                else:
                    body_lines.append(start)
            elif row:
                blank_cells_rows = True
            start = reader.line_num + 1
    except csv.Error as err:
        return None, [Problem(name, start, "-", "is not valid CSV (check for an unbalanced quote)", str(err))]
    if header is None:  # only blank rows
        return None, [Problem(name, 1, "-", "file is empty; it needs a header row", ", ".join(columns))]
    raw_header, header = header, [cell.strip() for cell in header]

    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(name, 1, column, "column appears twice in the header"))
        seen.add(column)
    for column in columns:
        if column not in seen:
            problems.append(Problem(name, 1, column, "required column is missing"))
    problems.extend(ragged)
    if problems:
        return None, problems
    cells = None
    if raw_header == header and not blank_cells_rows:
        cells = _arrow_cells(text, header, len(body_lines))
    if cells is None:
        cells = _python_cells(text, len(header))
    frame = pd.DataFrame({column: pd.Series(values, dtype=TEXT) for column, values in zip(header, cells)})
    return RawTable(name, frame, body_lines), []


def _has_text(row: list[str]) -> bool:
    """A record, not a blank row (no cells, or cells of spaces only, which every reading skips)."""
    return bool(row) and bool(row[0].strip() or any(cell.strip() for cell in row))


def _arrow_cells(text: str, header: list[str], records: int) -> list | None:
    """The cells of a CSV file the first pass found well formed, read by Arrow's CSV reader (every cell as
    text, nothing read as missing): a column of a million cells becomes Arrow text without a Python string
    per cell. None when Arrow does not read exactly `records` records under `header` (the caller then
    reads the cells with Python's csv module)."""
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types={column: pyarrow.large_string() for column in header}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[], check_utf8=True))
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, ValueError):
        return None
    if table.column_names != header or table.num_rows != records:
        return None
    return [table.column(column) for column in header]


def _python_cells(text: str, width: int) -> list:
    """The cells of a file the first pass read, by Python's csv module: the records it kept (not blank,
    of the header's width), one list per column, as Arrow text."""
    raise_field_limit()  # a long field is a rule's to name (its length), not an unreadable file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    cells: list[list[str]] = [[] for _ in range(width)]
    rows = (row for row in reader if _has_text(row))
    next(rows)  # the header
    for row in rows:
        if len(row) == width:
            for column, cell in zip(cells, row):
                column.append(cell)
    return [pyarrow.array(values, type=pyarrow.large_string()) for values in cells]


def _line(table: RawTable, index: object) -> int:
    if isinstance(index, (int, float)) and not pd.isna(index) and 0 <= int(index) < len(table.lines):
        return table.lines[int(index)]
    return 1


def _problems_from_schema_errors(table: RawTable, errors: pa.errors.SchemaErrors) -> list[Problem]:
    rules_by_message = {rule.message: rule for rule in rules.ROW_RULES.values()}
    problems: set[Problem] = set()
    duplicates: dict[tuple[str, str], set[int]] = {}
    for case in errors.failure_cases.itertuples(index=False):
        column, check, value, index = str(case.column), str(case.check), case.failure_case, case.index
        line = _line(table, index)
        if check == "field_uniqueness":
            duplicates.setdefault((column, str(value)), set()).add(line)
        elif check in rules_by_message:
            rule = rules_by_message[check]
            if index is None or pd.isna(index):
                problems.add(Problem(table.name, 1, rule.field, rule.message, "the rule could not be evaluated"))
                continue
            row = table.frame.loc[int(index)]
            values = ", ".join(f"{name}={show(row.get(name, ''))}" for name in rule.fields_shown)
            problems.add(Problem(table.name, line, rule.field, rule.message, values))
        else:
            problems.add(Problem(table.name, line, column, check, f"{column}={show(value)}"))
    for (column, value), lines in duplicates.items():
        for line in lines:
            others = ", ".join(str(n) for n in sorted(lines - {line}))
            problems.add(Problem(table.name, line, column, "must be unique",
                                 f"{column}={show(value)}, also on line {others}"))
    return sorted(problems)


def validate_table(table: RawTable, ctx: rules.Context) -> list[Problem]:
    """Run the file's schema over its raw table."""
    file_schema = rules.SCHEMAS[table.name](ctx)
    try:
        file_schema.validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems_from_schema_errors(table, errors)
    return []


def validate_dataset(data_dir: Path | str, today: date | None = None) -> ValidationResult:
    """Read and check every file of a dataset; never raises for bad data."""
    data_dir = Path(data_dir)
    today = today or date.today()
    result = ValidationResult()
    if not data_dir.is_dir():
        result.problems.append(Problem(str(data_dir), 0, "-", "data folder does not exist"))
        return result
    try:
        result.crisis = read_crisis(data_dir)
    except CrisisError as error:
        result.problems.extend(Problem(CRISIS_FILE, line, field, message) for line, field, message in error.problems)
    for name, columns in schema.FILES.items():
        table, problems = read_table(data_dir / name, columns)
        result.problems.extend(problems)
        if table is not None:
            result.tables[name] = table

    def ids(name: str, column: str) -> frozenset[str] | None:
        table = result.tables.get(name)
        return frozenset(table.frame[column]) if table is not None else None

    ctx = rules.Context(today=today, source_ids=ids("sources.csv", "source_id"),
                         place_ids=ids("places.csv", "place_id"),
                         **({"earliest": result.crisis.earliest_date, "countries": tuple(result.crisis.geo.iso3),
                             "groups": result.crisis.groups} if result.crisis else {}))
    for table in result.tables.values():
        result.problems.extend(validate_table(table, ctx))
    if result.crisis is not None:
        result.problems.extend(_route_problems(data_dir, result.crisis, ctx))
    result.problems.sort()
    return result


def _route_problems(data_dir: Path, crisis: Crisis, ctx: rules.Context) -> list[Problem]:
    """Each route of crisis.toml must join places of places.csv and cite sources of sources.csv."""
    text = (data_dir / CRISIS_FILE).read_text(encoding="utf-8").splitlines()
    starts = [number for number, line in enumerate(text, 1) if line.strip() == "[[routes]]"]
    problems = []
    for i, route in enumerate(crisis.routes):
        line = starts[i] if i < len(starts) else 0
        for field, place in (("from", route.start), ("to", route.end)):
            if ctx.place_ids is not None and place not in ctx.place_ids:
                problems.append(Problem(CRISIS_FILE, line, f"routes.{field}",
                                        f"must be a place_id of places.csv ({field}={place!r})"))
        for source in route.source_ids:
            if ctx.source_ids is not None and source not in ctx.source_ids:
                problems.append(Problem(CRISIS_FILE, line, "routes.source_ids",
                                        f"must be source_ids of sources.csv ({source!r})"))
    return problems

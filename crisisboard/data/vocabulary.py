"""Moving a data folder to the general vocabulary (issue #31): metrics that named one crisis's country are
replaced by general ones that carry the country in a column of their own.

``python -m crisisboard migrate-vocabulary DIR`` rewrites DIR/claims.csv atomically, under the folder's lock:
each claim of a metric named after the country people crossed into, ``refugees_<country>``, becomes
``refugees_crossed`` with that country's ISO 3166-1 alpha-2 code as ``destination`` (the country is looked up by
its exact name in the pycountry package, never guessed; the column is added, right after ``notes``, when the
file lacks it). Every other cell, the line endings and the byte-order mark stay
as they were. The result is validated before it replaces the file, and the count of claims per metric before
and after is compared: a total that differs (a claim lost or gained) refuses the rewrite.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crisisboard.data import schema
from crisisboard.data.countries import named_crossing
from crisisboard.data.folder import TableFile, read_table
from crisisboard.data.private import atomic_write
from crisisboard.data.store import SaveError, _check, _Lock



def renamed(metric: str) -> tuple[str, str] | None:
    """(the general metric, the destination its claims take) for an old metric; None for a metric of today."""
    if metric in schema.METRICS:
        return None
    country = named_crossing(metric)
    return (schema.CROSSED, country) if country else None


class MigrationError(ValueError):
    """Nothing was written; the message says why."""


@dataclass
class MigrationReport:
    before: Counter = field(default_factory=Counter)  # claims per metric, as the file was
    after: Counter = field(default_factory=Counter)  # claims per metric, as it is now
    changed: int = 0  # claims rewritten

    def lines(self) -> list[str]:
        """One line per metric: its count before, its count after (with the metric it became)."""
        out = []
        for old in sorted(self.before):
            new = (renamed(old) or (old, ""))[0]
            arrow = f" -> {new}" if new != old else ""
            out.append(f"{old}{arrow}: {self.before[old]} before, {self.after[new]} after")
        for new in sorted(set(self.after) - {(renamed(m) or (m, ""))[0] for m in self.before}):
            out.append(f"{new}: 0 before, {self.after[new]} after")
        out.append(f"all metrics: {sum(self.before.values())} before, {sum(self.after.values())} after; "
                   f"{self.changed} claim(s) rewritten")
        return out


def migrate_rows(table: TableFile) -> tuple[TableFile, MigrationReport]:
    """The claims table in the general vocabulary, and its counts per metric; MigrationError when a total
    would differ or a renamed claim already names another destination."""
    report = MigrationReport(before=Counter(row.get("metric", "") for row in table.rows))
    rows = []
    for number, row in enumerate(table.rows, start=2):
        metric = row.get("metric", "")
        if metric not in schema.METRICS and not renamed(metric):
            raise MigrationError(f"claims.csv:{number}: metric: must be one of {', '.join(schema.METRICS)}, or "
                                 f"refugees_<country> naming a country exactly ({metric!r}); nothing was written")
        if renamed(metric):
            new, destination = renamed(metric)
            given = row.get("destination", "")
            if given and given != destination:
                raise MigrationError(f"claims.csv:{number}: destination: is {given!r}, but metric {metric} means "
                                     f"{destination}; nothing was written")
            row = {**row, "metric": new, "destination": destination}
            report.changed += 1
        rows.append(row)
    used = {"destination"} if report.changed else set()
    header = tuple(schema.with_optional(table.header, used))
    report.after = Counter(row.get("metric", "") for row in rows)
    expected = Counter()
    for metric, count in report.before.items():
        expected[(renamed(metric) or (metric, ""))[0]] += count
    if expected != report.after:
        raise MigrationError("the counts per metric would differ (" + "; ".join(report.lines()) + "); nothing was "
                             "written")
    return TableFile(table.name, header, table.line_end, table.bom, tuple(rows)), report


def migrate_vocabulary(data_dir: Path | str) -> MigrationReport:
    """Rewrite DATA_DIR/claims.csv in the general vocabulary (see the module's docstring); the counts per metric.

    Raises
    ------
    MigrationError
        When the counts would differ, or when the migrated data would break a rule (the problems named by
        file, line and field); nothing is written then.
    """
    data_dir = Path(data_dir)
    path = data_dir / "claims.csv"
    if not path.is_file():
        raise MigrationError(f"{path}: file is missing")
    with _Lock(data_dir):
        new, report = migrate_rows(read_table(path))
        if report.changed:
            try:
                _check(data_dir, {"claims.csv": new.text()}, None)
            except SaveError as error:
                raise MigrationError(str(error).replace("nothing was saved", "nothing was written")) from None
            atomic_write(path, new.text())
    return report

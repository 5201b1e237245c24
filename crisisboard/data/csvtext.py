"""Reading the CSV files the app writes itself, whatever the length of a field (issue #30).

Python's csv module refuses a field longer than ``csv.field_size_limit()`` (131,072 characters by default)
with ``_csv.Error: field larger than field limit``. One release of 250 figures kept as a proposal's JSON, or
a long reason in the history, is such a field: before this module, one of them made proposals.csv or
history.csv unreadable, and with it the Review and Changes pages for everyone.

Importing this module raises the limit for the process to :data:`FIELD_LIMIT`, far above any field the app
accepts (crisisboard.data.limits bounds every field it writes) and far below what would exhaust memory: a
file written by hand with a larger field is still reported as an error, never a crash of the reader. Every
reader of the store's own files (proposals.csv, history.csv, users.csv, settings.csv, the data files) goes
through :func:`dict_rows` or imports this module first.
"""

from __future__ import annotations

import csv
import io
from typing import Iterator

# 64 MiB of text: 30 times the largest proposal the app accepts (limits.MAX_PROPOSAL_CHARS), and a bound, so
# that a file crafted by hand with one enormous field fails as a CSV error instead of exhausting memory
FIELD_LIMIT = 64 * 1024 * 1024


def raise_field_limit(limit: int = FIELD_LIMIT) -> int:
    """Set the csv module's field limit to at least `limit` (never lower it); the limit now in force."""
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    return csv.field_size_limit()


raise_field_limit()


def dict_rows(text: str) -> Iterator[dict[str, str]]:
    """The rows of a CSV text with a header line, as dicts (csv.DictReader), with the field limit raised."""
    raise_field_limit()
    return csv.DictReader(io.StringIO(text))

"""Shared fixtures: the hand-written dataset in tests/fixtures/valid and broken copies of it."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# figures' bulk traces are validated by Plotly in tests (the app skips it for speed): crisisboard.charts.style
os.environ["CRISISBOARD_VALIDATE_FIGURES"] = "1"
# the columnar cache of validated data goes to a folder of this test run, not the user's ~/.cache
os.environ["CRISISBOARD_CACHE"] = tempfile.mkdtemp(prefix="crisisboard-test-cache-")

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A fresh copy of the valid fixture dataset that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def set_cell(data_dir: Path, file: str, row_index: int, column: str, value: str) -> None:
    """Change one cell (row_index counts data rows from 0) and rewrite the file as CSV."""
    path = data_dir / file
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fieldnames = list(rows[0].keys())
    rows[row_index][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def drop_column(data_dir: Path, file: str, column: str) -> None:
    path = data_dir / file
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = [name for name in rows[0] if name != column]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def run_async(coroutine):  # noqa: ANN001, ANN201
    """asyncio.run in a thread of its own: pytest-playwright's sync API keeps an event loop running in
    the main thread for the session, where asyncio.run refuses to start another."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()



def shown(markdown: str) -> str:
    """Markdown made by crisisboard.claims.markup as a reader sees its text: escapes and word joiners removed."""
    from crisisboard.claims.markup import as_read

    return as_read(markdown)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's browser: Debian's Chromium, never a downloaded one, with no background network."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync"]}

"""Shared fixtures: the hand-written dataset in tests/fixtures/valid and broken copies of it."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# figures' bulk traces are validated by Plotly in tests (the app skips it for speed): crisisboard.charts.style
os.environ["CRISISBOARD_VALIDATE_FIGURES"] = "1"
# the columnar cache of validated data goes to a folder of this test run, not the user's ~/.cache
os.environ["CRISISBOARD_CACHE"] = tempfile.mkdtemp(prefix="crisisboard-test-cache-")
# the app serves the default data folder only, whatever crises/ the checkout holds: tests of several crises
# point CRISISBOARD_CRISES at their own folder (tests/fixtures/crises)
os.environ["CRISISBOARD_CRISES"] = tempfile.mkdtemp(prefix="crisisboard-test-no-crises-")

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def launched_as_make_run() -> Iterator[None]:
    """The app run inside a test's own process (AppTest) as `make run` launches it: local mode asked for
    (crisisboard.app.launch). Tests of other launches set their own; servers the tests start are launched by
    `python -m crisisboard serve` with their own flags."""
    from crisisboard.app.guard import Door
    from crisisboard.app.launch import Launch, current_launch, set_launch

    before = current_launch()
    set_launch(Launch(local=True, door=Door.for_launch((), 8501, local=True)))
    yield
    set_launch(before)


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


def _filled(template: str, point: dict) -> str:
    """A hovertemplate as Plotly fills it for one point: %{customdata[i]}, %{hovertext}, %{text}, %{x}, %{y}."""
    import re

    def value(match: "re.Match") -> str:
        name, index = match.group(1), match.group(2)
        found = point.get(name)
        if index is not None:
            found = found[int(index)] if isinstance(found, (list, tuple)) and int(index) < len(found) else None
        return "" if found is None else str(found)

    return re.sub(r"%\{(\w+)(?:\[(\d+)\])?(?::[^}]*)?\}", value, template).replace("<extra></extra>", "")


def figure_texts(fig) -> list[str]:  # noqa: ANN001 - a Plotly figure
    """Every text a reader can see in `fig`: each point's hover (its template filled in, or its hovertext), point
    labels, trace names, annotations, titles and tick labels, for scanning (written apart from the builders)."""
    out: list[str] = []
    for trace in fig.data:
        n = len(trace.x) if getattr(trace, "x", None) is not None else len(getattr(trace, "lat", None) or ())
        columns = {name: getattr(trace, name, None) for name in ("customdata", "hovertext", "text")}
        columns = {name: (values.tolist() if hasattr(values, "tolist") else values) for name, values in columns.items()}
        template = getattr(trace, "hovertemplate", None)
        for i in range(n):
            point = {name: (values[i] if isinstance(values, (list, tuple)) and i < len(values) else values)
                     for name, values in columns.items() if values is not None}
            if isinstance(template, str) and getattr(trace, "hoverinfo", None) != "skip":
                out.append(_filled(template, point))
            elif point.get("hovertext"):
                out.append(str(point["hovertext"]))
            if point.get("text") and not isinstance(columns["text"], str):
                out.append(str(point["text"]))
        out += [str(trace.name)] if trace.name else []
    layout = fig.layout
    out += [a.text for a in layout.annotations if a.text]
    out += [layout.title.text] if layout.title.text else []
    for axis in [key for key in layout.to_plotly_json() if key.startswith(("xaxis", "yaxis"))]:
        ax = layout[axis]
        out += [ax.title.text] if ax.title and ax.title.text else []
        out += [str(t) for t in (ax.ticktext or ())]
    return out

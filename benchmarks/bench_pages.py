"""Time from a filter change to the page's updated output, through Streamlit's AppTest (the whole
page script: frame, filters, figures, tables, footer; no browser).

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_pages.py DATA_DIR [--changes 4]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

PROJECT = Path(__file__).resolve().parent.parent
PAGES = ("pages/overview.py", "pages/timeline.py", "pages/who_says_what.py", "pages/map.py", "pages/sources.py")
# the tier choices timed on each page; each page first leaves out a different claimant type (untimed),
# so every timed change is a filter combination not seen before: nothing comes from a cache
TIER_CHANGES = (["high"], ["high", "medium"], ["medium"], ["medium", "low"], ["low"], ["high", "low"])


def measure_pages(data: Path, changes: int = 4) -> tuple[float, dict[str, list[float]]]:
    """(seconds of the first run, {page: seconds of each timed filter change})."""
    os.environ["CRISISBOARD_DATA"] = str(Path(data).resolve())
    os.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=900)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    results: dict[str, list[float]] = {}
    for number, page in enumerate(PAGES):
        at.switch_page(page).run()
        at.sidebar.multiselect(key="filter_tier").set_value([]).run()
        claimants = at.sidebar.multiselect(key="filter_claimant")
        claimants.set_value([c for i, c in enumerate(claimants.options) if i != number % len(claimants.options)])
        at.run()
        times = []
        for tiers in TIER_CHANGES[:changes]:
            widget = at.sidebar.multiselect(key="filter_tier")
            start = time.perf_counter()
            widget.set_value(tiers).run()
            times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        results[page] = times
    return first, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("--changes", type=int, default=4)
    args = parser.parse_args()
    first, results = measure_pages(Path(args.data), args.changes)
    print(f"first run (load, overview): {first:.2f} s")
    print(f"{'page':<26} {'median s':>9} {'max s':>7}  each")
    for page, times in results.items():
        each = " ".join(f"{t:.2f}" for t in times)
        print(f"{page:<26} {statistics.median(times):>9.2f} {max(times):>7.2f}  {each}")


if __name__ == "__main__":
    main()

"""How crisisboard behaves as its data grows (issue #8): at each size of synthetic data,

- load and validate the CSV files (cold), and load the validated data back from the columnar cache;
- time from a filter change to the updated page, for each page, through Streamlit's AppTest (the whole
  page script, server side; each change a filter combination not seen before, so nothing is cached);
- peak memory of that process;
- a real server: start to healthy (data from the columnar cache), then Chromium: navigation to the
  first chart drawn (cold: the first visitor of a fresh server);
- memory the server holds, and memory added per extra session (benchmarks/loadtest.py opens N
  headless sessions and changes filters in each);
- the growth from one size to the next (×), which should not exceed the growth of the data.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,100000,1000000]
       [--out /tmp/crisisboard-scale] [--sessions 10] [--no-server]
Prints figures; asserts nothing. Synthetic data comes from `python -m crisisboard synth` (written once).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT, PROJECT / "benchmarks", PROJECT / "deploy"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

PAGE_LABELS = {"pages/overview.py": "overview", "pages/timeline.py": "timeline",
               "pages/who_says_what.py": "who-says-what", "pages/map.py": "map", "pages/sources.py": "sources"}


def measure_in_process(folder: Path, cache: Path, changes: int) -> dict:
    """Run in a fresh process per size, so that its peak memory is this size's."""
    os.environ["CRISISBOARD_CACHE"] = str(cache)
    from bench_pages import measure_pages

    from crisisboard.data.load import load_dataset

    result: dict = {}
    start = time.perf_counter()
    dataset = load_dataset(folder, cache=False)
    result["load and validate CSV"] = time.perf_counter() - start
    load_dataset(folder)  # writes the columnar cache
    start = time.perf_counter()
    load_dataset(folder)
    result["load from columnar cache"] = time.perf_counter() - start
    del dataset
    first, pages = measure_pages(folder, changes)
    result["first page run (AppTest)"] = first
    for page, times in pages.items():
        result[f"filter change: {PAGE_LABELS[page]}"] = statistics.median(times)
        result[f"filter change: {PAGE_LABELS[page]} (max)"] = max(times)
    result["peak memory, MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def browser_first_chart(url: str) -> float:
    """Seconds from navigation to the first chart drawn, in Debian's Chromium (headless)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                   "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=600_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


WS_PAGES = {"": "overview", "timeline": "timeline", "who_says_what": "who-says-what", "map": "map",
            "sources": "sources"}


async def pages_over_websocket(url: str, changes: int) -> dict[str, list[float]]:
    """On a running server, one session per page: the time from sending a filter change to the end of the
    script run it causes (benchmarks/wsclient.py), each change a filter combination not seen before."""
    from bench_pages import TIER_CHANGES
    from wsclient import StreamlitSession

    from crisisboard.data.tiers import TIER_LABELS

    results: dict[str, list[float]] = {}
    for number, page in enumerate(WS_PAGES):
        async with StreamlitSession(url, page, timeout=600) as session:
            await session.open()
            await session.set_widget("filter_tier", [])
            claimants = session.last.widget_by_key("filter_claimant")
            await session.set_widget("filter_claimant", [c for i, c in enumerate(claimants.options)
                                                         if i != (number + 2) % len(claimants.options)])
            times = []
            for tiers in TIER_CHANGES[:changes]:
                result, seconds = await session.set_widget("filter_tier", [TIER_LABELS[t] for t in tiers])
                if result.exceptions:
                    raise RuntimeError(f"{page}: {result.exceptions[0]}")
                times.append(seconds)
            results[WS_PAGES[page]] = times
    return results


def measure_server(folder: Path, cache: Path, sessions: int, changes: int = 3) -> dict:
    from loadtest import Checker, LocalServer, rss_mb, run_load

    from crisisboard.data.load import load_dataset

    os.environ["CRISISBOARD_CACHE"] = str(cache)
    result: dict = {}
    start = time.perf_counter()
    with LocalServer(folder) as server:
        result["server start to healthy"] = time.perf_counter() - start
        result["browser: navigation to first chart (cold)"] = browser_first_chart(server.url + "/")
        result["browser: navigation to first chart (warm)"] = browser_first_chart(server.url + "/")
        result["server memory after first visit, MB"] = rss_mb(server.pids)
        for page, times in asyncio.run(pages_over_websocket(server.url, changes)).items():
            result[f"filter change over websocket: {page}"] = statistics.median(times)
            result[f"filter change over websocket: {page} (max)"] = max(times)
        report = asyncio.run(run_load(server.url, Checker(load_dataset(folder)), sessions=sessions, changes=3,
                                      max_seconds=900, pids=server.pids, timeout=600))
        result[f"server memory, {sessions} sessions open, MB"] = report["rss_all_open_mb"]
        result["memory added per session, MB"] = report["mb_per_session"]
        result[f"load: filter change p50 ({sessions} sessions)"] = report["latency_p50"]
        result[f"load: filter change p95 ({sessions} sessions)"] = report["latency_p95"]
        result["load: errors"] = report["errors"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--out", default="/tmp/crisisboard-scale")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--changes", type=int, default=3, help="timed filter changes per page")
    parser.add_argument("--no-server", action="store_true", help="skip the real server, browser and sessions")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one size, in a child process
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_in_process(Path(args.measure), Path(args.cache), args.changes)))
        return
    from crisisboard.data.synth import write_synthetic

    previous: dict[str, float] = {}
    previous_size = None
    print(f"{'claims':>10} {'step':<48} {'value':>9} {'growth':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = Path(args.out) / str(size)
        if not (folder / "claims.csv").exists():
            write_synthetic(folder, size)
        cache = Path(tempfile.mkdtemp(prefix=f"crisisboard-bench-cache-{size}-"))
        child = subprocess.run([sys.executable, __file__, "--measure", str(folder), "--cache", str(cache),
                                "--changes", str(args.changes)], capture_output=True, text=True, cwd=PROJECT)
        if child.returncode:
            print(child.stderr[-3000:])
            raise SystemExit(f"measuring {size} claims failed")
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        if not args.no_server:
            figures.update(measure_server(folder, cache, args.sessions, args.changes))
        for step, value in figures.items():
            growth = ""
            if step in previous and previous[step] and isinstance(value, float):
                growth = f"×{value / previous[step]:.1f}"
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            print(f"{size:>10,} {step:<48} {shown:>9} {growth:>8}", flush=True)
        if previous_size:
            print(f"{size:>10,} {'(data grew)':<48} {'':>9} {'×' + format(size / previous_size, '.0f'):>8}")
        previous, previous_size = figures, size


if __name__ == "__main__":
    main()

"""The static edition against the app (issue #32): what publishing costs and what a reader gets.

- publish time (`python -m crisisboard publish`, a fresh process, as `make publish` runs it) of the shipped data
  (409 claims) and of synthetic data (100,000 claims by default, `python -m crisisboard synth`), a second publish
  with no change, and precompressing the text for nginx (deploy/static.py --precompress);
- each edition's largest page and largest data file (bytes), its file count and size;
- in Debian's Chromium (headless): navigation to the first chart drawn (`#chart .main-svg`) of the edition's first
  chart page (charts.json) and of its largest chart page, served by nginx (deploy/static.py), cold (new browser)
  and warm (same browser, cache),
  against the app's first chart in the same run (`python -m crisisboard serve --local` on the same data, the
  measurement of benchmarks/bench_scale.py); an edition with no chart pages is timed to its first heading instead;
- readers: 50 and 500 concurrent readers fetching that page and every asset Chromium loaded for it, over
  keep-alive connections with gzip (benchmarks/static_readers.py): requests/s and p95;
- with --app-sessions N, the app's N-session load test (benchmarks/loadtest.py) in the same run; without it, the
  last recorded figure is cited from docs/performance.md.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_publish.py [--big 100000] [--big-timeout 900]
       [--readers 50,500] [--seconds 10] [--app-sessions 50] [--out /tmp/crisisboard-publish-bench]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT, PROJECT / "benchmarks", PROJECT / "deploy"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
CHART = "#chart .main-svg"
RECORDED_APP_50 = ("docs/performance.md (shipped data, 50 sessions x 10 filter changes, 1 process): p50 7.5 s, "
                   "p95 22.0 s, 5.86 changes/s direct; through nginx to 2 processes p95 8.8 s, 11.69 changes/s")


def timed_publish(data_dir: Path, out: Path, timeout: float) -> tuple[float | None, str]:
    """(seconds, its output) of one `python -m crisisboard publish` in a fresh process; None if it ran out of time."""
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "crisisboard", "publish", "--out", str(out), "--data-dir",
                               str(data_dir)], cwd=PROJECT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"did not finish within {timeout:.0f} s"
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"publish {data_dir} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout.strip()


def edition_sizes(edition: Path) -> dict:
    """The largest page (.html) and the largest data file (anything else but the shared assets/ and .gz) of an
    edition, with their sizes in bytes, and the edition's file count and total size (without .gz)."""
    files = [p for p in edition.rglob("*") if p.is_file() and p.suffix != ".gz"]
    pages = [p for p in files if p.suffix == ".html"]
    data = [p for p in files if p.suffix != ".html" and "assets" not in p.relative_to(edition).parts]
    largest_page = max(pages, key=lambda p: p.stat().st_size)
    largest_data = max(data, key=lambda p: p.stat().st_size)
    return {"files": len(files), "total bytes": sum(p.stat().st_size for p in files),
            "largest page": (largest_page.relative_to(edition).as_posix(), largest_page.stat().st_size),
            "largest data file": (largest_data.relative_to(edition).as_posix(), largest_data.stat().st_size)}


def first_chart_page(edition: Path) -> tuple[str, str]:
    """(the page to time, relative to the edition; the selector that says it is drawn): the first chart page of
    charts.json, else index.html and its heading."""
    listed = edition / "charts.json"
    if listed.exists():
        charts = json.loads(listed.read_text(encoding="utf-8"))
        if charts:
            return charts[0]["page"], CHART
    return "index.html", "h1"


def largest_chart_page(edition: Path) -> str | None:
    """The largest chart page of charts.json (relative to the edition), or None when there is none."""
    listed = edition / "charts.json"
    charts = json.loads(listed.read_text(encoding="utf-8")) if listed.exists() else []
    return max((c["page"] for c in charts), key=lambda page: (edition / page).stat().st_size, default=None)


def browser_first_draw(url: str, selector: str) -> dict:
    """Seconds from navigation to `selector` in Chromium: cold (a new browser) and warm (a second tab of the same
    browser: its cache holds what the first load cached), and every request of the cold load."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(selector, state="attached", timeout=600_000)
        cold = time.perf_counter() - start
        again = context.new_page()
        start = time.perf_counter()
        again.goto(url, wait_until="commit")
        again.wait_for_selector(selector, state="attached", timeout=600_000)
        warm = time.perf_counter() - start
        browser.close()
    return {"cold": cold, "warm": warm, "requests": requests}


def app_first_chart(data_dir: Path) -> dict:
    """The app's first chart (the Overview's) on `data_dir`: a fresh server, then cold and warm as bench_scale."""
    from bench_scale import browser_first_chart
    from loadtest import LocalServer

    start = time.perf_counter()
    server = LocalServer(data_dir)
    try:
        healthy = time.perf_counter() - start
        return {"server start": healthy, "cold": browser_first_chart(server.url + "/"),
                "warm": browser_first_chart(server.url + "/")}
    finally:
        server.stop()


def app_load(data_dir: Path, sessions: int) -> dict:
    """benchmarks/loadtest.py's N sessions x 10 filter changes on one app process."""
    from loadtest import Checker, LocalServer, run_load

    from crisisboard.data.load import load_dataset

    server = LocalServer(data_dir)
    try:
        return asyncio.run(run_load(server.url, Checker(load_dataset(data_dir)), sessions=sessions, changes=10,
                                    max_seconds=150, pids=server.pids, timeout=120))
    finally:
        server.stop()


def publish_figures(label: str, data_dir: Path, public: Path, timeout: float) -> Path | None:
    """Publish `data_dir` into `public` (fresh), print the times and sizes; the edition's folder, or None."""
    from crisisboard.data.crisis import crisis_slug

    from static import precompress

    shutil.rmtree(public, ignore_errors=True)
    seconds, said = timed_publish(data_dir, public, timeout)
    if seconds is None:
        print(f"{label}: publish {said}")
        return None
    print(f"{label}: publish {seconds:.1f} s ({said})")
    again, said = timed_publish(data_dir, public, timeout)
    print(f"{label}: publish again, no change {again:.1f} s ({said})")
    start = time.perf_counter()
    count = precompress(public)
    print(f"{label}: precompress {time.perf_counter() - start:.1f} s ({count} .gz files)")
    edition = public / crisis_slug(data_dir) / "v1"
    sizes = edition_sizes(edition)
    print(f"{label}: edition v1: {sizes['files']} files, {sizes['total bytes']:,} bytes; largest page "
          f"{sizes['largest page'][0]} {sizes['largest page'][1]:,} bytes; largest data file "
          f"{sizes['largest data file'][0]} {sizes['largest data file'][1]:,} bytes")
    return edition


def served_figures(label: str, edition: Path, readers: list[int], seconds: float) -> None:
    """Serve the edition's folder with nginx; time the first chart in Chromium; load it with readers."""
    from static import StaticServer
    from static_readers import line, run_readers

    root = edition.parent.parent
    page, selector = first_chart_page(edition)
    with StaticServer(root, access_log=False) as server:
        url = f"{server.url}/{edition.parent.name}/latest/{page}"
        drawn = browser_first_draw(url, selector)
        outside = [u for u in drawn["requests"] if urlsplit(u).hostname != "127.0.0.1"]
        what = "first chart" if selector == CHART else "first heading (no chart pages in this edition)"
        print(f"{label}: nginx -> Chromium, navigation to {what} of latest/{page}: cold {drawn['cold']:.2f} s, "
              f"warm {drawn['warm']:.2f} s; {len(drawn['requests'])} requests, {len(outside)} leaving 127.0.0.1")
        largest = largest_chart_page(edition)
        if largest and largest != page:
            big = browser_first_draw(f"{server.url}/{edition.parent.name}/latest/{largest}", CHART)
            print(f"{label}: nginx -> Chromium, the largest chart page latest/{largest} "
                  f"({(edition / largest).stat().st_size:,} bytes): cold {big['cold']:.2f} s, warm {big['warm']:.2f} s")
        assets = list(dict.fromkeys(urlsplit(u).path for u in drawn["requests"]
                                    if urlsplit(u).hostname == "127.0.0.1" and u != url))
        print(f"{label}: readers fetch latest/{page} + {len(assets)} assets: {', '.join(assets) or '-'}")
        for count in readers:
            result = asyncio.run(run_readers(url, assets, count, seconds))
            print(f"{label}: {line(result)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="/tmp/crisisboard-publish-bench")
    parser.add_argument("--big", type=int, default=100_000, help="synthetic claims (0: skip)")
    parser.add_argument("--big-timeout", type=float, default=900, help="seconds the big publish may take")
    parser.add_argument("--readers", default="50,500")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per readers run")
    parser.add_argument("--app-sessions", type=int, default=0,
                        help="run the app's load test with this many sessions (0: cite the recorded figure)")
    args = parser.parse_args()
    out = Path(args.out)
    readers = [int(n) for n in args.readers.split(",")]
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} CPUs)")
    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(PROJECT / "data", data, ignore=shutil.ignore_patterns("backups", "*.lock"))
    editions = {}
    edition = publish_figures("409 claims", data, out / "public", 600)
    if edition is not None:
        editions["409 claims"] = edition
    if args.big:
        from crisisboard.data.synth import write_synthetic

        big = out / f"synth-{args.big}"
        if not (big / "claims.csv").exists():
            write_synthetic(big, args.big)
        edition = publish_figures(f"{args.big:,} claims", big, out / f"public-{args.big}", args.big_timeout)
        if edition is not None:
            editions[f"{args.big:,} claims"] = edition
    app = app_first_chart(data)
    print(f"409 claims: app (python -m crisisboard serve --local) start to healthy {app['server start']:.2f} s, "
          f"navigation to first chart: cold {app['cold']:.2f} s, warm {app['warm']:.2f} s")
    for label, edition in editions.items():
        served_figures(label, edition, readers if label == "409 claims" else readers[:1], args.seconds)
    if args.app_sessions:
        report = app_load(data, args.app_sessions)
        print(f"409 claims: app, {args.app_sessions} sessions x 10 filter changes: p50 {report['latency_p50']:.2f} s, "
              f"p95 {report['latency_p95']:.2f} s, {report['throughput']:.2f} changes/s, "
              f"page open p95 {report['open_p95']:.2f} s, changes done {report['changes_done']}/"
              f"{report['changes_planned']} (stopped by {report['stopped_by']}), errors {report['errors']}"
              + (f": {report['error_messages'][0]}" if report["error_messages"] else ""))
    else:
        print(f"app, 50 sessions: not run (--app-sessions 50 runs it); recorded in {RECORDED_APP_50}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

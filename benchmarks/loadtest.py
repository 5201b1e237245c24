"""Many viewers at once: N concurrent headless sessions changing the sidebar filters (issue #8, part 4).

usage:
  .venv/bin/python benchmarks/loadtest.py --url http://127.0.0.1:8501 --sessions 10 --changes 20 \
      --max-seconds 120 --data data --server-pid PID
  .venv/bin/python benchmarks/loadtest.py --start data --sessions 10 --changes 20     # starts its own server
  .venv/bin/python benchmarks/loadtest.py --start-cluster 2 --start data ...          # 2 processes + nginx

Each session is a browser tab without the browser (benchmarks/wsclient.py speaks Streamlit's websocket
protocol): it loads one page (overview, timeline, who-says-what, map in turn), then changes one filter
widget at a time, metric and reliability tier alternately, each session through its own cycle of values
and with its own date range (so no two sessions ever hold the same filters). Latency = from sending the
change to the end of the script run it causes (`script_finished`), i.e. the server's full answer.

After every run the session checks that what it was sent reflects ITS filters and no one else's:
the filter widgets' values echoed by the server, the caption "Showing n of M claims · <filters in words>"
(n counted from the data for these filters), the filters in the page's query string and in the export
link under the chart, and every claim id found in the chart's figure JSON belonging to the claims these
filters select. Any mismatch counts as an isolation violation (an error).

Only 127.0.0.1/localhost URLs are accepted. The test stops by itself after --changes per session or
--max-seconds in all (warm-up included), closes every socket, and stops any server it started.
Prints figures; asserts nothing (tests/test_loadtest.py runs a small one and asserts correctness only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT, PROJECT / "benchmarks", PROJECT / "deploy"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from wsclient import RunResult, StreamlitClientError, StreamlitSession, require_local, strings_in

from crisisboard.claims.markup import as_read
from crisisboard.data import schema
from crisisboard.data.countries import metric_labels
from crisisboard.data.filters import Filters, apply_filters, describe_filters, to_query_params
from crisisboard.data.load import Dataset, load_dataset
from crisisboard.data.tiers import TIER_LABELS

PAGES = ("", "timeline", "who_says_what", "map")  # "" = Overview, at the root
PAGE_NAMES = {"": "overview", "timeline": "timeline", "who_says_what": "who_says_what", "map": "map"}
KEY_METRIC, KEY_TIER, KEY_DATES = "filter_metric", "filter_tier", "filter_dates"
TIER_CYCLE = (("high",), ("high", "medium"), ("medium",), ("high", "medium", "low"), ("low",), ())
EXPORT_LINK = "a link that reproduces this view: "


# ----- what a session wants, and what it must then see --------------------------------------------------------
@dataclass(frozen=True)
class Wanted:
    """A session's global filters (one metric or none, some tiers, a date range)."""

    metrics: tuple[str, ...]
    tiers: tuple[str, ...]
    date_from: date
    date_to: date

    def query_string(self) -> str:
        parts = [f"from={self.date_from.isoformat()}", f"to={self.date_to.isoformat()}"]
        if self.metrics:
            parts.insert(0, "metric=" + ",".join(self.metrics))
        if self.tiers:
            parts.append("tier=" + ",".join(self.tiers))
        return "&".join(parts)

    def label(self) -> str:
        return (f"{','.join(self.metrics) or 'all metrics'} / {','.join(self.tiers) or 'all tiers'} / "
                f"{self.date_from:%m-%d}..{self.date_to:%m-%d}")


@dataclass(frozen=True)
class Expected:
    caption: str
    count: int
    claim_ids: frozenset[str]
    params: dict[str, str]
    widget_values: dict[str, list[str]]


def _normalise_caption(text: str, crisis: str = "") -> str:
    """The caption with its counts as plain integers ("7,410" and "7410" are the same count), and without
    " on <crisis>", which a server of several crises adds, when <crisis> is `crisis` (the one asked for)."""
    match = re.match(r"Showing ([\d,]+) of ([\d,]+) claims(?: on (.+?))? · (.*)\Z", as_read(text), re.DOTALL)
    if not match or (match.group(3) is not None and match.group(3) != crisis):
        return text
    shown, total, _, words = match.groups()
    return f"Showing {int(shown.replace(',', ''))} of {int(total.replace(',', ''))} claims · {words}"


class Checker:
    """Expectations from the dataset itself, and the isolation check of one rendered run."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.claims = dataset.claims
        self.total = len(self.claims)
        self.start = self.claims["as_of_day"].min().date()
        self.end = self.claims["as_of_day"].max().date()
        self.all_ids = frozenset(self.claims["claim_id"])
        self.place_names = dict(zip(dataset.places["place_id"], dataset.places["name"]))
        counts = self.claims["metric"].value_counts()
        self.metrics = [m for m in counts.index if m in schema.METRIC_LABELS]  # most claims first
        self.metric_labels = metric_labels(self.claims)  # as the metric selector words them ("Crossed into …")
        self._cache: dict[Wanted, Expected] = {}

    def filters(self, wanted: Wanted) -> Filters:
        return Filters(metrics=wanted.metrics, tiers=wanted.tiers,
                       date_from=wanted.date_from if wanted.date_from != self.start else None,
                       date_to=wanted.date_to if wanted.date_to != self.end else None)

    def expect(self, wanted: Wanted) -> Expected:
        if wanted not in self._cache:
            filters = self.filters(wanted)
            chosen = apply_filters(self.claims, filters)
            text = describe_filters(filters, self.place_names)
            self._cache[wanted] = Expected(
                caption=f"Showing {len(chosen)} of {self.total} claims · {text}", count=len(chosen),
                claim_ids=frozenset(chosen["claim_id"]), params=to_query_params(filters),
                widget_values={KEY_METRIC: [self.metric_labels[m] for m in wanted.metrics],
                               KEY_TIER: [TIER_LABELS[t] for t in wanted.tiers],
                               KEY_DATES: [wanted.date_from.isoformat(), wanted.date_to.isoformat()]})
        return self._cache[wanted]

    def violations(self, result: RunResult, wanted: Wanted) -> list[str]:
        """Every way in which `result` does not show `wanted` (empty: the run shows exactly these filters)."""
        expected = self.expect(wanted)
        problems: list[str] = []
        for key, value in expected.widget_values.items():
            widget = result.widget_by_key(key)
            if widget is None:
                problems.append(f"widget {key} missing")
                continue
            shown = widget.pushed if widget.pushed is not None else widget.value
            if list(shown) != value:
                problems.append(f"widget {key} shows {shown!r}, wanted {value!r}")
        captions = [t for t in result.texts if t.startswith("Showing ") and " claims" in t and " · " in t]
        name = self.dataset.crisis.name
        if [_normalise_caption(t, name) for t in captions] != [_normalise_caption(expected.caption)]:
            problems.append(f"caption {captions!r}, wanted {expected.caption!r}")
        query = {k: v[0] for k, v in parse_qs(result.query_string).items() if k in ("metric", "tier", "from", "to",
                                                                                     "claimant", "place")}
        if query != expected.params:
            problems.append(f"query string filters {query!r}, wanted {expected.params!r}")
        for text in map(as_read, result.texts):
            if EXPORT_LINK in text:
                link = text.split(EXPORT_LINK, 1)[1].split()[0]
                params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()
                          if k in ("metric", "tier", "from", "to", "claimant", "place")}
                if params != expected.params:
                    problems.append(f"export link filters {params!r}, wanted {expected.params!r}")
        for index, chart in enumerate(result.charts):
            ids = {s for s in strings_in(chart.get("data", [])) if s in self.all_ids}
            foreign = ids - expected.claim_ids
            if foreign:
                problems.append(f"chart {index} shows {len(foreign)} claim(s) outside these filters, "
                                f"e.g. {sorted(foreign)[:3]}")
        if result.exceptions:
            problems.append(f"exception: {result.exceptions[0][:200]}")
        return problems


# ----- the plan: distinct filters per session ----------------------------------------------------------------
def date_ranges(start: date, end: date) -> Iterator[tuple[date, date]]:
    """Distinct date ranges, widest first: the full range, then one day trimmed at either end, ..."""
    days = (end - start).days
    for trimmed in range(days + 1):
        for left in range(trimmed + 1):
            right = trimmed - left
            if left + right <= days:
                yield start + timedelta(days=left), end - timedelta(days=right)


@dataclass
class SessionPlan:
    index: int
    page: str
    first: Wanted
    metric_cycle: list[str]
    tier_cycle: list[tuple[str, ...]]

    def step(self, checker: Checker, current: Wanted, k: int) -> tuple[str, list[str], Wanted]:
        """The k-th change: even k changes the metric, odd k the tiers, to the next value of this session's
        cycle that still selects some claims (the pages then draw a chart)."""
        if k % 2 == 0:
            for offset in range(1, len(self.metric_cycle) + 1):
                metric = self.metric_cycle[(k // 2 + offset) % len(self.metric_cycle)]
                candidate = replace(current, metrics=(metric,))
                if candidate != current and checker.expect(candidate).count:
                    break
            return KEY_METRIC, [checker.metric_labels[m] for m in candidate.metrics], candidate
        for offset in range(1, len(self.tier_cycle) + 1):
            tiers = self.tier_cycle[(k // 2 + offset) % len(self.tier_cycle)]
            candidate = replace(current, tiers=tiers)
            if candidate != current and checker.expect(candidate).count:
                break
        return KEY_TIER, [TIER_LABELS[t] for t in candidate.tiers], candidate


def make_plans(checker: Checker, sessions: int, pages: tuple[str, ...]) -> list[SessionPlan]:
    ranges = list(islice(date_ranges(checker.start, checker.end), sessions))  # lazily: years hold many ranges
    plans = []
    for i in range(sessions):
        date_from, date_to = ranges[i % len(ranges)]
        metric_cycle = checker.metrics[i % len(checker.metrics):] + checker.metrics[:i % len(checker.metrics)]
        tier_cycle = list(TIER_CYCLE[i % len(TIER_CYCLE):] + TIER_CYCLE[:i % len(TIER_CYCLE)])
        first = Wanted((metric_cycle[0],), tier_cycle[0], date_from, date_to)
        for metric in metric_cycle:  # start on filters that select something
            for tiers in tier_cycle:
                candidate = Wanted((metric,), tiers, date_from, date_to)
                if checker.expect(candidate).count:
                    first = candidate
                    break
            if checker.expect(first).count:
                break
        plans.append(SessionPlan(i, pages[i % len(pages)], first, metric_cycle, tier_cycle))
    return plans


# ----- server memory ------------------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def rss_mb(pids: list[int]) -> float:
    """Resident memory (MB) of `pids` and all their descendants, from /proc (0 when no pid is given)."""
    if not pids:
        return 0.0
    tree, seen, stack, total = _children(), set(), list(pids), 0
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        stack.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


# ----- the run ------------------------------------------------------------------------------------------------
@dataclass
class SessionRecord:
    index: int
    page: str
    opened: bool = False
    open_seconds: float | None = None
    changes: int = 0
    changes_with_chart: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    http_upstreams: list[str] = field(default_factory=list)
    ws_upstream: str | None = None
    final: str = ""


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def _session(plan: SessionPlan, url: str, checker: Checker, changes: int, deadline: float, think: float,
                   timeout: float, all_opened: asyncio.Event, opened_count: list[int], total: int,
                   record: SessionRecord) -> None:
    wanted = plan.first

    def budget() -> float:
        return max(0.1, min(timeout, deadline - time.monotonic()))

    session = StreamlitSession(url, plan.page, wanted.query_string(), timeout=budget())
    try:
        try:
            started = time.perf_counter()
            await session.__aenter__()
            session.timeout = budget()
            result = await session.open()
            record.open_seconds = time.perf_counter() - started
            record.opened = True
            record.violations += [f"open {wanted.label()}: {p}" for p in checker.violations(result, wanted)]
        except (TimeoutError, StreamlitClientError, OSError) as error:
            record.errors.append(f"open: {type(error).__name__}: {error}")
            return
        finally:
            opened_count[0] += 1
            if opened_count[0] >= total:
                all_opened.set()
        try:  # start changing once every session is open (memory is measured in between)
            await asyncio.wait_for(all_opened.wait(), max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            return
        for k in range(changes):
            if time.monotonic() >= deadline - 0.5:
                break
            key, value, new = plan.step(checker, wanted, k)
            session.timeout = budget()
            try:
                result, seconds = await session.set_widget(key, value)
            except (TimeoutError, StreamlitClientError, OSError, KeyError) as error:
                if time.monotonic() < deadline - 0.2:  # a run cut short by --max-seconds is not an error
                    record.errors.append(f"change {k} ({key}): {type(error).__name__}: {error}")
                break
            wanted = new
            record.changes += 1
            record.latencies.append(seconds)
            record.changes_with_chart += bool(result.charts)
            record.violations += [f"change {k} to {wanted.label()}: {p}" for p in checker.violations(result, wanted)]
            if think:
                await asyncio.sleep(min(think, max(0, deadline - time.monotonic())))
        record.final = wanted.label()
    finally:
        record.http_upstreams = list(session.http_upstreams)
        record.ws_upstream = session.ws_upstream
        await session.close()


async def _sample_memory(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], await asyncio.to_thread(rss_mb, pids))
        try:
            await asyncio.wait_for(stop.wait(), 0.25)
        except TimeoutError:
            pass


async def run_load(url: str, checker: Checker, sessions: int = 10, changes: int = 20, max_seconds: float = 120,
                   pids: list[int] | None = None, pages: tuple[str, ...] = PAGES, think: float = 0.0,
                   timeout: float = 60.0, warmup: bool = True) -> dict[str, Any]:
    """Run the load test; returns the report (see `print_report`)."""
    require_local(url)
    pids = list(pids or [])
    t0 = time.monotonic()
    deadline = t0 + max_seconds
    rss_start = rss_mb(pids)
    warmup_errors: list[str] = []
    if warmup:  # load the data and each page once, as the first visitor does, so that the baseline holds them
        for page in dict.fromkeys(pages):
            try:
                async with StreamlitSession(url, page, "", timeout=max(0.1, min(timeout, deadline - time.monotonic()))) as s:
                    await s.open()
            except (TimeoutError, StreamlitClientError, OSError) as error:
                warmup_errors.append(f"warm-up {PAGE_NAMES.get(page, page)}: {type(error).__name__}: {error}")
        await asyncio.sleep(0.5)
    rss_baseline = rss_mb(pids)
    plans = make_plans(checker, sessions, pages)
    records = [SessionRecord(plan.index, PAGE_NAMES.get(plan.page, plan.page)) for plan in plans]
    all_opened, opened_count = asyncio.Event(), [0]
    peak, stop = [rss_baseline], asyncio.Event()
    sampler = asyncio.create_task(_sample_memory(pids, peak, stop))
    started = time.monotonic()
    tasks = [asyncio.create_task(_session(plan, url, checker, changes, deadline, think, timeout, all_opened,
                                          opened_count, sessions, record))
             for plan, record in zip(plans, records)]
    try:
        await asyncio.wait_for(all_opened.wait(), max(0.1, deadline - time.monotonic()))
    except TimeoutError:
        pass
    opened_at = time.monotonic()
    rss_open = rss_mb(pids)
    _done, pending = await asyncio.wait(tasks, timeout=max(0.1, deadline - time.monotonic()) + 15)
    for task in pending:  # past the deadline: give up on them (closes their sockets)
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=15)
    ended = time.monotonic()
    stop.set()
    await sampler
    await asyncio.sleep(0.5)
    rss_end = rss_mb(pids)
    latencies = [s for r in records for s in r.latencies]
    opens = [r.open_seconds for r in records if r.open_seconds is not None]
    errors = warmup_errors + [f"session {r.index}: {e}" for r in records for e in r.errors]
    violations = [f"session {r.index} ({r.page}): {v}" for r in records for v in r.violations]
    done_changes = sum(r.changes for r in records)
    return {
        "url": url, "sessions": sessions, "opened": sum(r.opened for r in records),
        "changes_planned": sessions * changes, "changes_done": done_changes,
        "changes_with_chart": sum(r.changes_with_chart for r in records),
        "errors": len(errors) + len(violations), "error_messages": errors[:20],
        "isolation_violations": len(violations), "violation_messages": violations[:20],
        "stopped_by": ("count" if done_changes == sessions * changes
                       else "max-seconds" if ended >= deadline - 1 else "errors"),
        "open_p50": percentile(opens, 0.5), "open_p95": percentile(opens, 0.95), "open_max": max(opens, default=None),
        "latency_p50": percentile(latencies, 0.5), "latency_p95": percentile(latencies, 0.95),
        "latency_max": max(latencies, default=None),
        "change_phase_seconds": ended - opened_at, "wall_seconds": ended - t0,
        "throughput": done_changes / (ended - opened_at) if ended > opened_at else None,
        "server_pids": pids, "rss_start_mb": rss_start, "rss_baseline_mb": rss_baseline,
        "rss_all_open_mb": rss_open, "rss_peak_mb": max(peak[0], rss_open), "rss_end_mb": rss_end,
        "mb_per_session": (rss_open - rss_baseline) / sessions if pids and sessions else None,
        "started_sessions_at": started - t0,
        "records": [asdict(r) for r in records],
    }


def print_report(report: dict[str, Any]) -> None:
    def s(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}s"

    def mb(value: float | None) -> str:
        return "-" if value is None else f"{value:,.0f} MB"

    print(f"url {report['url']}  sessions {report['sessions']} (opened {report['opened']})  "
          f"stopped by {report['stopped_by']} after {report['wall_seconds']:.1f} s")
    print(f"changes done {report['changes_done']}/{report['changes_planned']} "
          f"(with a chart: {report['changes_with_chart']})  errors {report['errors']} "
          f"(isolation violations {report['isolation_violations']})")
    print(f"filter change latency  p50 {s(report['latency_p50'])}  p95 {s(report['latency_p95'])}  "
          f"max {s(report['latency_max'])}  throughput "
          + (f"{report['throughput']:.2f} changes/s" if report["throughput"] else "-"))
    print(f"page open latency      p50 {s(report['open_p50'])}  p95 {s(report['open_p95'])}  "
          f"max {s(report['open_max'])}")
    if report["server_pids"]:
        print(f"server RSS (pids {','.join(map(str, report['server_pids']))} + children)  start {mb(report['rss_start_mb'])}"
              f"  after warm-up {mb(report['rss_baseline_mb'])}  all sessions open {mb(report['rss_all_open_mb'])}"
              f"  peak {mb(report['rss_peak_mb'])}  end {mb(report['rss_end_mb'])}")
        if report["mb_per_session"] is not None:
            print(f"memory added per open session {report['mb_per_session']:.1f} MB")
    upstreams: dict[str, int] = {}
    for record in report["records"]:
        if record["ws_upstream"]:
            upstreams[record["ws_upstream"]] = upstreams.get(record["ws_upstream"], 0) + 1
    if upstreams:
        print("sessions per upstream (websocket): " + ", ".join(f"{k} {v}" for k, v in sorted(upstreams.items())))
    for line in report["error_messages"][:10] + report["violation_messages"][:10]:
        print("  ! " + line)


# ----- a server to test, when asked -------------------------------------------------------------------------
class LocalServer:
    """One Streamlit process of the app on a free 127.0.0.1 port (stopped on exit)."""

    def __init__(self, data_dir: Path) -> None:
        from cluster import free_port, wait_healthy

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, CRISISBOARD_DATA=str(data_dir))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crisisboard", "serve", "--local", "--port", str(self.port),
             "--address", "127.0.0.1"],
            cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(self.url, 90, self.process)
        except BaseException:
            self.stop()
            raise

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="the app, on 127.0.0.1 or localhost only")
    parser.add_argument("--start", metavar="DATA_DIR", help="start the app on this data (free port), stop it after")
    parser.add_argument("--start-cluster", type=int, metavar="K",
                        help="with --start: K Streamlit processes behind nginx (deploy/cluster.py)")
    parser.add_argument("--data", help="the data the server uses, for the checks (default: --start, "
                                       "$CRISISBOARD_DATA or data/)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--changes", type=int, default=20, help="filter changes per session")
    parser.add_argument("--max-seconds", type=float, default=120, help="stop after this long in all")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="process(es) whose memory to report, with their children (repeatable)")
    parser.add_argument("--pages", default="overview,timeline,who_says_what,map")
    parser.add_argument("--think", type=float, default=0.0, help="pause after each change, s (0: closed loop)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per script run, s")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--json", help="also write the full report here")
    args = parser.parse_args(argv)
    if bool(args.url) == bool(args.start):
        parser.error("give either --url or --start")
    if args.start_cluster and not args.start:
        parser.error("--start-cluster needs --start DATA_DIR")
    if args.url:
        try:
            require_local(args.url)
        except ValueError as error:
            parser.error(str(error))
    if args.sessions < 1 or args.changes < 0 or args.max_seconds <= 0:
        parser.error("--sessions >= 1, --changes >= 0, --max-seconds > 0")
    pages = tuple("" if p.strip() in ("overview", "") else p.strip() for p in args.pages.split(","))
    data = Path(args.data or args.start or os.environ.get("CRISISBOARD_DATA") or PROJECT / "data").resolve()
    checker = Checker(load_dataset(data))
    server: Any = None
    try:
        if args.start_cluster:
            from cluster import Cluster

            server = Cluster(Path(args.start).resolve(), backends=args.start_cluster).start()
        elif args.start:
            server = LocalServer(Path(args.start).resolve())
        url = server.url if server else args.url
        pids = list(args.server_pid) + (server.pids if server else [])
        report = asyncio.run(run_load(url, checker, args.sessions, args.changes, args.max_seconds, pids, pages,
                                      args.think, args.timeout, not args.no_warmup))
    finally:
        if server is not None:
            server.stop()
    report["data"] = str(data)
    report["claims"] = checker.total
    print(f"data {data} ({checker.total:,} claims)" + (f", {args.start_cluster} processes behind nginx"
                                                        if args.start_cluster else ""))
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

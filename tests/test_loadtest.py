"""The load test's client and checks against a real Streamlit server of the app on the shipped data.

Asserts correctness only (no errors, every change drawn, each session sees its own filters), never timings.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import pytest
from conftest import PROJECT, run_async

sys.path.insert(0, str(PROJECT / "benchmarks"))

import loadtest
from loadtest import Checker, LocalServer, Wanted, run_load
from wsclient import StreamlitSession, require_local

from crisisboard.data.load import load_dataset

DATA = PROJECT / "data"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_dataset(DATA))


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(DATA) as running:
        yield running


def test_concurrent_sessions_each_see_their_own_filters(server: LocalServer, checker: Checker) -> None:
    report = run_async(run_load(server.url, checker, sessions=4, changes=3, max_seconds=90, pids=server.pids,
                                  pages=loadtest.PAGES, timeout=60))
    assert report["error_messages"] == [] and report["violation_messages"] == []
    assert report["errors"] == 0 and report["isolation_violations"] == 0
    assert report["opened"] == 4
    assert report["changes_done"] == 12 and report["stopped_by"] == "count"
    assert report["changes_with_chart"] == 12, "every change must draw the page's chart"
    assert {r["page"] for r in report["records"]} == {"overview", "timeline", "who_says_what", "map"}
    finals = [r["final"] for r in report["records"]]
    assert len(set(finals)) == 4, f"sessions ended on the same filters: {finals}"
    assert report["rss_all_open_mb"] > 0 and report["latency_p95"] is not None


def test_the_checker_catches_another_sessions_output(server: LocalServer, checker: Checker) -> None:
    """Feed one session's rendered run to the check with another session's filters: it must object."""
    plans = loadtest.make_plans(checker, 2, ("timeline",))
    mine, theirs = plans[0].first, plans[1].first
    assert mine != theirs

    async def render(wanted: Wanted):
        async with StreamlitSession(server.url, "timeline", wanted.query_string(), timeout=60) as session:
            return await session.open()

    async def both():
        return await asyncio.gather(render(mine), render(theirs))

    my_run, their_run = run_async(both())
    assert checker.violations(my_run, mine) == []
    assert checker.violations(their_run, theirs) == []
    crossed = checker.violations(their_run, mine)
    assert any(p.startswith("caption") for p in crossed), crossed
    assert any(p.startswith("widget filter_") for p in crossed), crossed
    assert any(p.startswith("query string") for p in crossed), crossed
    # a chart carrying a claim that these filters exclude is caught even when every text is right
    outside = min(checker.all_ids - checker.expect(mine).claim_ids)
    my_run.charts.append({"data": [{"customdata": [outside]}]})
    assert any("outside these filters" in p for p in checker.violations(my_run, mine))


def test_it_stops_by_itself_on_max_seconds(server: LocalServer, checker: Checker) -> None:
    report = run_async(run_load(server.url, checker, sessions=2, changes=10_000, max_seconds=8,
                                  pages=("",), warmup=False, timeout=60))
    assert report["stopped_by"] == "max-seconds"
    assert report["changes_done"] < 20_000
    assert report["errors"] == 0, report["error_messages"] + report["violation_messages"]
    assert report["wall_seconds"] < 8 + 30  # a bound on stopping, not a performance figure


@pytest.mark.parametrize("url", ["http://example.org:8501", "https://127.0.0.1:8501", "http://10.0.0.1:8501",
                                 "http://127.0.0.1.example.org/"])
def test_only_this_machine_is_load_tested(url: str) -> None:
    with pytest.raises(ValueError):
        require_local(url)
    with pytest.raises(SystemExit):
        loadtest.main(["--url", url, "--sessions", "1", "--changes", "1"])


def test_the_isolation_check_reads_the_caption_of_a_server_of_several_crises() -> None:
    """With several crises the caption names the one shown ("… claims on <crisis> · …"): the check must still read
    it (it counted every change as a violation once crises/ held a second crisis), and only for its own crisis."""
    plain = "Showing 7410 of 8000 claims · all metrics"
    named = "Showing 7,410 of 8,000 claims on June 2010 violence · all metrics"
    assert loadtest._normalise_caption(named, "June 2010 violence") == plain
    assert loadtest._normalise_caption(named, "Another crisis") != plain
    assert loadtest._normalise_caption("Showing 7,410 of 8,000 claims · all metrics") == plain

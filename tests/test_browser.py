"""A real browser (Debian's Chromium, driven by Playwright) against a real Streamlit server."""

from __future__ import annotations

import contextlib
import csv
import os
import re
import socket
import subprocess
import tempfile
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest
from conftest import PROJECT, VALID
from hostile import make_hostile_dataset

from crisisboard.data.crisis import read_crisis

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)"),
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(data_dir: Path, env: dict[str, str] | None = None, address: str = "127.0.0.1",
                args: tuple[str, ...] = (), port: int | None = None, local: bool = True) -> Iterator[str]:
    """The app served as `make run` serves it (`python -m crisisboard serve --local`; `local=False`: without
    --local) on `address` with `data_dir` (and `env` set, and more `serve` `args`), reached at 127.0.0.1,
    stopped afterwards."""
    port = port or _free_port()
    env = dict(os.environ, CRISISBOARD_DATA=str(data_dir), **(env or {}))
    log = tempfile.TemporaryFile()  # the server's output, read when it fails to start (a pipe could fill up)
    process = subprocess.Popen(
        [sys.executable, "-m", "crisisboard", "serve", "--port", str(port), "--address", address,
         *(["--local"] if local else []), *args],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    process.wait(timeout=10)
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the app did not start:\n{output}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def wait_idle(page, settle_ms: int = 300) -> None:  # noqa: ANN001
    """Until Streamlit has finished the run a click or a key started (its app element says so)."""
    page.wait_for_timeout(settle_ms)  # the run starts
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"
                           " === 'notRunning'", timeout=60_000)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_app(VALID) as base:
        yield base


def test_overview_in_a_real_browser_stays_on_localhost(server: str, page) -> None:  # noqa: ANN001
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/?metric=killed", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Overview: what was claimed, by whom").wait_for(timeout=30_000)
    page.get_by_text("Showing 3 of 6 claims").wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_text("Latest official figure").first.wait_for(timeout=30_000)
    assert requests, "the browser recorded no requests"
    remote = [url for url in requests
              if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS]
    assert remote == [], f"requests left 127.0.0.1: {remote}"


def test_overview_opens_at_its_own_url(page) -> None:  # noqa: ANN001
    """/overview (the Overview's own name) opens the Overview with the link's filters, with no "Page not found"
    dialog: on the first visit of a fresh server (Streamlit's old pages/ lookup still on) and once the router
    has run; and the root still opens it too. The address becomes the root's, the one briefing mode steps from."""
    with running_app(VALID) as base:
        for url in (f"{base}/overview?metric=killed", f"{base}/overview?metric=killed", f"{base}/?metric=killed"):
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_role("heading", name="Overview: what was claimed, by whom").wait_for(timeout=30_000)
            page.get_by_text("Showing 3 of 6 claims").wait_for(timeout=30_000)
            wait_idle(page, settle_ms=1000)
            assert page.get_by_text("Page not found").count() == 0, url
            assert page.get_by_role("dialog").count() == 0, url
            assert urlparse(page.url).path == "/" and "metric=killed" in page.url, page.url  # one address


def test_link_reproduces_the_view_on_the_sources_page(server: str, page) -> None:  # noqa: ANN001
    page.goto(f"{server}/sources?tier=high", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Sources: every release behind the figures").wait_for(timeout=30_000)
    page.get_by_text("Showing 2 of 6 claims").wait_for(timeout=30_000)
    assert page.get_by_role("link", name="Fixture release one").get_attribute("href") == "https://example.org/release-1"


@pytest.mark.parametrize("view", ["osh", "jalal_abad", "border"])
def test_map_views_draw_offline(server: str, page, view: str) -> None:  # noqa: ANN001
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/map?view={view}", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Map: where it happened, where people fled").wait_for(timeout=30_000)
    plot = page.locator(".js-plotly-plot").first
    plot.locator(".main-svg").first.wait_for(timeout=30_000)
    # drawn, not blank: the country fills and the border line are long paths
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer path')]"
        ".filter(p => (p.getAttribute('d') || '').length > 500).length >= 3", timeout=30_000)
    labels = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer text')].map(t => t.textContent)")
    area = read_crisis(VALID).areas[view]
    with (VALID / "places.csv").open(encoding="utf-8") as handle:
        lat, lon = next((float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle) if r["place_id"] == "city-a")
    if area.lon[0] <= lon <= area.lon[1] and area.lat[0] <= lat <= area.lat[1]:  # City A is in this view
        assert "Fixture City A: 90 (3)" in labels, labels[:20]  # one marker for its three claims of killed
    assert {"10", "100", "1,000", "10,000"} <= set(labels)  # the size key, drawn at the sizes it stands for
    assert plot.locator(".slider-container").count() == 1, "the day slider is missing"
    remote = [url for url in requests
              if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS]
    assert remote == [], f"requests left 127.0.0.1: {remote}"


def test_map_day_frames_hide_claims_not_yet_known(server: str, page) -> None:  # noqa: ANN001
    """The map's numbers travel as typed arrays with NaN for "not drawn": the browser must draw City A's
    marker for "all dates" (3 claims of killed, sized by 90), none on 10 June (nothing known yet), the state of
    13 June after stepping to it (2 claims, sized by 40), and all again for "all dates"; and still fill the
    countries."""
    page.goto(f"{server}/map?view=osh", wait_until="domcontentloaded")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer path')]"
        ".filter(p => (p.getAttribute('d') || '').length > 500).length >= 3", timeout=30_000)
    # the marker drawn in the claims' trace (a trace's group carries its data), and its label
    drawn = """() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')]
        .filter(g => g.__data__ && g.__data__[0].trace.name === 'Claims at the place')
        .map(g => [g.querySelectorAll('path.point').length,
                   [...g.querySelectorAll('.textpoint text')].map(t => t.textContent).join('|')])[0]"""
    assert page.evaluate(drawn) == [1, "Fixture City A: 90 (3)"]
    fills = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-fill')]"
                          ".filter(p => (p.getAttribute('d') || '').length > 500).length")
    assert fills >= 2, "the country fills are not drawn"
    step = """async (last) => {
        const gd = document.querySelector('.js-plotly-plot');
        const day = gd._transitionData._frames.map(f => f.name).filter(n => n !== 'all' && n <= last).sort().pop();
        await window.Plotly.animate(gd, [day], {mode: 'immediate', frame: {duration: 0, redraw: true},
                                               transition: {duration: 0}});
    }"""
    page.evaluate(step, "2010-06-10")
    assert page.evaluate(drawn)[0] == 0
    page.evaluate(step, "2010-06-13")
    assert page.evaluate(drawn) == [1, "Fixture City A: 40 (2)"]
    page.evaluate("""async () => await window.Plotly.animate(document.querySelector('.js-plotly-plot'), ['all'],
        {mode: 'immediate', frame: {duration: 0, redraw: true}, transition: {duration: 0}})""")
    assert page.evaluate(drawn) == [1, "Fixture City A: 90 (3)"]  # "all dates" brings every claim back


def test_clicking_a_timeline_mark_opens_its_card_with_the_source_link(server: str, page) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{server}/timeline?chart=refugees_crossed&incidents=0", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Timeline: how the figures evolved").wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .scatterlayer path').length > 0",
                           timeout=30_000)
    # the fixture's only refugee claim is a range bar: hover it, then click it
    bar = page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").first
    box = bar.bounding_box()
    assert box is not None
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a bar's hover point is its middle
    page.mouse.move(*middle)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    assert "between 2,000 and 5,000" in hover.text_content() and "Fixture Wire" in hover.text_content()
    page.mouse.click(*middle)
    link = page.get_by_role("link", name="Open the release at the quote")
    link.wait_for(timeout=20_000)
    assert link.get_attribute("href").startswith("https://example.org/wire-2#:~:text=between")
    assert page.get_by_role("link", name="Archived copy").get_attribute("href").startswith("https://web.archive.org/")


def test_hostile_text_never_runs_in_the_browser(tmp_path: Path, page) -> None:  # noqa: ANN001
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with running_app(make_hostile_dataset(tmp_path / "data")) as base:
        for path in ("/sources", "/timeline?chart=killed", "/"):
            page.goto(base + path, wait_until="domcontentloaded")
            page.locator("h1").first.wait_for(timeout=30_000)
            page.get_by_text(re.compile("Dataset version")).first.wait_for(timeout=30_000)
            for plot in page.locator(".js-plotly-plot").all():
                box = plot.bounding_box()
                if box:  # sweep the pointer across the chart to raise hover labels
                    for i in range(1, 10):
                        page.mouse.move(box["x"] + box["width"] * i / 10, box["y"] + box["height"] / 2)
        page.goto(base + "/sources", wait_until="domcontentloaded")
        page.get_by_text("<script>alert").first.wait_for(timeout=30_000)  # shown as text
    assert dialogs == []


def test_briefing_mode_steps_to_the_next_page_with_the_arrow_key(server: str, page) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/?briefing=1&tier=high", wait_until="domcontentloaded")
    page.get_by_text("Leave briefing mode").wait_for(timeout=30_000)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    for _ in range(3):  # scroll to the chart(s), then past the last one to the next page
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(600)
        if "/timeline" in page.url:
            break
    page.wait_for_url("**/timeline?**", timeout=30_000)
    assert "briefing=1" in page.url and "tier=high" in page.url
    page.get_by_role("heading", name="Timeline: how the figures evolved").wait_for(timeout=30_000)


@pytest.fixture(scope="module")
def shipped_server() -> Iterator[str]:
    with running_app(PROJECT / "data") as base:
        yield base


def test_timeline_gives_the_crisis_window_most_of_the_plot(shipped_server: str, page) -> None:  # noqa: ANN001
    """At 1366×768, the crisis window (10 June – 31 July 2010 in data/crisis.toml) takes at least 60 % of the
    plot's width, measured from the axis Plotly drew: the 2011 commission and the 2021 and 2024 restatements
    sit in their own panel instead of stretching the axis to 2024."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{shipped_server}/timeline?chart=killed", wait_until="domcontentloaded")
    page.locator(".js-plotly-plot .xaxislayer-above").first.wait_for(timeout=60_000)
    page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=60_000)
    share = page.evaluate("""() => {
        const layout = document.querySelector('.js-plotly-plot')._fullLayout, axis = layout.xaxis;
        return (axis.d2p('2010-07-31') - axis.d2p('2010-06-10')) / layout._size.w; }""")
    assert share >= 0.6, share
    later = page.evaluate("() => (document.querySelector('.js-plotly-plot')._fullLayout.xaxis2 || {}).categoryarray")
    assert later and "Apr 2024" in later and "May 2011" in later  # the later counts are there, in their panel

"""Accessible to every member of staff (issue #21), in a real browser on the shipped data at 1366×768:

- axe-core (npm, installed into tests/a11y by `make test`) finds no serious or critical WCAG 2.0/2.1/2.2 A or AA
  violation on any page, in normal and briefing mode, with the charts' data tables and a claim's card open;
- every chart has a non-empty accessible name, and the same sentence is on screen under it;
- everything can be done by keyboard alone: switching pages, a filter, opening a claim's card, an export, and
  briefing mode's arrow keys, which step through the charts without taking the keys from a control.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from axe import AXE, axe_version, serious_violations
from conftest import PROJECT
from test_browser import CHROMIUM, running_app, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed in tests/a11y (make test installs it)"),
]
PAGES = ("", "timeline", "who_says_what", "map", "sources", "add_release", "review", "changes")
CHART_PAGES = ("", "timeline", "who_says_what", "map")
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(PROJECT / "data", data)
    with running_app(data) as base:
        yield base


def _open(page, url: str, charts: bool = False) -> None:  # noqa: ANN001
    """Open `url` and wait until it is drawn: its heading, its footer, and every chart it has drawn by Plotly (with
    `charts`, at least one: Plotly draws after Streamlit's run has ended, so a page can be complete but chartless
    for a moment under load)."""
    page.goto(url, wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=60_000)
    # the footer: drawn last (hidden in briefing mode)
    page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
                           ".every(c => c.querySelector('.main-svg'))", timeout=60_000)
    if charts:
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length > 0",
                               timeout=60_000)
    page.wait_for_timeout(500)


def _open_data_tables(page) -> None:  # noqa: ANN001
    for summary in page.locator("[data-testid='stExpander'] summary", has_text="Data behind this chart").all():
        if summary.is_visible():
            summary.click()
            page.locator(".crisisboard-data").first.wait_for(timeout=60_000)


def _chart_names(page, where: str) -> list[str]:  # noqa: ANN001
    """What is wrong with the page's charts' accessible names: each must be a sentence that is also on screen."""
    names = page.evaluate("() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
                          ".map(c => c.getAttribute('aria-label') || '')")
    shown = " ".join(page.evaluate("() => document.querySelector('[data-testid=stMain]').innerText").split())
    wrong = [] if names else [f"{where}: no chart"]
    wrong += [f"{where}: a chart named {name!r}" for name in names if len(name) <= 40]
    wrong += [f"{where}: the chart's name is not on screen: {name[:120]!r}" for name in names
              if len(name) > 40 and " ".join(name.split()) not in shown]
    return wrong


def test_axe_finds_no_serious_or_critical_wcag_violation_on_any_page_in_either_mode(shipped_app: str,
                                                                                   page) -> None:  # noqa: ANN001
    """And every chart on every page has a non-empty accessible name that is also printed under it."""
    page.set_viewport_size(VIEWPORT)
    found: dict[str, list[str]] = {}
    unnamed: list[str] = []
    for path in PAGES:
        for briefing in (False, True):
            _open(page, f"{shipped_app}/{path}" + ("?briefing=1" if briefing else ""), charts=path in CHART_PAGES)
            if path in CHART_PAGES:
                unnamed += _chart_names(page, f"/{path} briefing={briefing}")
            if not briefing:
                _open_data_tables(page)
            if violations := serious_violations(page):
                found[f"/{path} briefing={briefing}"] = violations
    # a claim's card, with its quote in another language
    _open(page, f"{shipped_app}/timeline")
    page.get_by_role("combobox", name="Open a claim's card").click()
    page.keyboard.type("Uzbek community (Osh)")
    page.keyboard.press("Enter")
    page.locator("blockquote.crisisboard-quote").wait_for(timeout=60_000)
    assert page.locator("blockquote.crisisboard-quote").get_attribute("lang") == "es"  # Noticias de Álava's text
    if violations := serious_violations(page):
        found["/timeline with a card open"] = violations
    assert found == {}, f"axe-core {axe_version()}:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())
    assert unnamed == []


def test_quotes_are_marked_with_their_language(shipped_app: str, page) -> None:  # noqa: ANN001
    page.set_viewport_size(VIEWPORT)
    _open(page, f"{shipped_app}/timeline?chart=killed")
    _open_data_tables(page)
    langs = page.evaluate("() => [...document.querySelectorAll('.crisisboard-data tbody tr')].map(r => "
                          "[...r.children].filter(td => td.hasAttribute('lang')).map(td => td.getAttribute('lang')"
                          " + (td.getAttribute('dir') ? '/' + td.getAttribute('dir') : '')))")
    assert langs and all(len(row) == 2 for row in langs)  # the worded figure and the quote of every row
    seen = {lang for row in langs for lang in row}
    # the shipped data has killed-claims from Russian and Arabic texts (sources.csv language: ru, ar)
    assert {"en", "ru", "ar/rtl"} <= seen, seen


def _focused(page) -> dict:  # noqa: ANN001
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, role: e.getAttribute('role') || '', label: e.getAttribute('aria-label') || '',
                text: (e.innerText || e.value || '').slice(0, 80),
                testid: e.dataset ? (e.dataset.testid || '') : ''}; }""")


def _tab_to(page, wanted, limit: int = 120, back: bool = False) -> int:  # noqa: ANN001
    """Press Tab (Shift+Tab) until the focused element satisfies `wanted`; the number of presses."""
    seen = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = _focused(page)
        seen.append(focused)
        if wanted(focused):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses; focus went through {seen[:40]}")


def test_keyboard_alone_switches_pages_filters_opens_a_card_and_exports(shipped_app: str, page) -> None:  # noqa: ANN001
    page.set_viewport_size(VIEWPORT)
    _open(page, f"{shipped_app}/")
    page.locator("body").focus()
    # page switching: the sidebar's page links
    _tab_to(page, lambda f: f["tag"] == "A" and f["text"].strip() == "Timeline")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline**", timeout=30_000)
    page.get_by_role("heading", name="Timeline: how the figures evolved").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    # a filter: the reliability tier, typed and chosen
    _tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == "Reliability tier")
    page.keyboard.type("High")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('tier=high')", timeout=30_000)
    page.get_by_text("Showing ").first.wait_for(timeout=30_000)
    # a claim's card, from the list of the chart's claims
    _tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == "Open a claim's card")
    page.keyboard.type("Ministry of Health")
    page.keyboard.press("Enter")
    quote = page.locator("blockquote.crisisboard-quote")
    quote.wait_for(timeout=60_000)
    assert quote.get_attribute("lang")
    assert page.get_by_text("Open the release at the quote").count() >= 1
    # the data behind the chart: its expander opens with Enter, its table takes focus and scrolls by keyboard
    _tab_to(page, lambda f: "Data behind this chart" in f["text"])
    page.keyboard.press("Enter")
    page.locator(".crisisboard-data").wait_for(timeout=60_000)
    _tab_to(page, lambda f: f["role"] == "region" and f["label"].startswith("Data behind this chart"))
    before = page.evaluate("() => document.activeElement.scrollTop")
    page.keyboard.press("PageDown")
    page.wait_for_function(f"() => document.activeElement.scrollTop > {before}", timeout=10_000)
    # an export: the menu opens with Enter, the format is chosen, the download starts with Enter
    _tab_to(page, lambda f: "Export this chart" in f["text"], back=True)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Download PNG").wait_for(timeout=30_000)
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].strip() == "Download PNG", limit=30)
    with page.expect_download(timeout=90_000) as info:
        page.keyboard.press("Enter")
    data = Path(info.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and info.value.suggested_filename.endswith(".png")


def test_briefing_arrow_keys_step_through_charts_and_leave_controls_their_keys(shipped_app: str,
                                                                            page) -> None:  # noqa: ANN001
    page.set_viewport_size(VIEWPORT)
    _open(page, f"{shipped_app}/timeline?briefing=1", charts=True)
    page.wait_for_function("() => document.__crisisboardKeys !== undefined", timeout=30_000)  # the script is in
    wait_idle(page)  # and the page is drawn
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # the focus on the page itself
    page.keyboard.press("ArrowRight")  # from the page: to the first chart, which takes focus (its name is read)
    page.wait_for_function("() => document.__crisisboardKeys.index === 0", timeout=10_000)
    page.wait_for_function("() => document.activeElement.dataset.testid === 'stPlotlyChart'", timeout=10_000)
    assert "/timeline" in page.url
    chart = _focused(page)
    # Tab still leaves the chart: the focus moves on and is not held
    page.keyboard.press("Tab")
    assert _focused(page) != chart
    # a control keeps its arrow keys: in a text field they move the caret, and the page stays
    page.evaluate("() => { const f = document.createElement('input'); f.id = 'probe'; f.value = 'abc'; "
                  "document.querySelector('[data-testid=stMain]').prepend(f); }")
    page.locator("#probe").focus()
    for key in ("ArrowRight", "ArrowLeft", "ArrowDown"):
        page.keyboard.press(key)
    page.wait_for_timeout(800)
    assert page.url.split("?")[0].endswith("/timeline")
    assert page.evaluate("() => document.activeElement.id") == "probe"

"""The attacker's view, in a real browser: hostile values go in through every way in, and a listener on
127.0.0.1 stands in for the outside host.

Ways in: the query parameters of every page (normal and briefing mode), a pasted and an uploaded release on
Add a release, and every text field of the saved sources, claims, places and incidents (the hostile dataset,
whose payloads all point at the listener). Then every page is opened in Chromium.

Pass means: no request reaches the listener; no link on the page points anywhere but the stored source
URLs (their quote fragments and archive copies) and the app itself; no text is styled by the input (no
image, bold, coloured text, icon or link made of it); and no page raises.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote, urlencode

import pytest
from hostile import RENDERED_MARKERS, make_hostile_dataset, payload
from test_browser import CHROMIUM, running_app, wait_idle
from test_hostile import allowed_links

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it)"),
]
PAGES = ["", "timeline", "who_says_what", "map", "sources", "add_release"]


class _Listener(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Listener.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    do_POST = do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", _Listener.hits
    server.shutdown()


@pytest.fixture(scope="module")
def hostile_app(listener: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    host, _ = listener
    data = make_hostile_dataset(tmp_path_factory.mktemp("listener") / "data", host=host)
    with running_app(data) as base:
        yield base, data


def _query(host: str, briefing: bool) -> str:
    values = {name: payload(host, f"q-{name}") for name in ("metric", "from", "to", "tier", "claimant", "place",
                                                            "chart", "x", "log", "incidents", "view", "day", "other")}
    values |= {"factor": "nan", "briefing": "1" if briefing else "0"}
    return urlencode(values)


# the page's own state, collected in the page: links, and any element whose whole text is what the input's markup makes
INSPECT = """(markers) => {
  const links = [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))
                 .filter(Boolean);
  const styled = [];
  const tags = 'img, strong, b, em, i, a, mark, code, span[style], span[class*="olor"], [data-testid*="Icon"], h1 h2';
  for (const el of document.querySelectorAll(tags)) {
    const text = (el.textContent || el.getAttribute('alt') || '').trim();
    if (markers.includes(text) && !el.closest('svg')) styled.push(el.tagName + ': ' + text);
  }
  const images = [...document.querySelectorAll('img')].map(i => i.getAttribute('src') || '')
                 .filter(src => !src.startsWith('data:') && !src.startsWith('/') && !src.startsWith(location.origin));
  const errors = [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.textContent.slice(0, 200));
  if (document.body.innerText.includes('This app has encountered an error')) errors.push('app error page');
  return {links, styled, images, errors};
}"""


def _allowed(href: str, base: str, stored: set[str]) -> bool:
    if href.startswith(("?", "#", "/")) or href.startswith(base):
        return True  # the app itself
    target = unquote(href).split("#:~:text=", 1)[0]
    wayback = target.split("/", 5)[-1] if target.startswith("https://web.archive.org/web/") else target
    return target in stored or wayback in stored or href in {quote(url, safe="/:?#@!$&*+,;=%-._~") for url in stored}


def _inspect(page, base: str, stored: set[str]) -> list[str]:  # noqa: ANN001
    found = page.evaluate(INSPECT, list(RENDERED_MARKERS))
    problems = [f"link to {href}" for href in found["links"] if not _allowed(href, base, stored)]
    problems += [f"styled by the input: {s}" for s in found["styled"]]
    problems += [f"image from {src}" for src in found["images"]]
    problems += [f"page raised: {e}" for e in found["errors"]]
    return problems


def _open(page, url: str) -> None:  # noqa: ANN001
    page.goto(url, wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=45_000)
    page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=45_000)  # hidden in briefing mode
    wait_idle(page, 500)  # images and late elements


def test_no_way_in_reaches_the_listener_or_styles_the_page(hostile_app: tuple, listener: tuple, page,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    base, data = hostile_app
    host, hits = listener
    stored = allowed_links(data)
    page.set_viewport_size({"width": 1366, "height": 900})
    problems: dict[str, list[str]] = {}
    for path in PAGES:
        for briefing in (False, True):
            url = f"{base}/{path}?{_query(host, briefing)}"
            _open(page, url)
            for expander in page.locator("[data-testid='stExpander'] summary").all():
                if expander.is_visible():  # the map's and the timeline's lists of claims
                    expander.click()
                    wait_idle(page)
            if found := _inspect(page, base, stored):
                problems[f"{path or 'overview'} briefing={briefing}"] = found
    # a pasted release and an uploaded one
    _open(page, f"{base}/add_release")
    release = f"URL: http://{host}/pasted\nTITLE: {payload(host, 'ptitle')}\nPUBLISHER: {payload(host, 'ppub')}\n" \
              f"DATE: 2099-01-01\n\nAt least 15 people were killed in Fixture City A. {payload(host, 'pasted')}"
    page.get_by_label("Release text").fill(release)
    page.keyboard.press("Control+Enter")
    page.get_by_text("2. Text-quality flags").wait_for(timeout=45_000)
    wait_idle(page)
    if found := _inspect(page, base, stored):
        problems["add_release pasted"] = found
    _open(page, f"{base}/add_release")
    page.get_by_role("tab", name="Upload a file").click()
    upload = tmp_path / "hostile.html"
    upload.write_text(f"<html><body><p>At least 15 people were killed.</p><p>{payload(host, 'uploaded')}</p>"
                      f"<img src='http://{host}/upload-img.gif'></body></html>", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("2. Text-quality flags").wait_for(timeout=45_000)
    wait_idle(page)
    if found := _inspect(page, base, stored):
        problems["add_release uploaded"] = found
    assert problems == {}, json.dumps(problems, indent=1)[:4000]
    assert hits == [], f"the browser reached the listener: {hits}"

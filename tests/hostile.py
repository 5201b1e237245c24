"""A hostile copy of the fixture dataset: Markdown images and links, Streamlit directives, HTML, script and
bare URLs in every text field of every file, all pointing at a host the test chooses (a listener there
counts requests in the browser tests; nothing listens on the default, 127.0.0.1:9).

Everything here is valid data (the validator accepts it): the point is that every page and chart shows
it as text. What validation refuses (a javascript: URL, a cell that starts like a formula, control
characters, bidirectional overrides) is tested on the validator and on the save path instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import VALID, set_cell

DEFAULT_HOST = "127.0.0.1:9"


def payload(host: str = DEFAULT_HOST, tag: str = "x") -> str:
    """Markup of every kind Streamlit's Markdown or Plotly could render, each reaching out to `host`."""
    return (f"![p](http://{host}/{tag}.gif) [Official update: click here](http://{host}/{tag}-phish) "
            f":red[OFFICIAL] :blue-background[{tag}] :material/warning: :streamlit: **bold** "
            f"<img src=http://{host}/{tag}-html.gif> <b onmouseover=alert(1)>b</b> <script>alert('{tag}')</script> "
            f"<a href=http://{host}/{tag}-a>a</a> http://{host}/{tag}-auto www.{tag}.example.org "
            f"mail{tag}@example.org $x^2$ [ref][1]")


def short_payload(host: str = DEFAULT_HOST, tag: str = "x") -> str:
    """The payload's worst parts, short enough for a name field (at most 200 characters)."""
    return (f"![p](http://{host}/{tag}.gif) [click here](http://{host}/{tag}-phish) :red[OFFICIAL] "
            f"<img src=http://{host}/{tag}-h.gif> www.{tag}.example.org")


# What the payload's markup renders as, whole: an element (bold, a link, coloured text) whose entire text is
# one of these was made of the input (the payload shown as text holds them only inside longer text)
RENDERED_MARKERS = ("OFFICIAL", "click here", "Official update: click here", "bold", "b", "a", "ref")

SCRIPT_TITLE = '<script>alert("title")</script><img src=x onerror=alert("img")> Fixture release one'
MARKDOWN_QUOTE = "[click here](javascript:alert('quote')) the ministry said 40 people were killed"
HTML_PUBLISHER = "<b onmouseover=alert(1)>Fixture NGO</b>"
FORMULA_NOTES = '-2+3+cmd|" /C calc"!A0'  # a formula: validation refuses it (test_validate), downloads neutralise it


def hostile_url(host: str, tag: str) -> str:
    """A valid http URL whose path carries Markdown that would close a link and open an image."""
    return f"http://{host}/{tag})![i](http://{host}/{tag}-url.gif)|x"


def make_hostile_dataset(target: Path, host: str = DEFAULT_HOST) -> Path:
    """The fixture dataset with a payload in every text field (see the module docstring)."""
    shutil.copytree(VALID, target)
    for row in range(2):
        set_cell(target, "sources.csv", row, "publisher", f"{HTML_PUBLISHER} {short_payload(host, f'p{row}')}")
        set_cell(target, "sources.csv", row, "title", f"{SCRIPT_TITLE} {payload(host, f't{row}')}"[:500])
        set_cell(target, "sources.csv", row, "notes", payload(host, f"srcnotes{row}"))
    set_cell(target, "sources.csv", 0, "url", hostile_url(host, "release"))
    for row in range(6):
        set_cell(target, "claims.csv", row, "claimant", short_payload(host, f"c{row}"))
        for column in ("relayed_by", "grade_rationale", "notes"):
            set_cell(target, "claims.csv", row, column, payload(host, f"{column}{row}"))
    # a quote is at most 40 words and must hold its figure: the payload's first half, then the words
    set_cell(target, "claims.csv", 0, "quote", MARKDOWN_QUOTE)
    set_cell(target, "claims.csv", 1, "quote", f"![p](http://{host}/quote.gif) :red[OFFICIAL] council members said "
                                                f"at least 300 were killed http://{host}/quote-auto")
    for row in range(2):
        set_cell(target, "places.csv", row, "name", f"Fixture place {row} ![p](http://{host}/place{row}.gif) "
                                                    f":red[OFFICIAL] www.place{row}.example.org")
        set_cell(target, "places.csv", row, "coord_source", payload(host, f"coord{row}"))
    set_cell(target, "incidents.csv", 0, "summary", f"<svg onload=alert('incident')> Fixture: fighting in City A. "
                                                    f"{payload(host, 'incident0')}")
    set_cell(target, "incidents.csv", 1, "summary", payload(host, "incident1"))
    return target

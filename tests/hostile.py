"""A hostile copy of the fixture dataset: HTML, script, markdown links and formulas in text fields.

Everything here is valid data (the validator accepts it): the point is that every page and chart
shows it as text. A javascript: URL cannot enter through the data (validation refuses it), so it
is tested directly on the link helpers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import VALID, set_cell

SCRIPT_TITLE = '<script>alert("title")</script><img src=x onerror=alert("img")> Fixture release one'
MARKDOWN_QUOTE = "[click here](javascript:alert('quote')) the ministry said 40 people were killed"
FORMULA_NOTES = '-2+3+cmd|" /C calc"!A0'  # starts with -, which validation allows: downloads neutralise it
HTML_PUBLISHER = "<b onmouseover=alert('pub')>Fixture NGO</b> **bold** _em_"


def make_hostile_dataset(target: Path) -> Path:
    shutil.copytree(VALID, target)
    set_cell(target, "sources.csv", 0, "title", SCRIPT_TITLE)
    set_cell(target, "sources.csv", 0, "publisher", HTML_PUBLISHER)
    set_cell(target, "claims.csv", 0, "quote", MARKDOWN_QUOTE)
    set_cell(target, "claims.csv", 0, "notes", FORMULA_NOTES)
    set_cell(target, "incidents.csv", 0, "summary", "<svg onload=alert('incident')> Fixture: fighting in City A.")
    return target

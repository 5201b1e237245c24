"""Briefing mode, for a projector: large type, controls hidden, and arrow keys that step through the charts
and pages. Its style and script are static files (static/briefing.css, static/briefing.js): no data goes
into either."""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlencode

import streamlit as st

from crisisboard.app import render
from crisisboard.app.style import STATIC, style_tag
from crisisboard.app.widgets import url_toggle
from crisisboard.claims.markup import app_link, literal

BRIEFING_PAGES = ("", "timeline", "who_says_what", "map")  # "": the default page (Overview) lives at the root


@lru_cache(maxsize=1)
def _static() -> tuple[str, str]:
    """The style and the script, read once per process."""
    script = (STATIC / "briefing.js").read_text(encoding="utf-8").replace("__PAGES__", json.dumps(list(BRIEFING_PAGES)))
    return style_tag("briefing.css"), f"<script>\n{script}</script>\n"


def briefing_mode() -> bool:
    """The projector mode: a sidebar toggle, or ?briefing=1 in the link."""
    with st.sidebar:
        return url_toggle("Briefing mode (projector)", "briefing", False,
                          help="Large type, high contrast, controls hidden; arrow keys step through the charts "
                               "and pages. Leave it with the link at the top of the page.")


def draw_briefing_chrome() -> None:
    style, script = _static()
    st.html(style)
    st.html(script, unsafe_allow_javascript=True)
    params = {**st.query_params.to_dict(), "briefing": "0"}
    render.markdown(app_link("Leave briefing mode", urlencode(params)) + literal(" · arrow keys: next chart / page"))

"""The app's own style sheet, drawn on every page: fixes for what axe-core finds in Streamlit's widgets
(static/app.css; docs/accessibility.md). No data goes into it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=4)
def style_tag(name: str) -> str:
    """The style sheet static/`name` as a <style> element, read once per process."""
    return f"<style>\n{(STATIC / name).read_text(encoding='utf-8')}</style>\n"


def draw_app_style() -> None:
    st.html(style_tag("app.css"))

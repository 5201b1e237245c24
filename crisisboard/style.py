"""The one Plotly template crisisboard uses, on screen and in exports.

``import streamlit`` replaces Plotly's default template with one whose colours are placeholders
(Kaleido then renders black charts). Every figure builder therefore sets this template
explicitly through :func:`apply_style`, and never relies on ``plotly.io.templates.default``.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
TEMPLATE_NAME = "crisisboard"


def _build_template() -> go.layout.Template:
    base = pio.templates["plotly_white"]
    template = go.layout.Template(base)
    template.layout.font = dict(family=FONT_FAMILY, size=14, color="#1a1a1a")
    template.layout.paper_bgcolor = "#ffffff"
    template.layout.plot_bgcolor = "#ffffff"
    template.layout.hoverlabel = dict(font=dict(family=FONT_FAMILY, size=13), align="left")
    return template


TEMPLATE = _build_template()
pio.templates[TEMPLATE_NAME] = TEMPLATE


def apply_style(fig: go.Figure) -> go.Figure:
    """Set crisisboard's template on `fig` (in place) and return it."""
    fig.update_layout(template=TEMPLATE)
    return fig

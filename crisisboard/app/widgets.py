"""Page controls whose value travels in the link (?param=value), and the other small widgets pages share."""

from __future__ import annotations

import math
from datetime import date
from typing import Callable

import streamlit as st

from crisisboard.app import render
from crisisboard.claims import markup
from crisisboard.claims.markup import md, text


def _seed_from_url(key: str, param: str, options: list[str], default: str) -> None:
    """Give a page control its value from the URL on first use, or keep its value if it is still valid."""
    if st.session_state.get(key) not in options:
        wanted = st.query_params.get(param, default)
        st.session_state[key] = wanted if wanted in options else default


def _mirror(param: str, value: str) -> None:
    if st.query_params.get(param) != value:
        st.query_params[param] = value


def url_choice(label: str, options: list[str], param: str, default: str,
               format_func: Callable[[str], str] = str) -> str:
    """A one-of-several choice (segmented buttons) kept in the URL as ?param=value."""
    key = f"choice_{param}"
    _seed_from_url(key, param, options, default)
    choice = render.segmented(label, options, format_func=format_func, key=key) or default
    _mirror(param, choice)
    return choice


def url_select(label: str, options: list[str], param: str, default: str,
               format_func: Callable[[str], str] = str) -> str:
    """A drop-down choice kept in the URL as ?param=value."""
    key = f"select_{param}"
    _seed_from_url(key, param, options, default)
    choice = st.selectbox(markup.label(label), options, key=key, format_func=format_func)
    _mirror(param, choice)
    return choice


def url_date(label: str, param: str, default: date, first: date, last: date) -> date:
    """A date picker kept in the URL as ?param=YYYY-MM-DD (clamped to first..last)."""
    key = f"date_{param}"
    current = st.session_state.get(key)
    if not isinstance(current, date) or not first <= current <= last:
        try:
            wanted = date.fromisoformat(st.query_params.get(param, ""))
        except ValueError:
            wanted = default
        st.session_state[key] = min(max(wanted, first), last)
    value = st.date_input(markup.label(label), key=key, min_value=first, max_value=last, format="YYYY-MM-DD")
    _mirror(param, value.isoformat())
    return value


def url_number(label: str, param: str, default: float, minimum: float, maximum: float, step: float) -> float:
    """A number kept in the URL as ?param=N: a finite number, clamped to minimum..maximum (a link with nan,
    inf or 1e308 gets the default and a notice); a value the browser sends outside the range is clamped too."""
    key = f"number_{param}"
    current = st.session_state.get(key)
    if not isinstance(current, (int, float)) or not math.isfinite(current) or not minimum <= current <= maximum:
        if current is None:  # first use in this session: from the link
            raw = st.query_params.get(param)
            try:
                wanted = float(raw) if raw is not None else default
            except ValueError:
                wanted = math.nan
            if not math.isfinite(wanted):
                render.warning(md("Ignored '{param}={raw}' in the link: not a finite number.", param=param, raw=raw))
                wanted = default
            elif not minimum <= wanted <= maximum:
                render.warning(md("'{param}={raw}' in the link is outside {low:g}–{high:g}: using {used:g}.",
                                  param=param, raw=raw, low=minimum, high=maximum,
                                  used=min(max(wanted, minimum), maximum)))
        else:
            wanted = current if isinstance(current, (int, float)) and math.isfinite(current) else default
        st.session_state[key] = min(max(wanted, minimum), maximum)
    value = st.number_input(markup.label(label), key=key, min_value=minimum, max_value=maximum, step=step)
    if not math.isfinite(value) or not minimum <= value <= maximum:  # a crafted value from the browser
        value = default
    _mirror(param, f"{value:g}")
    return value


def page_number(label: str, pages: int, key: str, where: object | None = None) -> int:
    """A page number from 1 to `pages`. Held as a float widget: a crafted NaN or huge value from the browser
    (which an integer number_input cannot even read) is clamped, not raised."""
    if pages <= 1:
        return 1
    value = (where or st).number_input(markup.label(label), min_value=1.0, max_value=float(pages), value=1.0,
                                       step=1.0, format="%.0f", key=key)
    return int(min(max(value, 1), pages)) if isinstance(value, (int, float)) and math.isfinite(value) else 1


def url_toggle(label: str, param: str, default: bool, help: str | None = None) -> bool:  # noqa: A002
    """An on/off switch kept in the URL as ?param=1 or ?param=0."""
    key = f"toggle_{param}"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "1" if default else "0") == "1"
    value = st.toggle(markup.label(label), key=key, help=text(help) if help else None)
    _mirror(param, "1" if value else "0")
    return value


def selected_ids(event: object) -> list[str]:
    """The customdata (claim ids) of the points selected in a chart drawn with on_select="rerun"."""
    selection = getattr(event, "selection", None) or {}
    points = selection.get("points", []) if isinstance(selection, dict) else getattr(selection, "points", [])
    ids = []
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, (list, tuple)) else custom
        if isinstance(value, str) and value not in ids:
            ids.append(value)
    return ids

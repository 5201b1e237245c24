"""Every piece of Markdown the app draws goes through here, and only as crisisboard.claims.markup.Markdown.

Streamlit renders Markdown in text elements, alerts and labels. A plain ``str`` handed to one of these
functions raises TypeError, so text from a URL, an upload, a pasted release or the data cannot reach
the page unescaped by mistake: it must be built with :mod:`crisisboard.claims.markup` (``text``, ``md``,
``link``) first. A test checks that pages and the glue call these functions, never ``st.markdown``,
``st.caption``, ``st.info`` and the like directly.
"""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from crisisboard.claims.html import Html
from crisisboard.claims.markup import Markdown, text


def checked(body: object) -> Markdown:
    """`body` if it is Markdown built by crisisboard.claims.markup, else TypeError naming what was passed."""
    if not isinstance(body, Markdown):
        raise TypeError(f"{type(body).__name__} {str(body)[:80]!r} is not escaped: build it with "
                        "crisisboard.claims.markup (text, md, link, literal) before drawing it")
    return body


def _drawer(method: str) -> Callable[..., None]:
    """``st.<method>(body)`` (or on the container `where`) of Markdown that :func:`checked` accepts."""
    def draw(body: Markdown, where: Any | None = None) -> None:
        getattr(st if where is None else where, method)(checked(body))

    draw.__name__ = draw.__qualname__ = method
    draw.__doc__ = f"``st.{method}`` of escaped Markdown only (on `where`, a container, when given)."
    return draw


markdown = _drawer("markdown")
caption = _drawer("caption")
info = _drawer("info")
warning = _drawer("warning")
error = _drawer("error")
success = _drawer("success")
title = _drawer("title")
header = _drawer("header")
subheader = _drawer("subheader")


def html(body: Html, where: Any | None = None) -> None:
    """``st.html`` of HTML built by crisisboard.claims.html (every value escaped) only: TypeError otherwise."""
    if not isinstance(body, Html):
        raise TypeError(f"{type(body).__name__} {str(body)[:80]!r} is not built by crisisboard.claims.html")
    (st if where is None else where).html(body)


def segmented(label: str, options: list[str], format_func: Callable[[str], str] = str, **kwargs: Any) -> Any:
    """``st.segmented_control`` whose button labels (Markdown) are the escaped text of `format_func`."""
    return st.segmented_control(label, options, format_func=lambda option: text(format_func(option)), **kwargs)

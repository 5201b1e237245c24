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

from crisisboard.claims.markup import Markdown, text


def checked(body: object) -> Markdown:
    """`body` if it is Markdown built by crisisboard.claims.markup, else TypeError naming what was passed."""
    if not isinstance(body, Markdown):
        raise TypeError(f"{type(body).__name__} {str(body)[:80]!r} is not escaped: build it with "
                        "crisisboard.claims.markup (text, md, link, literal) before drawing it")
    return body


def _on(where: Any | None) -> Any:
    return st if where is None else where


def markdown(body: Markdown, where: Any | None = None) -> None:
    _on(where).markdown(checked(body))


def caption(body: Markdown, where: Any | None = None) -> None:
    _on(where).caption(checked(body))


def info(body: Markdown, where: Any | None = None) -> None:
    _on(where).info(checked(body))


def warning(body: Markdown, where: Any | None = None) -> None:
    _on(where).warning(checked(body))


def error(body: Markdown, where: Any | None = None) -> None:
    _on(where).error(checked(body))


def success(body: Markdown, where: Any | None = None) -> None:
    _on(where).success(checked(body))


def title(body: Markdown, where: Any | None = None) -> None:
    _on(where).title(checked(body))


def header(body: Markdown, where: Any | None = None) -> None:
    _on(where).header(checked(body))


def subheader(body: Markdown, where: Any | None = None) -> None:
    _on(where).subheader(checked(body))


def segmented(label: str, options: list[str], format_func: Callable[[str], str] = str, **kwargs: Any) -> Any:
    """``st.segmented_control`` whose button labels (Markdown) are the escaped text of `format_func`."""
    return st.segmented_control(label, options, format_func=lambda option: text(format_func(option)), **kwargs)

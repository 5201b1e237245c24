"""The one rule for text: anything that comes from a URL, an upload, a pasted text or a data file is
shown as text, never as markup.

Streamlit renders Markdown in ``st.markdown``, captions, alerts, widget and container labels, help
texts, radio and segmented-control options and table cells. Its Markdown is GitHub's plus Streamlit's
own directives (``:red[...]``, ``:material/icon:``, ``:streamlit:``, ``$LaTeX$``), and GitHub's
autolinks turn a bare ``http://…``, ``www.…`` or e-mail address into a link even when its punctuation is
escaped. Plotly renders a few HTML tags (``<b>``, ``<br>``, ``<a href>``) in hovers, labels and titles.

So the app builds every such string from :class:`Markdown` values, which only this module makes:

- :func:`text` escapes a value: every ASCII punctuation character gets a backslash, and an invisible
  WORD JOINER (U+2060) breaks the patterns that Markdown resolves after escapes (autolinks, shortcodes);
- :func:`literal` marks a string written in the code as Markdown (a test checks that it is only ever
  called with a string literal);
- :func:`md` fills a literal template with values, escaping each value that is not Markdown already;
- :func:`link` makes a link from a URL field only: http(s), percent-encoded, with its host shown beside
  the label; :func:`app_link` links to the app itself (a query string, never another host).

Nothing here ever makes an image. :func:`plain` does the same job for Plotly (HTML-escaped text).
"""

from __future__ import annotations

import html
import re
from typing import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

import pandas as pd

WORD_JOINER = "\u2060"
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# patterns that Markdown resolves on text after escapes: GitHub autolinks (scheme://, www., e-mail)
# and Streamlit's :shortcode: emoji and icons. A word joiner inside each breaks it, invisibly.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=(?<![\w.])www)(?=\.)|(?<=[\w.+-])(?=@[\w-])|(?<=:)(?=[\w+-]+:)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class Markdown(str):
    """Markdown that is safe to render: text escaped by :func:`text`, or written in the code.

    Only this module makes one; joining two Markdown values with ``+`` keeps the type.
    """

    __slots__ = ()

    def __add__(self, other: str) -> "Markdown":
        return Markdown(str.__add__(self, other if isinstance(other, Markdown) else text(other)))

    def __radd__(self, other: str) -> "Markdown":
        return Markdown(str.__add__(other if isinstance(other, Markdown) else text(other), self))


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def text(value: object, *, lines: bool = False) -> Markdown:
    """`value` as text that Markdown shows exactly as it is (with `lines`, line breaks kept as breaks;
    by default a line break becomes a space, so a value cannot start a heading, list or quote)."""
    if isinstance(value, Markdown):
        return value
    raw = _BIDI_CONTROLS.sub("", _as_text(value))
    parts = raw.splitlines() if lines else [_LINE_BREAKS.sub(" ", raw)]
    escaped = [_PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, part)) for part in parts]
    return Markdown("  \n".join(escaped))


# what can start Markdown inside a widget label (emphasis, code, links and directives, strikethrough, LaTeX, HTML,
# tables, headings, escapes), and a list marker at its start
_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]~$<>|#])")
_LABEL_START = re.compile(r"^(\s*\d*)([-+=.)])")


def label(value: object) -> Markdown:
    """A widget's label as text, escaping only what can make Markdown in a label.

    Streamlit also gives the label's source, raw, to screen readers as the control's name (``aria-label``):
    :func:`text` would have them read "Briefing mode backslash (projector backslash)". Here ordinary
    punctuation stays as it is; autolinks and shortcodes are broken by a word joiner as in :func:`text`."""
    if isinstance(value, Markdown):
        return value
    raw = _LINE_BREAKS.sub(" ", _BIDI_CONTROLS.sub("", _as_text(value)))
    escaped = _LABEL_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, raw))
    return Markdown(_LABEL_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped))


def literal(markdown: str) -> Markdown:
    """Markdown written in the code (a constant, never data: a test checks every call's argument)."""
    return Markdown(markdown)


def md(template: str, /, **values: object) -> Markdown:
    """`template` (Markdown written in the code) with ``{name}`` fields filled by escaped `values`
    (values that are Markdown already are kept as they are). Format specs work as in str.format:
    ``md("{n:,} claims", n=1200)``."""
    escaped = {}
    for name, value in values.items():
        escaped[name] = value if isinstance(value, (Markdown, int, float)) else text(value)
    formatted = template.format(**escaped)
    return Markdown(formatted)


def join(parts: Iterable[object], separator: str = "") -> Markdown:
    """Parts joined by `separator` (Markdown written in the code); text parts are escaped."""
    return Markdown(separator.join(text(part) for part in parts))


def bold(value: object) -> Markdown:
    return Markdown(f"**{text(value)}**") if _as_text(value) else Markdown("")


def italic(value: object) -> Markdown:
    return Markdown(f"*{text(value)}*") if _as_text(value) else Markdown("")


def as_read(markdown: str) -> str:
    """The text a reader sees of Markdown made here, its formatting aside: escapes and word joiners removed
    (for checks that compare what a page says, such as the load test's captions)."""
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")


# --- links ---------------------------------------------------------------------------------------

def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL with a host and no spaces, quotes or angle brackets,
    else None."""
    if not isinstance(url, str) or not url or re.search(r"[\s\"'<>\\]", url) or _BIDI_CONTROLS.search(url):
        return None
    try:
        parsed = urlsplit(url)
        port = parsed.port  # noqa: F841 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        return None
    return url


def link_target(url: str) -> str:
    """A URL as a Markdown link destination: characters Markdown or a table would read (parentheses,
    pipes, brackets, backslashes) and any non-ASCII are percent-encoded; the host is IDNA-encoded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username or parts.password:  # never shown: a link is to a host, not to an account
        netloc = host + (f":{parts.port}" if parts.port else "")
    keep = "/:@!$&*+,;=%-._~?"
    return urlunsplit((parts.scheme.lower(), netloc, quote(parts.path, safe=keep), quote(parts.query, safe=keep),
                       quote(parts.fragment, safe=keep)))


def host_of(url: str) -> str:
    """The host a link points to, as a reader recognises it (``hrw.org``)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def link(label: object, url: object) -> Markdown:
    """A link to a URL from a URL field, with its host beside the label: ``[HRW release](…) (hrw.org)``.
    A URL that is not http(s) gives the label as text, with no link."""
    checked = safe_url(url)
    if checked is None:
        return text(label)
    return Markdown(f"[{text(label)}]({link_target(checked)}) ({text(host_of(checked))})")


def app_link(label: object, query: str) -> Markdown:
    """A link to this app itself: `query` is a query string (``briefing=0&metric=killed``), made by
    urlencode; anything that could leave the app (a scheme, a host, a path) is refused."""
    if re.search(r"[\s()<>\[\]\\`\"']|^[/:]|//", query) or ":" in query.split("?", 1)[0].split("&", 1)[0][:0]:
        raise ValueError(f"not a query string of this app: {query!r}")
    return Markdown(f"[{text(label)}](?{query})")


# --- Plotly -----------------------------------------------------------------------------------------

def plain(value: object) -> str:
    """Text made inert for Plotly labels, hovers and titles, which render a few HTML tags."""
    return html.escape(_BIDI_CONTROLS.sub("", _as_text(value)))

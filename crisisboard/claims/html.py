"""HTML the app draws itself, for what Markdown cannot say: the language of a quote (``lang``) and a data table
a keyboard can scroll.

The same rule as :mod:`crisisboard.claims.markup`: every value is escaped by ``markup.plain`` (``html.escape``,
bidi controls removed), attribute values are codes the data's validation restricts (ISO 639-1 languages) or
written in the code, and links are made only from URLs :func:`crisisboard.claims.markup.safe_url` accepts.
Only this module makes an :class:`Html`; ``crisisboard.app.render.html`` draws nothing else.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import pandas as pd

from crisisboard.claims.markup import plain
from crisisboard.claims.markup import safe_url

_LANG = re.compile(r"[a-z]{2,3}")
RTL = {"ar", "fa", "he", "ur", "ps", "yi"}  # written right to left: the quote gets dir="rtl"


class Html(str):
    """HTML built by this module: values escaped, attributes checked."""

    __slots__ = ()


def lang_attributes(language: object) -> str:
    """` lang="ru"` (and ` dir="rtl"` for a right-to-left script) for an ISO 639 code; nothing for anything else."""
    code = str(language or "").strip().lower()
    if not _LANG.fullmatch(code):
        return ""
    return f' lang="{code}"' + (' dir="rtl"' if code in RTL else "")


def quote_block(quote: str, language: str) -> Html:
    """A claim's quote as a block quotation marked with the language it is written in."""
    return Html(f'<blockquote class="crisisboard-quote"{lang_attributes(language)}>{plain(quote)}</blockquote>')


def _cell(value: object, column: str, links: set[str], language: str, lang_columns: set[str],
          cards: Callable[[str], str] | None = None) -> str:
    if column in links:
        url = safe_url(str(value or ""))
        return f'<td><a href="{plain(url)}" rel="noopener noreferrer" target="_blank">open release</a></td>' \
            if url else "<td></td>"
    if cards is not None and column == "Claim id" and str(value or ""):
        return f'<td><a href="{plain(cards(str(value)))}">{plain(value)}</a></td>'
    return f"<td{lang_attributes(language) if column in lang_columns else ''}>{plain(value)}</td>"


def data_table(table: pd.DataFrame, caption: str, languages: Iterable[str], links: Iterable[str] = ("URL",),
               lang_columns: Iterable[str] = ("Quote", "Figure as stated"),
               cards: Callable[[str], str] | None = None) -> Html:
    """`table` as an HTML table in a scrolling region that takes keyboard focus (Tab to it, then the arrow keys
    scroll), its caption read first by screen readers, the cells of `lang_columns` (the text of a release: its
    quote and worded figure) marked with `languages` (one code per row; "" for none); `cards`, when given, makes
    each "Claim id" a link to the address it gives for the claim's card (a published edition's card pages)."""
    links, lang_columns = set(links), set(lang_columns)
    columns = list(table.columns)
    head = "".join(f'<th scope="col">{plain(c)}</th>' for c in columns)
    rows = []
    for language, values in zip(languages, table.itertuples(index=False, name=None)):
        rows.append("<tr>" + "".join(_cell(v, c, links, language, lang_columns, cards)
                                     for c, v in zip(columns, values)) + "</tr>")
    return Html(f'<div class="crisisboard-data" role="region" tabindex="0" aria-label="{plain(caption)}">'
                f"<table><caption>{plain(caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></div>")

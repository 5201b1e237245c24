"""crisisboard.claims.html: the HTML the app writes itself (a quote with its language, the data behind a chart)
escapes every value and lets no value into an attribute but a language code and a checked URL."""

from __future__ import annotations

import pandas as pd

from crisisboard.claims.html import data_table, lang_attributes, quote_block


def test_a_quote_is_marked_with_its_language_and_direction() -> None:
    assert quote_block("около двух тысяч", "ru") == \
        '<blockquote class="crisisboard-quote" lang="ru">около двух тысяч</blockquote>'
    assert 'lang="ar" dir="rtl"' in quote_block("قتل", "ar")
    assert 'lang="ur" dir="rtl"' in quote_block("ہلاک", "ur")


def test_hostile_values_stay_text() -> None:
    block = quote_block('<script>alert(1)</script> "x" \u202eevil', 'en" onmouseover="alert(1)')
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "onmouseover" not in block and "lang=" not in block  # not a language code: no attribute at all
    assert "\u202e" not in block
    assert lang_attributes("EN") == ' lang="en"' and lang_attributes("") == "" and lang_attributes(None) == ""


def test_the_table_escapes_cells_links_only_http_and_marks_quote_languages() -> None:
    table = pd.DataFrame({"Quote": ["<b>bold</b>", "тысячи"], "URL": ["javascript:alert(1)", "https://e.org/a?b=1&c=2"],
                          "Claimed by": ["A & B", "C"]})
    out = data_table(table, "Data behind <this> chart", ["en", "ru"])
    assert "<b>bold</b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "javascript:" not in out and 'href="https://e.org/a?b=1&amp;c=2"' in out
    assert '<td lang="ru">тысячи</td>' in out and '<td lang="en">&lt;b&gt;' in out
    assert "<td>A &amp; B</td>" in out  # a column that is not text of the release carries no lang
    assert 'aria-label="Data behind &lt;this&gt; chart"' in out and 'tabindex="0"' in out and 'role="region"' in out

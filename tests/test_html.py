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


def _proposal(kind: str, payload: dict):  # noqa: ANN202
    import json

    from crisisboard.data.review import Proposal

    return Proposal("p-1", kind, "c-1", "summary", json.dumps(payload), "ana", "2026-12-03T10:00:00Z", "why")


def test_a_proposal_diff_escapes_pasted_text_and_marks_its_language() -> None:
    """The Review page's diff holds pasted text (issue #19): shown as text, its quote in the release's language."""
    from crisisboard.claims.proposals import diff_languages, proposal_diff

    release = _proposal("release", {"source": {"language": "ru"}, "claims": [
        {"figure_text": "около 200", "metric": "killed", "claimant": "**x**", "as_of": "2010-06-12",
         "source_reliability": "B", "info_credibility": "2", "quote": "<img src=x onerror=alert(1)> около 200"}]})
    diff = proposal_diff(release, None)
    languages, columns = diff_languages(release, diff, None, {})
    out = data_table(diff, "What p-1 would change", languages, links=(), lang_columns=columns)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert '<td lang="ru">около 200</td>' in out and "<td>**x**</td>" in out
    edit = _proposal("edit", {"fields": {"quote": "около 300", "grade_rationale": "why not"}})
    current = {"source_id": "s-1", "quote": "около 200"}
    diff = proposal_diff(edit, current)
    languages, columns = diff_languages(edit, diff, current, {"s-1": "ru"})
    out = data_table(diff, "p", languages, links=(), lang_columns=columns)
    assert '<td lang="ru">около 300</td>' in out and '<td lang="ru">около 200</td>' in out
    assert "<td>why not</td>" in out  # the rationale is the analyst's English, not the release's text

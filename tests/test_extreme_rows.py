"""Nothing that validation accepts can take a page down.

Hypothesis generates valid-shaped extreme releases and claims (figures from 0 to the bound, long and short
texts in any script, emoji and combining marks, empty optional fields, dates at the ends of the range),
saves them through the store, and runs every page through the router: each page draws, or shows the
banner of the last version that drew, and never raises.
"""

from __future__ import annotations

import shutil
import string
from datetime import date, timedelta

import pytest
from conftest import PROJECT, VALID
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from crisisboard.data import schema
from crisisboard.data.store import SaveError, append_release
from crisisboard.ingest.intake import source_row

PAGES = ["pages/overview.py", "pages/timeline.py", "pages/who_says_what.py", "pages/map.py", "pages/sources.py",
         "pages/add_release.py"]
TODAY = date.today()

# any printable text of any script, but what validation refuses: controls, bidi overrides, surrogates
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
                       blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x85\u2028\u2029")
_SCRIPTS = st.sampled_from(["Ош", "Жалал-Абад", "أوش", "اوش", "Ōš", "👩‍👧", "e\u0301", "𝔘", "ǅ", "日本", "  ",
                            "x" * 60])


def _free_text(max_size: int) -> st.SearchStrategy[str]:
    words = st.one_of(st.text(_CHARS, min_size=1, max_size=12), _SCRIPTS)
    return st.lists(words, min_size=1, max_size=8).map(" ".join).map(lambda s: s[:max_size]).filter(
        lambda s: s.strip() != "" and not s.startswith(schema.FORMULA_START) and not s[0].isspace())


@st.composite
def claims(draw: st.DrawFn) -> dict[str, str]:
    value = draw(st.one_of(st.integers(0, 20), st.integers(0, schema.MAX_FIGURE), st.just(schema.MAX_FIGURE)))
    qualifier = draw(st.sampled_from(schema.QUALIFIERS))
    figure = draw(st.sampled_from([f"{value:,}", str(value), f"{value:,}".replace(",", "\u00a0")]))
    low = "" if qualifier in ("up_to", "fewer_than", "vague") else str(value)
    high = "" if qualifier in ("at_least", "more_than", "vague") else str(value)
    vague = draw(st.sampled_from(schema.VAGUE_TERMS)) if qualifier == "vague" else ""
    if qualifier == "vague":
        figure = vague.replace("_", " ")
    before, after = draw(_free_text(80)), draw(_free_text(80))
    quote = " ".join(f"{before} {figure} {after}".split()[:40])
    assume(figure in quote)
    as_of = date(2010, 1, 1) + timedelta(days=draw(st.integers(0, (TODAY - date(2010, 1, 1)).days)))
    scope, notes = draw(st.sampled_from(schema.SCOPES)), draw(st.one_of(st.just(""), _free_text(2000)))
    if scope == "partial" and not notes.strip():
        notes = "One town only."  # a partial claim says which part (rules.py partial_says_which_part)
    return {
        "statement_id": "st-" + draw(st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=60)),
        "quote": quote, "figure_text": figure, "metric": draw(st.sampled_from(schema.METRICS)),
        "population": draw(st.sampled_from(schema.POPULATIONS)), "low": low, "high": high, "qualifier": qualifier,
        "vague_term": vague,
        "as_of": as_of.isoformat() + draw(st.sampled_from(["", "T00:00", "T23:59"])),
        "as_of_precision": draw(st.sampled_from(schema.AS_OF_PRECISION)),
        "place_id": draw(st.sampled_from(["city-a", "region-b"])), "claimant": draw(_free_text(200)),
        "claimant_type": draw(st.sampled_from(schema.CLAIMANT_TYPES)),
        "relayed_by": draw(st.one_of(st.just(""), _free_text(600))),
        "status_in_text": draw(st.sampled_from(schema.STATUSES)),
        "claim_kind": draw(st.sampled_from(schema.CLAIM_KINDS)), "scope": scope,
        "source_reliability": draw(st.sampled_from(schema.RELIABILITY)),
        "info_credibility": draw(st.sampled_from(schema.CREDIBILITY)),
        "grade_rationale": draw(_free_text(600)), "notes": notes,
    }


@st.composite
def releases(draw: st.DrawFn) -> tuple[dict[str, str], list[dict[str, str]]]:
    published = date(2010, 1, 1) + timedelta(days=draw(st.integers(0, (TODAY - date(2010, 1, 1)).days)))
    path = draw(st.text(string.ascii_letters + string.digits + "-._~()!*'%", min_size=0, max_size=200))
    source = source_row(f"https://example.org/{path}", draw(_free_text(200)),
                        draw(st.sampled_from(schema.PUBLISHER_TYPES)), draw(_free_text(500)), published,
                        draw(st.sampled_from(schema.PRECISION_PUBLISHED)), draw(st.sampled_from(["en", "ru", "ar"])),
                        draw(st.one_of(st.just(""), _free_text(2000))))
    rows = draw(st.lists(claims(), min_size=1, max_size=3))
    # one statement per row: rows sharing an id must share metric and claimant, which random rows rarely do
    return source, [{**row, "statement_id": f"{row['statement_id'][:60]}-{i}"} for i, row in enumerate(rows)]


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(release=releases())
def test_every_page_draws_any_release_validation_accepts(release: tuple, tmp_path_factory: pytest.TempPathFactory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path_factory.mktemp("extreme") / "data"
    shutil.copytree(VALID, data)
    monkeypatch.setenv("CRISISBOARD_DATA", str(data))
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60).run()  # the fixture draws first
    assert not at.exception
    source, rows = release
    try:
        append_release(data, source, rows)
    except SaveError as error:  # the generator aims at valid rows; what it missed is refused, not saved
        note(str(error))
        assume(False)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert at.title or at.warning, page  # drew its frame, or the banner of the last version that drew

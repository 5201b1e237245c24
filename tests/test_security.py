"""Each attack of the security review, reproduced: a crafted link, a pasted release, saved data, a figure
validation accepted, source ids, header dates, formulas, numbers in links, file modes, backups, the
banner, UTF-16 uploads and a crafted page number. Each test failed on the code before the fix."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow
import pytest
from conftest import PROJECT, VALID, shown
from streamlit.testing.v1 import AppTest
from test_hostile import allowed_links, page_texts, unescaped_markup

from crisisboard.claims.tables import download_csv
from crisisboard.data.load import load_dataset
from crisisboard.data.store import BACKUPS_KEPT, SaveError, append_release
from crisisboard.export.pack import sources_list
from crisisboard.ingest.intake import read_upload, source_row

HOST = "127.0.0.1:9"
LINK_ATTACK = f"![x](http://{HOST}/pixel.gif) [Official update: click here](http://{HOST}/phish)"
PUBLISHER_ATTACK = f"[Verified by UN OCHA](http://{HOST}/phish3) ![p](http://{HOST}/footer.gif) :red[OFFICIAL]"
CLAIM = {"statement_id": "st-fx-security", "quote": "At least 15 people were killed in Fixture City A",
         "figure_text": "At least 15", "metric": "killed", "population": "all", "low": "15", "high": "",
         "qualifier": "at_least", "vague_term": "", "as_of": "2010-06-12", "as_of_precision": "exact",
         "place_id": "city-a", "claimant": "unknown", "claimant_type": "unknown", "relayed_by": "",
         "status_in_text": "reported", "claim_kind": "cumulative", "source_reliability": "F", "info_credibility": "6",
         "scope": "crisis", "grade_rationale": "Not yet graded.", "notes": ""}


def _source(**override: object) -> dict[str, str]:
    values = dict(url="https://example.org/r", publisher="Fixture Paper", publisher_type="media",
                  title="A release", published=date(2010, 6, 13), published_precision="exact", language="en", notes="")
    values.update(override)
    return source_row(**values)


def _files(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file() and p.suffix == ".csv"}


def _app(page: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    monkeypatch.setenv("CRISISBOARD_DATA", str(data_dir))
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


# 1. a crafted link --------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/who_says_what.py"])
def test_1_a_crafted_link_shows_its_value_as_text(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                  page: str) -> None:
    at = _app(page, dataset_copy, monkeypatch, metric=LINK_ATTACK)
    notices = [w.value for w in at.warning if "Ignored 'metric=" in shown(w.value)]
    assert notices and LINK_ATTACK in shown(notices[0])  # said, word for word
    assert unescaped_markup(notices[0], set()) == []  # and as text: no image, no link


# 2. a pasted release ------------------------------------------------------------------------------------

@pytest.mark.parametrize("ending", [f'<img src="http://{HOST}/html.gif">',
                                    f"![p](http://{HOST}/md.gif) :red[x] and then"])
def test_2_a_pasted_release_is_quoted_as_text_in_its_flags(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                           ending: str) -> None:
    at = _app("pages/add_release.py", dataset_copy, monkeypatch)
    at.text_area(key="release_text").set_value(f"At least 15 people were killed in Fixture City A and {ending}").run()
    assert not at.exception
    truncated = [w.value for w in at.warning if "truncated" in w.value]
    assert truncated and ending in shown(truncated[0])
    assert all(unescaped_markup(text, allowed_links(dataset_copy)) == [] for text in page_texts(at))


# 3. saved data ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/who_says_what.py", "pages/map.py",
                                  "pages/sources.py", "pages/add_release.py"])
def test_3_a_saved_publisher_is_text_in_every_footer(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                     page: str) -> None:
    append_release(dataset_copy, _source(publisher=PUBLISHER_ATTACK), [CLAIM])
    at = _app(page, dataset_copy, monkeypatch)
    assert not at.exception
    footer = [c.value for c in at.caption if "Sources:" in shown(c.value)]
    assert footer and "Verified by UN OCHA" in shown(footer[0])
    allowed = allowed_links(dataset_copy)
    assert {text[:60]: found for text in page_texts(at) if (found := unescaped_markup(text, allowed))} == {}


# 4. a figure validation accepted ------------------------------------------------------------------------

def test_4_a_figure_beyond_the_bound_or_not_in_the_words_is_refused(dataset_copy: Path) -> None:
    before = _files(dataset_copy)
    for low, rule in (("99999999999999999999999", "must be a whole number from 0 to 10,000,000,000"),
                      ("16", "low and high must be numbers the figure_text or the quote says")):
        with pytest.raises(SaveError) as caught:
            append_release(dataset_copy, _source(), [{**CLAIM, "low": low}])
        assert any(p.file == "claims.csv" and p.field == "low" and rule in p.message for p in caught.value.problems), \
            [str(p) for p in caught.value.problems]
    assert _files(dataset_copy) == before


def test_4_valid_data_that_cannot_be_typed_keeps_the_last_version(dataset_copy: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("pages/overview.py", dataset_copy, monkeypatch)
    assert "**40**, Fixture Ministry" in "\n".join(m.value for m in at.markdown)
    append_release(dataset_copy, _source(), [CLAIM])  # a new version, valid

    def breaks(*args: object, **kwargs: object) -> None:
        raise pyarrow.ArrowInvalid("Failed to parse string as a scalar of type int64")

    monkeypatch.setattr("crisisboard.data.load._typed_claims", breaks)
    at.run()
    assert not at.exception
    assert any("could not be loaded (ArrowInvalid)" in shown(w.value) for w in at.warning)
    assert "**40**, Fixture Ministry" in "\n".join(m.value for m in at.markdown)  # the last version still shows
    assert str(dataset_copy) not in " ".join(w.value for w in at.warning)


def test_4_valid_data_that_cannot_be_drawn_keeps_the_last_version(dataset_copy: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app("dashboard.py", dataset_copy, monkeypatch)
    first = load_dataset(dataset_copy).version
    append_release(dataset_copy, _source(), [CLAIM])
    import crisisboard.charts.views as views

    drawn = views.build_overview_figure

    def breaks_on_new_data(claims: pd.DataFrame, *args: object, **kwargs: object) -> object:
        if len(claims) > 6:
            raise ValueError("a chart this data breaks")
        return drawn(claims, *args, **kwargs)

    monkeypatch.setattr(views, "build_overview_figure", breaks_on_new_data)
    at.run()
    assert not at.exception
    assert any("could not be drawn (ValueError)" in shown(w.value) and first in w.value for w in at.warning)
    assert at.get("plotly_chart")  # the chart of the last version that drew


# 5. source ids ------------------------------------------------------------------------------------------

def test_5_ids_never_collide_and_a_stored_url_with_other_fields_is_refused(dataset_copy: Path) -> None:
    long_title = "UNHCR steps up aid to refugees in Uzbekistan as numbers rise, briefing notes, Geneva"
    first = _source(publisher="UNHCR", title=long_title + " 15 June", url="https://example.org/unhcr-15")
    second = _source(publisher="UNHCR", title=long_title + " 22 June", url="https://example.org/unhcr-22")
    assert first["source_id"] != second["source_id"] and len(first["source_id"]) <= 64
    russian = [_source(publisher=name, title="Беспорядки в Оше", url=f"https://example.org/{i}")["source_id"]
               for i, name in enumerate(("Фергана.ру", "АКИpress"))]
    assert russian[0] != russian[1] and russian[0].startswith("fergana-ru-2010-06-13")
    assert append_release(dataset_copy, first, [CLAIM]).source_added
    assert append_release(dataset_copy, second, [{**CLAIM, "quote": CLAIM["quote"] + "."}]).source_added
    before = _files(dataset_copy)
    stored = "https://example.org/release-1"  # Fixture NGO's release
    with pytest.raises(SaveError, match="already has this URL as source fx-ngo-1, with publisher 'Fixture NGO'"):
        append_release(dataset_copy, _source(url=stored, publisher="Anonymous blog"),
                       [{**CLAIM, "quote": "At least 900 killed", "figure_text": "At least 900", "low": "900"}])
    assert _files(dataset_copy) == before


# 6. a header date outside the picker's range ------------------------------------------------------------

@pytest.mark.parametrize("day", ["2099-01-01", "1999-12-31"])
def test_6_a_header_date_out_of_range_is_a_problem_to_correct(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                              day: str) -> None:
    at = _app("pages/add_release.py", dataset_copy, monkeypatch)
    at.text_area(key="release_text").set_value(f"URL: https://example.org/x\nDATE: {day}\n\nAt least 15 were killed.")
    at.run()
    assert not at.exception
    assert any(f"The DATE line says {day}" in shown(w.value) for w in at.warning)
    picked = at.date_input(key="meta_published").value
    assert date(2010, 1, 1) <= picked <= date.today()


# 7. formulas --------------------------------------------------------------------------------------------

def test_7_a_leading_minus_formula_is_refused_and_every_download_is_neutralised(dataset_copy: Path) -> None:
    formula = "-2+3+cmd|' /C calc'!A0"
    with pytest.raises(SaveError) as caught:
        append_release(dataset_copy, _source(publisher=formula), [CLAIM])
    assert any(p.field == "publisher" and "must not start with =, +, - or @" in p.message
               for p in caught.value.problems)
    claims = load_dataset(VALID).claims.copy()
    claims["publisher"] = claims["publisher"].cat.add_categories([formula])
    claims.loc[claims.index[0], "publisher"] = formula
    rows = list(csv.DictReader(io.StringIO(download_csv(sources_list(claims)).decode("utf-8-sig"))))
    assert "'" + formula in {row["publisher"] for row in rows}
    assert formula not in {row["publisher"] for row in rows}


# 8. numbers in a link -----------------------------------------------------------------------------------

@pytest.mark.parametrize("factor,used", [("nan", "3"), ("inf", "3"), ("-inf", "3"), ("1e308", "100"), ("-5", "1.1")])
def test_8_a_link_cannot_flip_the_contested_verdict(monkeypatch: pytest.MonkeyPatch, factor: str, used: str) -> None:
    """A number from a link is finite and within the control's range (1.1 to 100): nan and inf give the default
    with a notice, an out-of-range number the nearest end of the range, and the verdict states the threshold."""
    at = _app("pages/who_says_what.py", PROJECT / "data", monkeypatch, factor=factor, day="2010-06-18")
    assert not at.exception
    assert f"{at.number_input(key='number_factor').value:g}" == used
    verdict = " ".join(shown(e.value) for e in [*at.error, *at.info])
    assert "×nan" not in verdict and "×inf" not in verdict and f"threshold ×{used}," in verdict, verdict
    assert any(f"'factor={factor}'" in shown(w.value) for w in at.warning)


# 9. file modes ------------------------------------------------------------------------------------------

def test_9_saving_keeps_the_data_files_mode(dataset_copy: Path) -> None:
    for name in ("sources.csv", "claims.csv"):
        os.chmod(dataset_copy / name, 0o644)
    append_release(dataset_copy, _source(), [CLAIM])
    for name in ("sources.csv", "claims.csv"):
        assert stat.S_IMODE((dataset_copy / name).stat().st_mode) == 0o644, name


# 10. smaller defects ------------------------------------------------------------------------------------

def test_10_backups_are_pruned_and_the_report_says_so(dataset_copy: Path) -> None:
    for i in range(BACKUPS_KEPT + 3):
        report = append_release(dataset_copy, _source(url=f"https://example.org/r{i}", title=f"Release {i}"),
                                [CLAIM])
    backups = sorted((dataset_copy / "backups").iterdir())
    assert len([b for b in backups if b.name.startswith("claims-")]) == BACKUPS_KEPT
    assert len([b for b in backups if b.name.startswith("sources-")]) == BACKUPS_KEPT
    assert f"the {BACKUPS_KEPT} newest of each file are kept; 2 older removed" in report.sentence()


def test_10_the_stale_data_banner_names_no_server_path(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import set_cell

    at = _app("pages/overview.py", dataset_copy, monkeypatch)
    set_cell(dataset_copy, "claims.csv", 3, "low", "6000")
    at.run()
    banner = " ".join(w.value for w in at.warning)
    assert "The data changed" in shown(banner) and str(dataset_copy) not in banner and "/tmp" not in banner


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_10_utf16_uploads_are_read_as_utf16(encoding: str) -> None:
    text = "Погибли по меньшей мере 40 человек в Оше. At least 40 killed."
    decoded, warnings = read_upload("release.txt", text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text
    assert all("guessed" not in warning for warning in warnings)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308, -3.0])
def test_10_a_crafted_page_number_does_not_raise(monkeypatch: pytest.MonkeyPatch, value: float) -> None:
    at = _app("pages/sources.py", PROJECT / "data", monkeypatch)  # 115 releases: two pages
    at.number_input(key="sources_page").set_value(value).run()
    assert not at.exception
    assert any("Releases 1–100" in shown(c.value) for c in at.caption)

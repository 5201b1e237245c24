"""Issue #30, costly work bounded: only a role that may propose runs the extractor (checked before any text is
read), a release's text has a size limit, an extraction a time limit, at most EXTRACTIONS_AT_ONCE run at once,
each in a niced worker process, and a rerun does not extract again. The figures of another session's
responsiveness are benchmarks/extraction_load.py's, not asserted here."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import PROJECT, VALID, shown
from streamlit import config
from streamlit.testing.v1 import AppTest
from test_app import RELEASE

from crisisboard.data.crisis import load_crisis
from crisisboard.ingest.extract import read_places


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.chdir(PROJECT)


def _page() -> AppTest:
    return AppTest.from_file(str(PROJECT / "pages" / "add_release.py"), default_timeout=90)


def _said(at: AppTest) -> str:
    return " ".join(shown(e.value) for e in [*at.error, *at.warning, *at.info, *at.caption])


@pytest.fixture()
def beyond_loopback() -> None:
    """A server that listens beyond this machine without [auth]: every visitor is an anonymous viewer."""
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_an_anonymous_visitor_gets_no_extractor_and_is_told_what_it_needs(beyond_loopback: None) -> None:
    at = _page()
    at.session_state["release_text"] = RELEASE  # what a crafted websocket message would set
    at.run()
    assert not at.exception
    assert "Editing is off: this server is read-only, because sign-in is not configured here" in _said(at)
    assert "sign in with one" not in _said(at)  # no sign-in to offer on a server without it
    assert not at.text_area and not at.get("file_uploader")  # nothing to paste into or upload to
    assert [s.value for s in at.subheader if s.value[0].isdigit()] == []  # no release read, flags or candidates
    assert "candidates" not in _said(at)


def test_the_limits_are_stated_on_the_page() -> None:
    at = _page().run()
    assert "at most 200,000 characters of text (a file at most 2 MB)" in _said(at)
    assert "at most 60 seconds" in _said(at)


def test_a_pasted_text_over_the_limit_is_refused_and_kept() -> None:
    long = RELEASE + "Officials said 40 people were killed. " * 5_300  # 200,000+ characters, 0.2 MB: under main's 2 MB
    assert 200_000 < len(long) < 300_000
    at = _page().run()
    at.text_area(key="release_text").set_value(long)
    at.run()
    assert f"The pasted text is {len(long):,} characters of text; the limit is 200,000" in _said(at)
    assert not [s for s in at.subheader if s.value == "3. Candidate claims"]
    assert at.text_area(key="release_text").value == long  # nothing lost: the text stays in the box


def test_an_uploaded_file_whose_text_is_over_the_limit_is_refused() -> None:
    at = _page().run()
    content = ("<p>" + "Officials said 40 people were killed. " * 5_300 + "</p>").encode()  # 0.2 MB, under 2 MB
    # its text: 5,300 sentences of 38 characters, less the last space (html_to_text strips the ends)
    at.get("file_uploader")[0].set_value(("long.html", content, "text/html")).run()
    assert "long.html is 201,399 characters of text; the limit is 200,000" in _said(at)
    assert not [s for s in at.subheader if s.value == "3. Candidate claims"]


def test_an_extraction_over_the_time_limit_is_stopped_with_a_message_and_the_text_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crisisboard.ingest import limits

    monkeypatch.setattr(limits, "EXTRACTION_SECONDS", 0.5)
    text = RELEASE + "\nA different text, so that no earlier result is kept.\n" + (  # a few seconds of work
        "At least 15 people were killed and 120 injured in the city on Friday, officials said. " * 1_500)
    at = _page().run()
    at.text_area(key="release_text").set_value(text)
    at.run()
    assert not at.exception
    assert "took longer than 0.5 seconds, so it was stopped" in _said(at)
    assert "your text is kept" in _said(at)
    assert at.text_area(key="release_text").value == text
    assert not [s for s in at.subheader if s.value == "3. Candidate claims"]


def _extract(text: str):  # noqa: ANN202
    from crisisboard.ingest.worker import extract

    return extract(text, None, read_places(VALID / "places.csv"), load_crisis(VALID), "test-version")


def test_extraction_runs_in_a_niced_worker_process_and_a_rerun_reuses_its_result() -> None:
    import os

    text = RELEASE + "\nThe worker test's own text.\n"
    first = _extract(text)
    assert {c.figure_text for c in first.candidates} >= {"at least 40", "more than 300"}
    assert first.niceness >= os.nice(0) + 10  # niced: another visitor's page goes first
    assert _extract(text) is first  # kept per text: a rerun does not start a worker


def test_at_most_two_extractions_run_at_once_and_the_rest_wait() -> None:
    texts = [RELEASE + f"\nText number {i} of the concurrency test.\n" for i in range(4)]
    results: dict[int, object] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, _extract(texts[i]))) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 4
    spans = [result.ran for result in results.values()]
    overlapping = max(sum(start <= moment < end for start, end in spans) for moment, _ in spans)
    assert overlapping <= 2
    assert all(end > start > 0 for start, end in spans)


def test_a_text_over_the_limit_never_reaches_a_worker() -> None:
    from crisisboard.ingest.worker import ExtractionRefused

    with pytest.raises(ExtractionRefused, match="the limit is 200,000"):
        _extract("x" * 200_001)


def test_the_page_draws_the_candidates_of_an_allowed_role(tmp_path: Path) -> None:
    at = _page().run()
    at.text_area(key="release_text").set_value(RELEASE + "\nThe page test's own text.\n")
    at.run()
    assert not at.exception
    assert [s.value for s in at.subheader][:3] == ["1. The release", "2. Text-quality flags", "3. Candidate claims"]

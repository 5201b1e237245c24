"""Which Plotly a published edition carries (crisisboard/publish/bundle.py): the basic partial bundle that
`make plotly-basic` installs (make test does), of exactly plotly.py's plotly.js version, when every trace is of a
type it draws; else the full bundle, with the reason. The served test (tests/test_publish_served.py) draws every
chart page of an edition with the bundle chosen here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from crisisboard.publish import bundle

INSTALLED = bundle.BASIC_FOLDER / "plotly-basic.min.js"


def test_make_test_installs_the_basic_bundle_of_plotly_pys_version() -> None:
    assert INSTALLED.is_file(), f"{INSTALLED} is missing: make plotly-basic (part of make test) installs it"
    version = json.loads((bundle.BASIC_FOLDER / "package.json").read_text(encoding="utf-8"))["version"]
    assert version == get_plotlyjs_version(), "publish-assets/package.json must pin plotly.py's plotly.js version"


def test_an_edition_of_scatter_traces_carries_the_basic_bundle() -> None:
    chosen = bundle.plotly_bundle({"scatter"})
    assert chosen.script == INSTALLED.read_bytes() and chosen.reason == ""
    assert b"plotly.js (basic - minified) v" + get_plotlyjs_version().encode() in chosen.script[:200]
    assert len(chosen.script) < len(get_plotlyjs()) / 3


def test_a_trace_type_the_basic_bundle_lacks_gets_the_full_bundle() -> None:
    chosen = bundle.plotly_bundle({"scatter", "scattergeo"})
    assert chosen.script == get_plotlyjs().encode("utf-8")
    assert "scattergeo" in chosen.reason


def test_a_basic_bundle_of_another_version_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"version": "0.0.1"}), encoding="utf-8")
    (tmp_path / "plotly-basic.min.js").write_text("/* not this plotly */", encoding="utf-8")
    monkeypatch.setenv(bundle.BASIC_ENV, str(tmp_path))
    chosen = bundle.plotly_bundle({"scatter"})
    assert chosen.script == get_plotlyjs().encode("utf-8") and "0.0.1" in chosen.reason


def test_without_the_basic_bundle_an_edition_still_draws_with_the_full_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bundle.BASIC_ENV, str(tmp_path / "absent"))
    chosen = bundle.plotly_bundle({"scatter"})
    assert chosen.script == get_plotlyjs().encode("utf-8") and "make plotly-basic" in chosen.reason

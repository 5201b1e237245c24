"""The private internals of Plotly, Kaleido and Streamlit that crisisboard uses, each behind one door module:
pinned to the versions they were written for, and each still there. An upgrade that breaks one fails here,
naming the door to mend, instead of somewhere in a chart."""

from __future__ import annotations

from importlib.metadata import version

import plotly.graph_objects as go
import pytest

from crisisboard.app import streamlit_internals
from crisisboard.charts import plotly_internals
from crisisboard.export import kaleido_internals

DOORS = [("plotly", plotly_internals), ("kaleido", kaleido_internals), ("streamlit", streamlit_internals)]


@pytest.mark.parametrize("package,door", DOORS, ids=[name for name, _ in DOORS])
def test_each_door_was_written_for_the_installed_version(package: str, door: object) -> None:
    assert version(package) == door.WRITTEN_FOR, (
        f"{package} {version(package)} is installed, but {door.__name__} was written for {door.WRITTEN_FOR}: "
        f"check the private attributes it uses still behave the same, then set WRITTEN_FOR")


def test_the_plotly_internals_are_there() -> None:
    trace = go.Scatter(x=[1], y=[2])
    assert isinstance(trace._props, dict), "plotly_internals.figure_of reads a trace's _props"
    fig = go.Figure(data=[{"type": "scatter", "x": [1]}], _validate=False)
    assert hasattr(fig, "_validate") and hasattr(fig.layout, "_validate"), "plotly_internals switches _validate"
    assert hasattr(fig, "_frame_objs"), "plotly_internals.figure_of sets _frame_objs"
    built = plotly_internals.figure_of([{"type": "scatter", "x": [1, 2], "y": [3, 4]}],
                                       frames=[{"name": "a", "traces": [0], "data": [{"type": "scatter", "y": [5, 6]}]}])
    assert [frame.name for frame in built.frames] == ["a"] and list(built.data[0].y) == [3, 4]


def test_the_kaleido_internals_are_there() -> None:
    import kaleido

    assert callable(getattr(kaleido.Kaleido, "_return_kaleido_tab", None)), \
        "kaleido_internals.BackgroundReload overrides Kaleido._return_kaleido_tab"


def test_the_streamlit_internals_are_there() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory"), \
        "streamlit_internals.leave_legacy_multipage_mode clears PagesManager.uses_pages_directory"


def test_no_other_module_touches_those_internals() -> None:
    import re

    from conftest import PROJECT

    private = re.compile(r"\._validate\b|_validate=|\._props\b|_frame_objs|_return_kaleido_tab|PagesManager")
    doors = {door.__file__ for _, door in DOORS}
    found = [str(path.relative_to(PROJECT)) for path in (PROJECT / "crisisboard").rglob("*.py")
             if str(path) not in doors and private.search(path.read_text(encoding="utf-8"))]
    assert found == []

"""Issue #30: the last version that drew stays the fallback whatever cache is cleared: Streamlit's
st.cache_resource.clear() / st.cache_data.clear() in the process, and a browser's "clear cache" message (a
BackMsg any visitor can send over the websocket) on a real server. After data that breaks a rule, the page
still shows the last good version with its banner, not the error page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st
from conftest import PROJECT, run_async, set_cell, shown
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(PROJECT / "benchmarks"))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from test_browser import running_app  # noqa: E402
from wsclient import StreamlitSession  # noqa: E402

GOOD = "**40**, Fixture Ministry"  # the overview's first card, on the fixture data as shipped


def _break(data_dir: Path) -> None:
    set_cell(data_dir, "claims.csv", 3, "low", "6000")  # low above high: breaks a rule (claims.csv:5)


def test_clearing_every_streamlit_cache_keeps_the_last_good_version(dataset_copy: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(dataset_copy))
    monkeypatch.chdir(PROJECT)
    at = AppTest.from_file(str(PROJECT / "pages" / "overview.py"), default_timeout=60).run()
    assert GOOD in "\n".join(m.value for m in at.markdown)
    _break(dataset_copy)
    st.cache_resource.clear()
    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert any("The data changed and now breaks 2 rule(s)" in shown(w.value) for w in at.warning)
    assert not [t for t in at.title if "could not be loaded" in shown(t.value)]
    assert GOOD in "\n".join(m.value for m in at.markdown)  # the last good version, still drawn


async def _clear_cache_then_reload(base: str) -> list[str]:
    async with StreamlitSession(base) as visitor:
        await visitor.open()
        message = BackMsg()
        message.clear_cache = True  # what the browser's "Clear cache" sends; any visitor can send it
        await visitor._ws.send(message.SerializeToString())
    async with StreamlitSession(base) as other:
        return (await other.open()).texts


async def _first_texts(base: str) -> list[str]:
    async with StreamlitSession(base) as visitor:
        return (await visitor.open()).texts


def test_a_browsers_clear_cache_message_keeps_the_last_good_version(dataset_copy: Path) -> None:
    with running_app(dataset_copy) as base:
        assert GOOD in "\n".join(run_async(_first_texts(base)))  # drew once: the fallback has a version
        _break(dataset_copy)
        texts = [shown(t) for t in run_async(_clear_cache_then_reload(base))]
    joined = "\n".join(texts)
    assert "The data changed and now breaks 2 rule(s)" in joined
    assert "The data could not be loaded" not in joined
    assert GOOD in joined  # the last good version, still drawn

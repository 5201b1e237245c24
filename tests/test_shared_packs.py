"""Issue #30: a briefing pack is built once per data version, filters, mode and audience, and shared by every
session that asks for it (at the same time or later), within a memory budget. Its time and memory are
benchmarks/pack_sharing.py's figures, not asserted here."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import PROJECT, VALID
from streamlit.testing.v1 import AppTest

from crisisboard.export.pack import SharedPacks
from crisisboard.export.render import export_available


def test_three_sessions_asking_at_once_get_one_build() -> None:
    packs, calls = SharedPacks(budget=1_000_000), []

    def build() -> bytes:
        calls.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other two to ask meanwhile
        return b"PK" + bytes(1000)

    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(packs.get_or_build(("v1", "filters"), build)))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(calls) == 1 and len(got) == 3
    assert all(pack is got[0] for pack in got)  # one object in memory, not three copies
    assert packs.get_or_build(("v1", "filters"), build) is got[0] and len(calls) == 1  # a later click: kept


def test_another_key_is_another_pack_and_the_budget_drops_the_least_recently_used() -> None:
    packs = SharedPacks(budget=2_500)
    a = packs.get_or_build("a", lambda: bytes(1000))
    packs.get_or_build("b", lambda: bytes(1000))
    assert packs.get("a") is a  # "a" is now the most recently used
    packs.get_or_build("c", lambda: bytes(1000))  # 3,000 bytes > 2,500: "b" goes
    assert packs.get("b") is None and packs.get("a") is a and packs.get("c") is not None
    assert packs.kept_bytes == 2_000
    assert packs.get_or_build("huge", lambda: bytes(3_000)) == bytes(3_000)  # handed out, not kept
    assert packs.get("huge") is None and packs.kept_bytes == 2_000


@pytest.mark.skipif(not export_available(), reason="Kaleido's Chromium is not available")
def test_two_sessions_clicking_for_the_same_pack_build_it_once(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    import crisisboard.app.exports as exports

    monkeypatch.setenv("CRISISBOARD_DATA", str(VALID))
    monkeypatch.chdir(PROJECT)
    built: list[int] = []
    real = exports.build_pack
    monkeypatch.setattr(exports, "build_pack", lambda *a, **k: built.append(1) or real(*a, **k))  # counts, builds
    downloads = []
    for _ in range(2):  # two visitors, same filters
        at = AppTest.from_file(str(PROJECT / "pages" / "overview.py"), default_timeout=180).run()
        at.button(key="make_pack").click().run()
        assert not at.exception
        downloads.append([b for b in at.get("download_button") if b.proto.label == "Download the briefing pack"])
    assert all(len(found) == 1 for found in downloads)
    assert len(built) == 1

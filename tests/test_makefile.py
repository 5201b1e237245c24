"""The Makefile's two commands when apt-get cannot install Debian's chromium and fonts right now (no network,
the dpkg lock held): `make run` says what will not work and serves anyway; `make test` stops, loudly.

Run for real with make, as root (a fake `id`), with a fake `apt-get` that fails as apt-get does, the packages'
files pointed at paths that do not exist, and a fake virtualenv whose python only says what it was asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PROJECT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

MISSING_CHROMIUM = ("chromium could not be installed now (apt-get failed, see above): image export (PNG, SVG, PDF) "
                    "and the browser tests will not work until it is installed ('apt-get install chromium')")
MISSING_FONTS = ("fonts-noto-core could not be installed now (apt-get failed, see above): quotes in Arabic, Urdu "
                 "and Cyrillic will not be drawn with real glyphs in exports until it is installed")


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _make(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "bin"
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake.mkdir()
    _script(fake / "apt-get", 'echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2\nexit 100')
    _script(fake / "id", "echo 0")  # root, so make tries apt-get
    _script(fake / "npm", 'echo "npm was run: $*" >&2\nexit 1')  # `make test` never fetches axe-core here
    _script(venv / "bin" / "python", 'echo "python was run: $*"')
    later = time.time() + 3600  # the virtualenv is installed: newer than pyproject.toml and constraints.txt
    for stamp in (".installed-run", ".installed-test"):
        (venv / stamp).touch()
        os.utime(venv / stamp, (later, later))
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "DEBIAN_OPTIONAL")}
    env["PATH"] = f"{fake}{os.pathsep}{env['PATH']}"
    return subprocess.run(["make", "--no-print-directory", *targets, f"VENV={venv}",
                           f"CHROMIUM={tmp_path / 'no-chromium'}", f"NOTO_FONT={tmp_path / 'no-font.ttf'}"],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)


def test_make_run_serves_when_apt_get_cannot_install_chromium_or_fonts(tmp_path: Path) -> None:
    done = _make(tmp_path, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert MISSING_CHROMIUM in done.stdout and MISSING_FONTS in done.stdout, done.stdout
    assert "Could not get lock" in done.stderr  # apt-get's own reason is shown too
    served = done.stdout.index("python was run: -m crisisboard serve --local --port 8501 --address 127.0.0.1")
    assert served > done.stdout.index(MISSING_FONTS), done.stdout  # after saying what is missing


@pytest.mark.parametrize("target", ["test", "chromium", "fonts"])
def test_make_test_stops_when_apt_get_cannot_install_chromium_or_fonts(tmp_path: Path, target: str) -> None:
    done = _make(tmp_path, target)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "could not be installed (apt-get failed, see above)" in done.stderr, done.stderr
    assert "Going on without it" not in done.stdout and "python was run" not in done.stdout, done.stdout


@pytest.mark.parametrize(("variables", "folder"), [((), "data"), (("DATA=crises/some-crisis",), "crises/some-crisis")])
def test_make_geo_installs_the_pins_and_builds_the_crisis_folder_it_is_given(tmp_path: Path, variables: tuple,
                                                                              folder: str) -> None:
    done = _make(tmp_path, "geo", *variables)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "python was run: -m pip install --quiet timezonefinder==" in done.stdout, done.stdout
    assert f"python was run: -m crisisboard.data.geo build --data {folder}\n" in done.stdout, done.stdout


def test_make_publish_writes_public_for_the_default_crisis_and_each_crisis_folder(tmp_path: Path) -> None:
    crises = tmp_path / "crises"
    for name in ("flood-2021", "quake-2023"):
        (crises / name).mkdir(parents=True)
        (crises / name / "crisis.toml").write_text("", encoding="utf-8")
    (crises / "notes").mkdir()  # a folder without crisis.toml is not a crisis
    done = _make(tmp_path, "publish", f"CRISES={crises}")
    assert done.returncode == 0, done.stdout + done.stderr
    runs = [line for line in done.stdout.splitlines() if line.startswith("python was run:")]
    assert runs == ["python was run: -m crisisboard publish --out public",
                    f"python was run: -m crisisboard publish --out public --data-dir {crises}/flood-2021",
                    f"python was run: -m crisisboard publish --out public --data-dir {crises}/quake-2023",
                    "python was run: deploy/static.py public --precompress"], done.stdout

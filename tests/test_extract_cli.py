"""`python -m crisisboard extract` never fails on hostile input (issue #20): an empty file, random bytes, 2 MB of
text, and a reader that closes the pipe early; and it reports one row per statement with its mention count."""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT


def _extract(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crisisboard", "extract", *map(str, files)], cwd=PROJECT,
                          capture_output=True, timeout=300)


def test_empty_random_and_huge_inputs_give_no_traceback(tmp_path: Path) -> None:
    empty, noise, huge = tmp_path / "empty.txt", tmp_path / "noise.bin", tmp_path / "huge.txt"
    empty.write_bytes(b"")
    noise.write_bytes(random.Random(20).randbytes(200_000))
    huge.write_text("At least 40 people were killed in Fixture City A on 12 June. " * 34_000, encoding="utf-8")
    assert huge.stat().st_size > 2_000_000
    done = _extract(empty, noise, huge)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"noise.bin: not valid UTF-8" in done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode())))
    huge_rows = [r for r in rows if r["file"].endswith("huge.txt")]
    assert [(r["metric"], r["low"]) for r in huge_rows] == [("killed", "40")]  # one statement, many mentions
    assert int(huge_rows[0]["mentions"]) >= 1000  # every mention read, up to the cap on work
    assert b"huge.txt: text is" in done.stderr or b"huge.txt: stopped after" in done.stderr  # and it says so


def test_a_reader_that_closes_the_pipe_early_is_not_an_error(tmp_path: Path) -> None:
    text = tmp_path / "release.txt"
    text.write_text("".join(f"On day {i} officials said {100 + i} people were killed.\n" for i in range(3000)),
                    encoding="utf-8")
    read, write = os.pipe()
    process = subprocess.Popen([sys.executable, "-m", "crisisboard", "extract", str(text)], cwd=PROJECT,
                               stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    with os.fdopen(read, "rb") as reader:
        assert reader.read(200)  # the first bytes, then the reader goes away
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0 and b"Traceback" not in stderr, stderr.decode()

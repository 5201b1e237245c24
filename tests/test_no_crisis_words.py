"""No module names a crisis (issue #31): the package, the pages and dashboard.py hold no word of the 2010 crisis
(its places, peoples and region). A crisis's vocabulary lives in its data folder (crisis.toml, places.csv), never
in code; docstring examples use neutral wording. Fails naming file:line for every hit."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PROJECT

# "Osh" as a whole word with its capital (not "gosh", "Oshkosh" or "osh" in a slug of code); the others in any
# case and inside words ("Kyrgyzstan", "refugees_uzbekistan", "Jalal-Abad", "Ferghana" has no "fergana")
CRISIS_WORDS = re.compile(r"\bOsh\b|(?i:jalal|kyrgyz|uzbek|fergh?ana|andijan)")
SCANNED = ("crisisboard", "pages", "dashboard.py")


def files_under(root: Path) -> list[Path]:
    """Every file of the scanned folders (any kind: code, style sheets, templates), without compiled caches."""
    found = []
    for name in SCANNED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return found


def hits(root: Path) -> list[str]:
    """file:line: the word, and the line, for every crisis word under `root`."""
    out = []
    for path in files_under(root):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in CRISIS_WORDS.finditer(line):
                out.append(f"{path.relative_to(root)}:{number}: {match.group(0)!r} in {line.strip()[:120]!r}")
    return out


def test_no_module_page_or_router_names_the_crisis() -> None:
    found = hits(PROJECT)
    assert found == [], "move these words to the crisis folder (crisis.toml, places.csv) or reword:\n" + "\n".join(found)


def test_the_scan_finds_each_word_and_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "crisisboard" / "sub").mkdir(parents=True)
    (tmp_path / "pages").mkdir()
    (tmp_path / "crisisboard" / "sub" / "a.py").write_text('x = 1\nLABEL = "Crossed into Uzbekistan"\n')
    (tmp_path / "crisisboard" / "style.css").write_text("/* the FERGANA valley */\n")
    (tmp_path / "pages" / "p.py").write_text("# Osh and Jalal-Abad, KYRGYZ, andijan\n# gosh, Oshkosh, osh_id\n")
    (tmp_path / "dashboard.py").write_text("ok = True\n")
    found = hits(tmp_path)
    assert [line.split(": ", 1)[0] for line in found] == [
        "crisisboard/style.css:1", "crisisboard/sub/a.py:2",
        "pages/p.py:1", "pages/p.py:1", "pages/p.py:1", "pages/p.py:1"]
    assert ["'FERGANA'", "'Uzbek'", "'Osh'", "'Jalal'", "'KYRGYZ'", "'andijan'"] == [
        line.split(": ", 2)[1].split(" in ")[0] for line in found]

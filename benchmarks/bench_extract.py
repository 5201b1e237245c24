"""The extractor on texts at and beyond its cap (crisisboard.ingest.extract.candidates.MAX_CHARS): the time to
read 3 MB of random bytes (cut at the cap) and a 2 MB text of repeated report sentences, and how many candidates
each gives. tests/test_extract.py checks the cap's behaviour with a lowered cap; this times the real one.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_extract.py
Prints seconds and counts; asserts nothing.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def main() -> None:
    from crisisboard.ingest.extract import extract_candidates
    from crisisboard.ingest.extract.candidates import MAX_CHARS

    rnd = random.Random(1)
    texts = {
        "3 MB random bytes": rnd.randbytes(3_000_000).decode("latin-1"),
        "2 MB report text": ("At least 15 people were killed and 120 injured in the city on Friday, officials said. "
                             "Aid agencies estimated that thousands had fled towards the border. ") * 12_000,
    }
    print(f"cap: {MAX_CHARS:,} characters")
    for name, text in texts.items():
        start = time.perf_counter()
        out, warnings = extract_candidates(text)
        print(f"{name}: {len(text):,} characters, {time.perf_counter() - start:.1f} s, {len(out):,} candidates, "
              f"{len(warnings)} warning(s)")


if __name__ == "__main__":
    main()

"""The two stores at scale (issue #18): for synthetic data of each size, on the CSV files and on PostgreSQL,

- load: from the files into a typed dataset (cold: validated, no columnar cache), and on PostgreSQL the
  import, then the export of the app's local copy (crisisboard.data.mirror) and its load;
- (a filter change: the app draws from a loaded folder on either store, the same work: benchmarks/bench_scale.py);
- a save's round trip: one release of one claim through the store (validated like every save);
- the delay until another process sees that save (it asks for the version at most once a second).

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_store.py --url postgresql+psycopg://postgres@127.0.0.1/postgres
       [--sizes 100000,1000000] [--out /tmp/crisisboard-store]
The URL is an admin URL: a database is created per size and dropped afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from crisisboard.data.backends import CsvStore, PgStore
from crisisboard.data.crisis import default_slug
from crisisboard.data.database import engine_for, upgrade
from crisisboard.data.load import load_dataset
from crisisboard.data.mirror import current_folder, mirror_root
from crisisboard.data.synth import write_synthetic
from crisisboard.data.users import Actor

BENCH = Actor("bench@example.org", "reviewer")
SECOND = Actor("second@example.org", "reviewer")  # the two-person rule: another reviewer approves
SOURCE = {"source_id": "bench-release", "publisher": "Bench Paper", "publisher_type": "media",
          "title": "A benchmark release", "url": "https://example.org/bench", "archive_url": "",
          "published": "2010-06-16", "published_precision": "exact", "language": "en", "corpus_file": "",
          "notes": "Benchmark."}


def _claim(n: int) -> dict[str, str]:
    return {"statement_id": f"st-bench-{n}", "quote": f"the paper counted {n} dead", "figure_text": str(n),
            "metric": "killed", "population": "all", "low": str(n), "high": str(n), "qualifier": "exact",
            "vague_term": "", "as_of": "2010-06-16", "as_of_precision": "exact", "place_id": "osh",
            "claimant": "Bench Paper", "claimant_type": "media", "relayed_by": "", "status_in_text": "reported",
            "claim_kind": "cumulative", "scope": "crisis", "source_reliability": "C", "info_credibility": "3",
            "grade_rationale": "Benchmark.", "notes": ""}


def _timed(function, *args):  # noqa: ANN001, ANN202
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def _watch(url: str, before: str, ready, seen) -> None:  # noqa: ANN001 - multiprocessing events
    """Another process: wait until the local copy's folder changes from `before`, then say so."""
    ready.set()
    while current_folder(url, default_slug()).name == before:
        time.sleep(0.05)
    seen.set()


def bench(size: int, admin: str, out: Path) -> None:
    folder = out / f"synth-{size}"
    if not (folder / "claims.csv").exists():
        write_synthetic(folder, size)
    csv_copy = out / f"csv-{size}"
    shutil.rmtree(csv_copy, ignore_errors=True)
    shutil.copytree(folder, csv_copy)
    name = f"crisisboard_bench_{uuid.uuid4().hex[:8]}"
    admin_engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        pg = PgStore(url)
        rows = []
        rows.append(("CSV: load and validate (cold)", _timed(lambda: load_dataset(csv_copy, cache=False))[0]))
        rows.append(("PostgreSQL: db import (validated)", _timed(pg.import_folder, folder, "bench", "bench")[0]))
        shutil.rmtree(mirror_root(url), ignore_errors=True)
        seconds, mirrored = _timed(current_folder, url, default_slug())
        rows.append(("PostgreSQL: export of the local copy", seconds))
        rows.append(("PostgreSQL: load the local copy (cold)", _timed(lambda: load_dataset(mirrored, cache=False))[0]))
        csv_store = CsvStore(csv_copy)
        seconds, proposed = _timed(csv_store.propose_release, SOURCE, [_claim(1)], BENCH, "bench")
        rows.append(("CSV: propose one release (tried on a scratch copy)", seconds))
        rows.append(("CSV: approve it (published, round trip)",
                     _timed(csv_store.approve, proposed.proposal.proposal_id, SECOND, "bench")[0]))
        context = multiprocessing.get_context("spawn")
        ready, seen = context.Event(), context.Event()
        watcher = context.Process(target=_watch, args=(url, current_folder(url, default_slug()).name, ready, seen))
        watcher.start()
        ready.wait(120)
        seconds, proposed = _timed(pg.propose_release, SOURCE, [_claim(2)], BENCH, "bench")
        rows.append(("PostgreSQL: propose one release (tried on a scratch copy)", seconds))
        rows.append(("PostgreSQL: approve it (published, round trip)",
                     _timed(pg.approve, proposed.proposal.proposal_id, SECOND, "bench")[0]))
        saved = time.perf_counter()
        seen.wait(600)
        rows.append(("PostgreSQL: until another process has the save (incl. its export)",
                     time.perf_counter() - saved))
        watcher.join(30)
        for label, value in rows:
            print(f"{size:>10,} {label:70} {value:8.2f} s")
    finally:
        engine_for(url).dispose()
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(mirror_root(url), ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--out", type=Path, default=Path("/tmp/crisisboard-store"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        bench(size, args.url, args.out)


if __name__ == "__main__":
    main()

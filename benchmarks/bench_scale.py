"""How the dashboard's server-side work grows with the data: load and validation, then building each
page's chart after a filter change, at several sizes of synthetic data.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,100000] [--out /tmp/crisisboard-scale]
Prints figures; asserts nothing. (Targets of issue #8: a filter change under 300 ms at 100 thousand
claims and under 1.5 s at 1 million.)
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from crisisboard.filters import Filters
from crisisboard.geo import load_geodata
from crisisboard.load import load_dataset
from crisisboard.synth import write_synthetic
from crisisboard.views import ViewSpec, build_view

SPECS = (ViewSpec("overview"), ViewSpec("timeline"), ViewSpec("who-says-what"), ViewSpec("map"))
FILTER = Filters(tiers=("high", "medium"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--out", default="/tmp/crisisboard-scale")
    args = parser.parse_args()
    geo = load_geodata()
    previous: dict[str, float] = {}
    print(f"{'claims':>9} {'step':<28} {'seconds':>8} {'growth':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = Path(args.out) / str(size)
        if not (folder / "claims.csv").exists():
            write_synthetic(folder, size)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        dataset = load_dataset(folder)
        timings["load and validate"] = time.perf_counter() - start
        for spec in SPECS:
            start = time.perf_counter()
            build_view(dataset, FILTER, spec, geo)
            timings[f"filter change: {spec.view}"] = time.perf_counter() - start
        for step, seconds in timings.items():
            growth = f"×{seconds / previous[step]:.1f}" if step in previous else ""
            print(f"{size:>9,} {step:<28} {seconds:>8.2f} {growth:>8}")
        previous = timings
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{size:>9,} {'peak memory so far (MB)':<28} {peak:>8.0f}")


if __name__ == "__main__":
    main()

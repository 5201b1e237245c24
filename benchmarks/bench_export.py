"""Export timings on this machine: cold and warm, per format and preset, and a briefing pack of six charts.

usage: .venv/bin/python benchmarks/bench_export.py [--repeat 3] [--gap 1]
Prints figures; asserts nothing (targets: warm PNG under 0.5 s, pack under 5 s on 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from crisisboard.charts.views import ViewSpec, build_view, pack_specs, spec_of, view_url
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import load_dataset
from crisisboard.export.images import ExportContext, export_view
from crisisboard.export.pack import build_pack
from crisisboard.export.presets import PRESETS
from crisisboard.export.render import FORMATS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between spaced exports")
    args = parser.parse_args()
    dataset = load_dataset()
    filters = Filters(date_from=date(2010, 6, 10), date_to=date(2010, 6, 30))
    geo = load_geodata(dataset.crisis.geo_dir)

    def context(spec: ViewSpec) -> ExportContext:
        return ExportContext(describe_filters(filters), dataset.version, view_url("http://localhost:8501", filters, spec),
                             date.today())

    timeline = spec_of("timeline", metric="killed")
    view = build_view(dataset, filters, timeline, geo)
    start = time.perf_counter()
    export_view(view, context(timeline), "png", "slide")
    print(f"cold: first PNG (starts Chromium) {time.perf_counter() - start:.2f} s")

    print("warm: back to back (the tab used last reloads in the background meanwhile) and spaced by "
          f"{args.gap:g} s (as between clicks)")
    print(f"{'view':<14} {'format':<6} {'preset':<7} {'back-to-back':>12} {'spaced':>8} {'bytes':>9}")
    for spec in (timeline, spec_of("overview"), spec_of("who-says-what", metric="killed"),
                 spec_of("map", area="border")):
        view = build_view(dataset, filters, spec, geo)
        for fmt in FORMATS:
            for preset in PRESETS:
                back, spaced, size = [], [], 0
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    size = len(export_view(view, context(spec), fmt, preset))
                    back.append(time.perf_counter() - start)
                for _ in range(args.repeat):
                    time.sleep(args.gap)
                    start = time.perf_counter()
                    export_view(view, context(spec), fmt, preset)
                    spaced.append(time.perf_counter() - start)
                print(f"{spec.name:<14} {fmt:<6} {preset:<7} {statistics.median(back):>11.2f}s "
                      f"{statistics.median(spaced):>7.2f}s {size:>9,}")

    specs = pack_specs(dataset.claims)
    start = time.perf_counter()
    views = [build_view(dataset, filters, spec, geo) for spec in specs]
    built = time.perf_counter() - start
    start = time.perf_counter()
    data = build_pack(views, [context(spec) for spec in specs])
    print(f"pack of {len(specs)} charts (PNG + SVG each, CSVs, README): figures {built:.2f} s (cached in the app), "
          f"rendering and zipping {time.perf_counter() - start:.2f} s, {len(data):,} bytes")


if __name__ == "__main__":
    main()

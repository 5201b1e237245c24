"""The cost of each chart on its own (issue #8): for fresh filter combinations on one dataset, the time to
build each view (crisisboard.charts.views.build_view, the selection already cut) and to serialise it as
`st.plotly_chart` does (`Figure.to_dict`, then `plotly.io.to_json`), and the size of what is sent.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_views.py DATA_DIR [--views overview,timeline,who-says-what,map]
Prints medians and minima over the combinations (the first, which warms caches, left out); asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--views", default="overview,timeline,who-says-what,map")
    args = parser.parse_args()

    import plotly.io as pio
    import plotly.tools

    from crisisboard.charts.views import build_view, spec_of
    from crisisboard.data.filters import Filters
    from crisisboard.data.geo import load_geodata
    from crisisboard.data.load import load_dataset
    from crisisboard.data.selection import Selection
    from crisisboard.data.tiers import TIERS

    dataset = load_dataset(args.data)
    geo = load_geodata(dataset.crisis.geo_dir)
    combinations = [tiers for k in (1, 2, 3) for tiers in itertools.combinations(TIERS, k)]
    print(f"{len(dataset.claims):,} claims; {len(combinations) - 1} filter combinations per view")
    print(f"{'view':15} {'build median':>13} {'min':>7} {'send median':>12} {'min':>7} {'sent, KB':>9}")
    for name in args.views.split(","):
        spec = spec_of("map", area="border") if name == "map" else spec_of(name)
        build, send, size = [], [], []
        for tiers in combinations:
            selection = Selection(dataset, Filters(tiers=tiers))
            selection.claims  # noqa: B018 - cut the selection first: the view's own cost is measured
            start = time.perf_counter()
            try:
                view = build_view(dataset, selection.filters, spec, geo, selection=selection)
            except ValueError:  # no claims of the metric under these filters
                continue
            build.append(time.perf_counter() - start)
            start = time.perf_counter()
            sent = pio.to_json(plotly.tools.return_figure_from_figure_or_data(view.figure, validate_figure=True),
                               validate=False)
            send.append(time.perf_counter() - start)
            size.append(len(sent) / 1000)
        build, send, size = build[1:], send[1:], size[1:]
        print(f"{name:15} {statistics.median(build):13.3f} {min(build):7.3f} {statistics.median(send):12.3f} "
              f"{min(send):7.3f} {statistics.median(size):9.0f}")


if __name__ == "__main__":
    main()

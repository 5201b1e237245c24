"""The command ``python -m crisisboard publish --out DIR [--crisis SLUG] [--data-dir DIR]``: the approved data of a
crisis as a static, numbered edition (crisisboard.publish; README.md, "Publishing a static edition"). Like every
command, it imports the layers it needs when it runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _publish(args: argparse.Namespace) -> int:
    from crisisboard.data import crises  # noqa: PLC0415 - the crisis registry, read only when asked
    from crisisboard.data.load import DataValidationError, data_dir_for  # noqa: PLC0415
    from crisisboard.export.render import ExportUnavailable  # noqa: PLC0415
    from crisisboard.publish import edition  # noqa: PLC0415

    try:
        data_dir = Path(args.data_dir) if args.data_dir else data_dir_for(crises.folder_for(args.crisis))
    except (crises.UnknownCrisis, crises.CrisisRegistryError) as error:
        print(error, file=sys.stderr)
        return 2
    try:
        done = edition.publish(data_dir, Path(args.out), slug=args.crisis, base_url=args.base_url,
                               images=not args.no_images)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        print(f"nothing published to {args.out}", file=sys.stderr)
        return 1
    except ExportUnavailable as error:
        print(error, file=sys.stderr)
        print(f"nothing published to {args.out}", file=sys.stderr)
        return 3
    print(done.message())
    return 0


def add_publish_command(commands: argparse._SubParsersAction) -> None:
    publish = commands.add_parser(
        "publish", help="write a static, numbered edition of the approved data (no new one when nothing changed)",
        description="Writes OUT/<slug>/v<N>/ (data CSV with HXL tags, JSON, Parquet, a page per claim, source and "
                    "statement, a page, embed page, PNG, SVG, CSV and JSON per chart, charts.json, manifest.json, changes.json/html), copies it to OUT/<slug>/latest/ and updates "
                    "OUT/<slug>/feed.atom. Old editions are never changed.")
    publish.add_argument("--out", required=True, help="the folder that holds the editions (e.g. public/)")
    publish.add_argument("--crisis", help="the crisis's slug (default: the default crisis; names OUT/<slug>/)")
    publish.add_argument("--data-dir", help="publish this data folder instead of the crisis's own")
    publish.add_argument("--base-url", help="the http(s) URL OUT is served at, for the citations (default: "
                         "[publish] base_url in the crisis's crisis.toml; else paths relative to OUT, said so)")
    publish.add_argument("--no-images", action="store_true",
                         help="make no PNG/SVG of the charts (they need Chromium); the chart pages say so")
    publish.set_defaults(run=_publish)

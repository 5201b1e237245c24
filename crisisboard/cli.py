"""The command line: ``python -m crisisboard COMMAND``.

validate [DATA_DIR]   check a dataset; one line per problem, exit 1 if any
summary [DATA_DIR]    print the data summary (Markdown); --write updates data/README.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crisisboard.load import data_dir_from_env
from crisisboard.validate import validate_dataset


def _validate(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    result = validate_dataset(data_dir)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in {data_dir}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(t.frame)} {name.removesuffix('.csv')}" for name, t in result.tables.items())
    print(f"{data_dir}: valid ({counts})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crisisboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a dataset against data/README.md")
    validate.add_argument("data_dir", nargs="?", help="folder with sources.csv, claims.csv, places.csv, "
                                                      "incidents.csv (default: $CRISISBOARD_DATA or data/)")
    validate.set_defaults(run=_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)

"""The command line: ``python -m crisisboard COMMAND``.

validate [DATA_DIR]   check a dataset; one line per problem, exit 1 if any
summary [DATA_DIR]    print the data summary (Markdown); --write updates data/README.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crisisboard.load import DataValidationError, data_dir_from_env, load_dataset
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


def _summary(args: argparse.Namespace) -> int:
    from crisisboard.summary import build_summary, write_summary

    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    try:
        dataset = load_dataset(data_dir)
    except DataValidationError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) in {data_dir}: fix them before summarising", file=sys.stderr)
        return 1
    summary = build_summary(dataset)
    if args.write:
        try:
            write_summary(data_dir / "README.md", summary)
        except (OSError, ValueError) as error:
            print(error, file=sys.stderr)
            return 1
        print(f"summary written to {data_dir / 'README.md'}")
    else:
        print(summary, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crisisboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a dataset against data/README.md")
    validate.add_argument("data_dir", nargs="?", help="folder with sources.csv, claims.csv, places.csv, "
                                                      "incidents.csv (default: $CRISISBOARD_DATA or data/)")
    validate.set_defaults(run=_validate)
    summary = commands.add_parser("summary", help="print the data summary (Markdown)")
    summary.add_argument("data_dir", nargs="?", help="dataset folder (default: $CRISISBOARD_DATA or data/)")
    summary.add_argument("--write", action="store_true", help="write it into DATA_DIR/README.md between markers")
    summary.set_defaults(run=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)

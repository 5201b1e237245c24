"""The command line: ``python -m crisisboard COMMAND``. Each command imports the layers it needs when it runs,
so that ``validate`` does not pay for Plotly, Kaleido and the charts.

validate [DATA_DIR]   check a dataset; one line per problem, exit 1 if any
audit [DATA_DIR]      suspect patterns (likely misreadings) not acknowledged in audit-exceptions.csv; exit 1 if any
summary [DATA_DIR]    print the data summary (Markdown); --write updates data/README.md
export ...            a chart as PNG/SVG/PDF, or --pack for a briefing ZIP, without a browser
synth --claims N --out DIR   a valid synthetic dataset for scale tests
extract FILE ...      candidate claims found in release texts, as CSV or JSON
migrate-vocabulary DIR   rewrite DIR/claims.csv in the general vocabulary (refugees_crossed + destination);
                      prints the count of claims per metric before and after, exit 1 if any total differs
evaluate              precision and recall of extract on the development and the frozen test set
db upgrade            create or migrate the PostgreSQL schema ($CRISISBOARD_DATABASE_URL)
db import DIR         validate DIR, then make the database hold exactly its data (idempotent)
db export DIR         write the database's sources.csv, claims.csv, places.csv, incidents.csv and crisis.toml
history ROW_ID        one line per recorded change of a claim (or source), from the database or history.csv
users add EMAIL --role ROLE | users list | users remove EMAIL   who may do what (every change in the history)
new DIR --name N --countries AM,AZ --start D --end D --places "A, B"   start a crisis: a complete data folder
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from datetime import date
from pathlib import Path

from crisisboard.cli_new import add_new_command
from crisisboard.cli_publish import add_publish_command
from crisisboard.cli_store import add_store_commands
from crisisboard.data.load import DataValidationError, data_dir_from_env, load_dataset
from crisisboard.data.private import UnsafeFolder
from crisisboard.data.validate import validate_dataset


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


def _audit(args: argparse.Namespace) -> int:
    from crisisboard.data.audit import EXCEPTIONS_FILE, audit_dataset

    data_dir = Path(args.data_dir) if args.data_dir else data_dir_from_env()
    result = validate_dataset(data_dir)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s) in {data_dir}: fix them before auditing", file=sys.stderr)
        return 1
    try:
        new, acknowledged = audit_dataset(data_dir)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    for finding in new:
        print(finding)
    if args.all:
        for finding in acknowledged:
            print(f"{finding}  [acknowledged in {EXCEPTIONS_FILE}]")
    summary = f"{data_dir}: {len(new)} finding(s) to fix or acknowledge, {len(acknowledged)} acknowledged"
    print(summary, file=sys.stderr if new else sys.stdout)
    return 1 if new else 0


def _load_or_report(data_dir_arg: str | None, doing: str):  # noqa: ANN202 - Dataset | None
    """The validated dataset, or None after printing its problems to stderr."""
    data_dir = Path(data_dir_arg) if data_dir_arg else data_dir_from_env()
    try:
        return load_dataset(data_dir)
    except DataValidationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in {data_dir}: fix them before {doing}", file=sys.stderr)
        return None


def _summary(args: argparse.Namespace) -> int:
    from crisisboard.data.summary import build_summary, write_summary

    dataset = _load_or_report(args.data_dir, "summarising")
    if dataset is None:
        return 1
    data_dir = dataset.data_dir
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


def _export(args: argparse.Namespace) -> int:
    from crisisboard.charts.views import build_view, pack_specs, spec_of, view_url
    from crisisboard.claims.audience import Audience, public_settings
    from crisisboard.claims.changes import changes_since, default_since
    from crisisboard.data.backends import open_store
    from crisisboard.data.crises import link_slug
    from crisisboard.data.filters import describe_filters
    from crisisboard.data.private import atomic_write
    from crisisboard.export.images import ExportContext, export_view
    from crisisboard.export.pack import build_pack
    from crisisboard.export.render import ExportUnavailable

    dataset = _load_or_report(args.data_dir, "exporting")
    if dataset is None:
        return 1
    try:
        filters = _filters_of(args)
    except ValueError as error:
        print(f"bad date: {error}", file=sys.stderr)
        return 2
    text = describe_filters(filters, dict(zip(dataset.places["place_id"], dataset.places["name"])),
                            dict(dataset.crisis.population_labels))
    crisis = link_slug(dataset.data_dir)  # the link shows the exported crisis (crisisboard.data.crises)
    try:
        if args.pack:
            specs = pack_specs(dataset.claims if not filters.metrics else dataset.claims[
                dataset.claims["metric"].isin(filters.metrics)], dataset)
            views = [build_view(dataset, filters, spec) for spec in specs]
            contexts = [ExportContext(text, dataset.version, view_url(args.base_url, filters, spec, crisis), date.today())
                        for spec in specs]
            store = open_store(dataset.data_dir)  # a pack is handed out: staff by role, unless the settings say
            changes = changes_since(store.history(), dataset, default_since(),
                                    Audience.of("viewer", store.users(), public_settings()))
            data = build_pack(views, contexts, changes=changes, progress=lambda done, message: print(
                f"[{done:4.0%}] {message}", file=sys.stderr))
        else:
            spec = spec_of(args.view, **{
                "overview": {"day": args.day or ""}, "map": {"area": args.map_view or dataset.crisis.defaults.map_area,
                                                             "metric": args.metric},
                "timeline": {"metric": args.metric, "x_mode": args.x, "log_y": not args.linear,
                             "incidents": not args.no_incidents},
                "who-says-what": {"metric": args.metric, "day": args.day, "factor": args.factor}}[args.view])
            context = ExportContext(text, dataset.version, view_url(args.base_url, filters, spec, crisis), date.today())
            data = export_view(build_view(dataset, filters, spec), context, args.format, args.preset)
    except ExportUnavailable as error:
        print(error, file=sys.stderr)
        return 3
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    out = Path(args.output)
    atomic_write(out, data)  # 0600 when new: a pack can carry the staff's names (crisisboard.data.private)
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0


def _filters_of(args: argparse.Namespace):  # noqa: ANN202 - Filters
    """The global filters the export command was given."""
    from crisisboard.data.filters import Filters

    def listed(value: str | None) -> tuple[str, ...]:
        return tuple(v.strip() for v in (value or "").split(",") if v.strip())

    return Filters(metrics=listed(args.metrics), tiers=listed(args.tiers), claimant_types=listed(args.claimants),
                   places=listed(args.places),
                   date_from=date.fromisoformat(args.date_from) if args.date_from else None,
                   date_to=date.fromisoformat(args.date_to) if args.date_to else None)


def _synth(args: argparse.Namespace) -> int:
    from crisisboard.data.synth import write_synthetic

    if args.claims < 1:
        print("--claims must be at least 1", file=sys.stderr)
        return 2
    counts = write_synthetic(Path(args.out), args.claims, args.seed)
    print(f"wrote {counts['claims']:,} claims from {counts['sources']:,} sources to {args.out}")
    return 0


EXTRACT_COLUMNS = ("file", "quote", "figure_text", "metric", "population", "low", "high", "qualifier", "vague_term",
                   "as_of", "as_of_precision", "place_id", "claimant", "claimant_type", "status_in_text", "destination", "mentions",
                   "why")


def _extract(args: argparse.Namespace) -> int:
    from crisisboard.ingest.extract import extract_candidates, parse_release, read_places

    try:
        published_override = date.fromisoformat(args.published) if args.published else None
    except ValueError:
        print(f"--published must be YYYY-MM-DD, not {args.published!r}", file=sys.stderr)
        return 2
    places = read_places()
    rows = []
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            raw = path.read_bytes()
        except OSError as error:
            print(f"{name}: cannot read ({error.strerror})", file=sys.stderr)
            status = 1
            continue
        text = raw.decode("utf-8", errors="replace")
        if "\ufffd" in text:
            print(f"{name}: not valid UTF-8; undecodable bytes were replaced", file=sys.stderr)
        release = parse_release(text)
        candidates, warnings = extract_candidates(text, published_override or release.published, places)
        for warning in warnings:
            print(f"{name}: {warning}", file=sys.stderr)
        for candidate in candidates:
            row = {column: getattr(candidate, column, "") for column in EXTRACT_COLUMNS if column != "file"}
            row["mentions"] = len(candidate.mentions) or 1  # the times the text states it (one statement)
            rows.append({"file": name, **{k: ("" if v is None else v) for k, v in row.items()}})
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(EXTRACT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return status


def _migrate_vocabulary(args: argparse.Namespace) -> int:
    from crisisboard.data.vocabulary import MigrationError, migrate_vocabulary  # noqa: PLC0415

    try:
        report = migrate_vocabulary(Path(args.data_dir))
    except MigrationError as error:
        print(f"{args.data_dir}: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    if not report.changed:
        print(f"{args.data_dir}/claims.csv already uses the general vocabulary: not rewritten")
    return 0


def _factor(value: str) -> float:
    """--factor: a finite number within the page's range (nan, inf or 1e308 would flip the verdict)."""
    from crisisboard.claims.comparisons import MAX_FACTOR, MIN_FACTOR

    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number) or not MIN_FACTOR <= number <= MAX_FACTOR:
        raise argparse.ArgumentTypeError(f"must be a number from {MIN_FACTOR:g} to {MAX_FACTOR:g}, not {value!r}")
    return number


def _add_export(commands: argparse._SubParsersAction) -> None:
    """The export command's options: one per setting of the views it draws."""
    from crisisboard.charts.views import VIEWS
    from crisisboard.export.presets import PRESETS
    from crisisboard.export.render import FORMATS

    export = commands.add_parser("export", help="export a chart (or a briefing pack) without a browser",
                                 description="Draws the same figure as the app, with sources, filters, dataset "
                                             "version and the URL that reproduces the view printed on it.")
    export.add_argument("--view", choices=list(VIEWS), default="timeline")
    export.add_argument("--metric", default="killed", help="the chart's metric (timeline, who-says-what, map)")
    export.add_argument("--metrics", help="global metric filter, comma-separated")
    export.add_argument("--from", dest="date_from", help="figures as of this day or later (YYYY-MM-DD)")
    export.add_argument("--to", dest="date_to", help="figures as of this day or earlier (YYYY-MM-DD)")
    export.add_argument("--tiers", help="reliability tiers, comma-separated (high,medium,low,unjudged)")
    export.add_argument("--claimants", help="claimant types, comma-separated")
    export.add_argument("--places", help="place ids, comma-separated")
    export.add_argument("--x", choices=("as_of", "published"), default="as_of", help="timeline time axis")
    export.add_argument("--linear", action="store_true", help="timeline: linear instead of log scale")
    export.add_argument("--no-incidents", action="store_true", help="timeline: leave out the incident strip")
    export.add_argument("--day", help="overview, who-says-what: the day (YYYY-MM-DD)")
    export.add_argument("--factor", type=_factor, default=3.0, help="who-says-what: the contested factor (1.1 to 100)")
    export.add_argument("--map-view", help="map: one of the crisis definition's map areas (default: its default)")
    export.add_argument("--format", choices=FORMATS, default="png")
    export.add_argument("--preset", choices=list(PRESETS), default="slide")
    export.add_argument("--pack", action="store_true", help="write a briefing pack ZIP of every chart instead")
    export.add_argument("--base-url", default="http://localhost:8501", help="the app's address, for the "
                                                                            "reproducing link")
    export.add_argument("--data-dir", help="dataset folder (default: $CRISISBOARD_DATA or data/)")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.set_defaults(run=_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crisisboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a dataset against data/README.md")
    validate.add_argument("data_dir", nargs="?", help="folder with sources.csv, claims.csv, places.csv, "
                                                      "incidents.csv (default: $CRISISBOARD_DATA or data/)")
    validate.set_defaults(run=_validate)
    audit = commands.add_parser("audit", help="list patterns that usually mean a misreading (advisory)",
                                description="Each finding names claims.csv's line, the rule and why; fix it, or "
                                            "acknowledge it in DATA_DIR/audit-exceptions.csv (rule,claim_ids,reason).")
    audit.add_argument("data_dir", nargs="?", help="dataset folder (default: $CRISISBOARD_DATA or data/)")
    audit.add_argument("--all", action="store_true", help="also print the acknowledged findings")
    audit.set_defaults(run=_audit)
    summary = commands.add_parser("summary", help="print the data summary (Markdown)")
    summary.add_argument("data_dir", nargs="?", help="dataset folder (default: $CRISISBOARD_DATA or data/)")
    summary.add_argument("--write", action="store_true", help="write it into DATA_DIR/README.md between markers")
    summary.set_defaults(run=_summary)

    _add_export(commands)

    synth = commands.add_parser("synth", help="write a synthetic dataset of N valid claims (for scale tests)")
    synth.add_argument("--claims", type=int, required=True)
    synth.add_argument("--out", required=True)
    synth.add_argument("--seed", type=int, default=2010)
    synth.set_defaults(run=_synth)

    extract = commands.add_parser("extract", help="propose candidate claims from release texts (to stdout)")
    extract.add_argument("files", nargs="+", help="text files (URL:/TITLE:/PUBLISHER:/DATE: header lines are used)")
    extract.add_argument("--published", help="publication date YYYY-MM-DD (default: the file's DATE: line)")
    extract.add_argument("--format", choices=("csv", "json"), default="csv")
    extract.set_defaults(run=_extract)

    migrate = commands.add_parser("migrate-vocabulary", help="rewrite claims.csv in the general vocabulary "
                                  "(refugees_<country> -> refugees_crossed, destination the country's ISO code), with counts per metric")
    migrate.add_argument("data_dir", help="dataset folder")
    migrate.set_defaults(run=_migrate_vocabulary)

    evaluate = commands.add_parser("evaluate", help="score the extractor against labelled claims",
                                   add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    evaluate.set_defaults(run=lambda args: __import__("crisisboard.ingest.evaluate", fromlist=["main"]).main(args.rest))
    add_store_commands(commands)
    add_new_command(commands)
    add_publish_command(commands)
    _add_serve(commands)
    return parser


def _add_serve(commands: argparse._SubParsersAction) -> None:
    from crisisboard.app import server  # noqa: PLC0415 - the server's options live beside the server

    serve = commands.add_parser("serve", help="serve the app (make run: --local; see docs/security.md)")
    server.add_serve_arguments(serve)
    serve.set_defaults(run=server.serve)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["evaluate"]:  # its options are the evaluator's own (argparse.REMAINDER drops a leading --x)
        from crisisboard.ingest.evaluate import main as evaluate_main  # noqa: PLC0415 - loads the extractor

        return evaluate_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0
    except UnsafeFolder as error:  # the database's local copy is in a folder another user could write in
        print(error, file=sys.stderr)
        return 1

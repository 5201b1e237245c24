"""The command ``python -m crisisboard new DIR --name N --countries CC,CC --start D --end D --places "A, B"``: a
complete, valid data folder for another crisis (crisisboard.data.newcrisis; data/README.md, "Starting a new
crisis"). Like every command, it imports the layers it needs when it runs."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def _new(args: argparse.Namespace) -> int:
    from crisisboard.data import gazetteer as gz  # noqa: PLC0415 - reads the gazetteer only when asked
    from crisisboard.data import newcrisis  # noqa: PLC0415

    countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    texts = [*newcrisis.split_places(args.places or ""), *(args.place or [])]
    try:
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as error:
        print(f"--start/--end: {error} (write YYYY-MM-DD)", file=sys.stderr)
        return 2

    def choose(unsettled: newcrisis.Unsettled):  # noqa: ANN202 - Entry | None: the interactive prompt
        print(unsettled.describe(gazetteer), file=sys.stderr)
        if not unsettled.candidates:
            return None
        answer = input(f"which place is {unsettled.spec.name!r}? number (1-{len(unsettled.candidates)}), "
                       "or Enter to stop: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(unsettled.candidates):
            return unsettled.candidates[int(answer) - 1]
        return None

    try:
        specs = [newcrisis.parse_place(text) for text in texts]
        gazetteer = gz.Gazetteer(countries)
        plan = newcrisis.plan(args.name, countries, start, end, specs, gazetteer,
                              choose=None if args.yes else choose)
        notes = newcrisis.write(Path(args.dir), plan)
    except (newcrisis.NewCrisisError, gz.GazetteerMissing) as error:
        print(error, file=sys.stderr)
        print(f"nothing written to {args.dir}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print(f"\nstopped: nothing written to {args.dir}", file=sys.stderr)
        return 2
    for note in notes:
        print(note, file=sys.stderr)
    print(f"{args.dir}: {len(plan.places)} place(s), {len(plan.areas)} map area(s); "
          f"next: python -m crisisboard validate {args.dir}")
    return 0


def add_new_command(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser(
        "new", help="start a crisis: a complete, valid data folder from its name, countries, days and places",
        description="Writes DIR (which must not exist, or be empty): crisis.toml, places.csv resolved through the "
                    "offline gazetteer, empty sources/claims/incidents.csv and the geodata. A place is Name, "
                    "Name (Region or country code), Name#GEONAMES_ID, or Name@LAT,LON|SOURCE. See data/README.md, "
                    "\"Starting a new crisis\".")
    new.add_argument("dir", help="the folder to write (e.g. crises/<slug>)")
    new.add_argument("--name", required=True, help='the crisis, as pages and exports name it')
    new.add_argument("--countries", required=True, help="ISO 3166 alpha-2 codes, comma-separated (e.g. AM,AZ)")
    new.add_argument("--start", required=True, help="first day of the crisis (YYYY-MM-DD)")
    new.add_argument("--end", required=True, help="last day the map's slider plays to (YYYY-MM-DD)")
    new.add_argument("--places", help="places, comma-separated (';'-separated when one holds a comma)")
    new.add_argument("--place", action="append", help="one more place (repeatable; commas allowed)")
    new.add_argument("--yes", action="store_true", help="never ask: an ambiguous or unknown place is an error")
    new.set_defaults(run=_new)

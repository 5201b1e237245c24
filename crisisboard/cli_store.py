"""The store's commands (issue #18, #19), with stable names that scripts and checks call: ``db upgrade``,
``db import DIR``, ``db export DIR``, ``history ROW_ID`` and ``users add|list|remove``. Like every command,
each imports the layers it needs when it runs.

Each works on one crisis (issue #31): ``db import DIR`` on the crisis of the folder DIR (its slug,
crisisboard.data.crisis.crisis_slug), ``db export DIR`` on the one ``--crisis`` names (the default crisis when
not given), ``history`` and ``users`` on the crisis of ``--data-dir`` (the default crisis's folder when not
given). ``users add EMAIL ROLE`` gives the role on all crises unless ``--crisis SLUG`` names one;
``users remove EMAIL`` takes every role of EMAIL, or with ``--crisis`` the one on that crisis."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from crisisboard.data.crisis import crisis_slug, default_folder, default_slug


def _db(args: argparse.Namespace) -> int:
    from crisisboard.data import database
    from crisisboard.data.backends import PgStore
    from crisisboard.data.store import SaveError

    url = os.environ.get(database.ENV_URL, "").strip()
    if not url:
        print(f"db {args.action}: set {database.ENV_URL}, e.g. postgresql+psycopg://USER@HOST:5432/DATABASE",
              file=sys.stderr)
        return 2
    if args.action in ("upgrade", "import"):
        database.upgrade(url)
    if args.action == "upgrade":
        print("the database's schema is at the newest revision")
        return 0
    if not args.dir:
        print(f"db {args.action}: give the data folder (DIR)", file=sys.stderr)
        return 2
    if args.action == "export":
        store = PgStore(url, args.crisis or default_slug())
        try:
            store.export(Path(args.dir))
        except SaveError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"wrote the dataset of {store.crisis} (version {store.version()}) to {args.dir}")
        return 0
    store = PgStore(url, crisis_slug(Path(args.dir)))
    try:
        report = store.import_folder(Path(args.dir), who=args.who or f"db import ({getpass.getuser()})",
                                     reason=args.reason or f"imported from {args.dir}")
    except SaveError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) in {args.dir}: nothing was imported", file=sys.stderr)
        return 1
    print(f"{store.crisis}: {report.sentence()}")
    return 0


def _history(args: argparse.Namespace) -> int:
    from crisisboard.data.backends import open_store

    store = open_store(Path(args.data_dir) if args.data_dir else default_folder())
    changes = store.history(args.row_id)
    for change in changes:
        print(change.line())
    if not changes:
        print(f"no recorded change of {args.row_id}", file=sys.stderr)
        return 1
    return 0


def _users(args: argparse.Namespace) -> int:
    from crisisboard.data.backends import open_store
    from crisisboard.data.store import SaveError
    from crisisboard.data.identity import fold_email
    from crisisboard.data.users import ALL_CRISES, ROLES, Actor

    store = open_store(Path(args.data_dir) if args.data_dir else default_folder())
    if args.action == "list":
        for grant in sorted(store.grants(), key=lambda g: (g.email, g.crisis)):
            print(f"{grant.email}\t{grant.role}\t{grant.scope()}")
        return 0
    role = args.role or args.role_word
    if role is not None and role not in ROLES:
        print(f"users {args.action}: not a role: {role!r}; one of {', '.join(ROLES)}", file=sys.stderr)
        return 2
    if not args.email or (args.action == "add" and not role):
        print(f"users {args.action}: give EMAIL" + (" and ROLE" if args.action == "add" else ""), file=sys.stderr)
        return 2
    # whoever may run it holds the data (and, for PostgreSQL, the database's address): every crisis's admin
    operator = Actor(f"command line ({getpass.getuser()})", "admin", all_crises=True)
    scopes = [args.crisis if args.crisis is not None else ALL_CRISES]
    if args.action == "remove" and args.crisis is None:  # every role the address has, on any crisis
        folded = fold_email(args.email)
        scopes = sorted({g.crisis for g in store.grants() if g.email == folded}) or scopes
    changes = []
    try:
        for scope in scopes:
            changes += store.set_role(args.email, role if args.action == "add" else None, operator,
                                      args.reason or f"users {args.action} on the command line", scope)
    except SaveError as error:
        print(error, file=sys.stderr)
        return 1
    print("; ".join(change.line() for change in changes) or "nothing to change")
    return 0


def add_store_commands(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="the PostgreSQL store: upgrade, import DIR, export DIR")
    db.add_argument("action", choices=("upgrade", "import", "export"))
    db.add_argument("dir", nargs="?", help="the data folder to import from or export to")
    db.add_argument("--who", help="who the import is recorded as (default: db import (USER))")
    db.add_argument("--reason", help="why, as recorded in the history (default: imported from DIR)")
    db.add_argument("--crisis", help="export: the crisis's slug (default: the default crisis's); import takes the "
                                     "crisis of DIR")
    db.set_defaults(run=_db)
    history = commands.add_parser("history", help="one line per recorded change of a claim or source")
    history.add_argument("row_id", help="a claim_id or source_id")
    history.add_argument("--data-dir", help="the crisis's folder (default: the default crisis's); with no database "
                                            "the folder whose history.csv to read")
    history.set_defaults(run=_history)
    users = commands.add_parser("users", help="who may do what: users add EMAIL ROLE [--crisis SLUG] | list | "
                                              "remove EMAIL [--crisis SLUG]")
    users.add_argument("action", choices=("add", "list", "remove"))
    users.add_argument("email", nargs="?")
    users.add_argument("role_word", nargs="?", metavar="ROLE", help="viewer, analyst, reviewer or admin")
    users.add_argument("--role", choices=("viewer", "analyst", "reviewer", "admin"))
    users.add_argument("--crisis", help="the crisis the role is on (its slug; empty: all crises). Not given: add "
                                        "gives a role on all crises, remove takes every role. With no database, "
                                        "add gives one on the folder's own crisis or on all")
    users.add_argument("--reason", help="why, as recorded in the history")
    users.add_argument("--data-dir", help="the crisis's folder (default: the default crisis's); with no database "
                                          "the folder whose users.csv to change")
    users.set_defaults(run=_users)

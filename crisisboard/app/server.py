"""``python -m crisisboard serve``: the one way the app is served (issue #30), by ``make run`` (with
``--local``), by deploy/cluster.py's backends and by a system service (deploy/README.md).

Before Streamlit starts it checks the secrets file (crisisboard.app.signin_config: a missing, unreadable or
incomplete one stops the server, exit code 2, naming the file and the key) and records how it was launched
(crisisboard.app.launch); then it serves dashboard.py as a Streamlit ``st.App`` behind the request guard
(crisisboard.app.guard), which refuses any Host or Origin that is not the server's own.

- ``serve --local``: local mode, for the person at the keyboard: loopback only, no sign-in configured.
- ``serve`` with ``[auth]`` in the secrets file: sign-in; roles go to verified emails.
- ``serve`` without ``[auth]`` and without ``--local``: read-only, and every page says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crisisboard.app.guard import LOOPBACK_NAMES, Door, RequestGuard
from crisisboard.app.launch import Launch, set_launch
from crisisboard.app.signin_config import SigninConfigError, checked_signin, default_secrets_file

PROJECT = Path(__file__).resolve().parents[2]
DASHBOARD = PROJECT / "dashboard.py"
EXIT_CONFIG = 2


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--local", action="store_true",
                        help="local mode: no sign-in, the person at this machine is the admin (loopback only)")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--secrets", type=Path, default=None,
                        help="the secrets file with [auth] (default: .streamlit/secrets.toml when there is one)")
    parser.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                        help="a host name browsers reach this server by (repeat; default 127.0.0.1 and localhost)")


def launch_of(args: argparse.Namespace) -> tuple[Launch, Path | None, bool]:
    """The launch the arguments ask for, the secrets file to use and whether it signs people in, or
    SigninConfigError (nothing starts)."""
    secrets = args.secrets if args.secrets is not None else default_secrets_file(Path.cwd())
    signin = checked_signin(secrets)
    if args.local and args.address.strip("[]") not in LOOPBACK_NAMES:
        raise SigninConfigError(f"--local listens on this machine only: use --address 127.0.0.1, not "
                                f"{args.address!r}")
    local = bool(args.local) and not signin
    return Launch(local=local, door=Door.for_launch(args.allowed_host, args.port, local)), secrets, signin


def streamlit_config(args: argparse.Namespace, door: Door, secrets: Path | None) -> dict:
    return {"server.port": args.port, "server.address": args.address, "server.headless": True,
            "server.fileWatcherType": "none", "server.enableXsrfProtection": True, "server.enableCORS": True,
            "server.allowedHosts": list(door.hosts), "secrets.files": [str(secrets)] if secrets else []}


def serve(args: argparse.Namespace) -> int:
    try:
        launch, secrets, signin = launch_of(args)
    except SigninConfigError as error:
        print(f"crisisboard: the server was not started: {error}", file=sys.stderr)
        return EXIT_CONFIG
    import streamlit as st  # noqa: PLC0415 - only a server needs Streamlit's server
    from starlette.middleware import Middleware  # noqa: PLC0415

    set_launch(launch)
    mode = ("local mode (you are the admin)" if launch.local else
            "sign-in" if signin else "read-only (no sign-in configured)")
    print(f"crisisboard: serving http://{args.address}:{args.port} in {mode}", file=sys.stderr, flush=True)
    app = st.App(str(DASHBOARD), middleware=[Middleware(RequestGuard, door=launch.door)])
    sys.argv = [str(DASHBOARD)]  # Streamlit anchors its script-level config on the launcher's path
    app.run(config=streamlit_config(args, launch.door, secrets))
    return 0

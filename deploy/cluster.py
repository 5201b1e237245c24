"""Run crisisboard as K Streamlit processes behind Debian's nginx with sticky sessions, on 127.0.0.1.

    .venv/bin/python deploy/cluster.py --backends 2 --port 8600 --data data    # until Ctrl-C
    .venv/bin/python deploy/cluster.py --backends 2 --port 8600 --print-config # the rendered nginx.conf

Everything lives in a fresh temporary directory (nginx prefix, pid, logs, temp dirs, Streamlit logs),
nginx runs in the foreground (`daemon off`), so this works without root and never touches the system
nginx; stopping (Ctrl-C, SIGTERM, or `Cluster.stop()`) ends every process it started, by its id.
Also used as a library by tests/test_deploy.py and benchmarks/loadtest.py (`Cluster(...)` as a context
manager).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Self

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = Path(os.environ.get("CRISISBOARD_NGINX", "/usr/sbin/nginx"))
UPSTREAM_HEADER = "X-Crisisboard-Upstream"
COOKIE = "crisisboard_backend"
# The Host names a browser may reach the cluster by (server.allowedHosts: a WebSocket with any other Host header
# is refused, against DNS rebinding). Add the public name with --allowed-host when nginx serves one.
ALLOWED_HOSTS = ("127.0.0.1", "localhost")


def streamlit_command(python: str, port: int, allowed_hosts: tuple[str, ...] | list[str],
                      secrets_file: Path | None = None) -> list[str]:
    """One backend's command line: `python -m crisisboard serve` on loopback, never in local mode (behind nginx
    every visitor would be the admin): with the operator's secrets file ([auth], with its cookie_secret, the
    same file for every process) it signs people in, without one it is read-only. Its guard refuses any Host
    not in `allowed_hosts` and any Origin that is not that Host."""
    command = [python, "-m", "crisisboard", "serve", "--port", str(port), "--address", "127.0.0.1"]
    for host in allowed_hosts:
        command += ["--allowed-host", host]
    if secrets_file is not None:
        command += ["--secrets", str(secrets_file)]
    return command


def checked_secrets(secrets_file: Path | None) -> None:
    """Stop before anything starts when the secrets file is missing, unreadable or incomplete (SigninConfigError,
    naming the file and the key): the cluster never falls back to a server without sign-in."""
    sys.path.insert(0, str(PROJECT))
    from crisisboard.app.signin_config import checked_signin  # noqa: PLC0415 - the project beside deploy/

    checked_signin(secrets_file)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_config(port: int, backend_ports: list[int], prefix: Path, user_line: str = "") -> str:
    """nginx.conf for `backend_ports` (named b1, b2, ... in the sticky cookie) listening on 127.0.0.1:`port`."""
    names = [f"b{i + 1}" for i in range(len(backend_ports))]
    cookie_to_pool = "\n".join(f"        {name} crisisboard_{name};" for name in names)
    addr_to_name = "\n".join(f'        "~127\\.0\\.0\\.1:{p}$" {name};' for name, p in zip(names, backend_ports))
    new_pool = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in backend_ports)
    pools = []
    for name, p in zip(names, backend_ports):
        backups = "".join(f"        server 127.0.0.1:{q} backup;\n" for q in backend_ports if q != p)
        pools.append(f"    upstream crisisboard_{name} {{\n        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n"
                     f"{backups}        keepalive 8;\n    }}")
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"USER_LINE": user_line, "PREFIX": str(prefix), "PORT": str(port),
                       "COOKIE_TO_POOL": cookie_to_pool, "ADDR_TO_NAME": addr_to_name,
                       "NEW_POOL_SERVERS": new_pool, "BACKEND_POOLS": "\n".join(pools)}.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise ValueError("a placeholder of nginx.conf.template was not filled")
    return text


def render_site(port: int, backend_ports: list[int]) -> str:
    """The same configuration as a site file for a system nginx (Debian: /etc/nginx/conf.d/crisisboard.conf,
    which nginx.conf includes inside `http {}`): the http block's body without the private temp dirs."""
    text = render_config(port, backend_ports, Path("/var/log/nginx"))
    body = text.split("\nhttp {\n", 1)[1].rsplit("\n}", 1)[0]
    lines = []
    for line in body.splitlines():
        if "_temp_path" in line or "Private temp dirs" in line:
            continue
        lines.append(line.removeprefix("    "))
    site = "\n".join(lines).replace("/var/log/nginx/access.log", "/var/log/nginx/crisisboard.access.log")
    return "# crisisboard: rendered by deploy/cluster.py --print-site (see deploy/README.md)\n" + site.strip() + "\n"


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: not healthy after {timeout:.0f} s")
        time.sleep(0.3)


NGINX_TEMP_DIRS = ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi")


def make_prefix(prefix: Path) -> None:
    """nginx's prefix folder with the temporary folders its config names (render_config's templates)."""
    for sub in NGINX_TEMP_DIRS:
        (prefix / sub).mkdir(parents=True, exist_ok=True)


def launch_nginx(prefix: Path, config: str) -> subprocess.Popen:
    """`config` written as `prefix`/nginx.conf, checked with `nginx -t`, then nginx started in the foreground on
    it (its output in `prefix`/nginx.out). RuntimeError with nginx's message when the check fails."""
    conf = prefix / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    command = [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"),
               "-g", "daemon off;"]
    test = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, timeout=30, check=False)
    if test.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
    with (prefix / "nginx.out").open("wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Cluster:
    """K Streamlit processes of the app on free ports and nginx in front of them on 127.0.0.1:`port`."""

    def __init__(self, data_dir: str | Path, backends: int = 2, port: int | None = None,
                 workdir: str | Path | None = None, python: str = sys.executable, startup_timeout: float = 90,
                 keep_workdir: bool = False, database_url: str | None = None,
                 allowed_hosts: tuple[str, ...] | list[str] = ALLOWED_HOSTS, secrets_file: str | Path | None = None
                 ) -> None:
        if backends < 1:
            raise ValueError("at least one backend")
        if not NGINX.exists():
            raise FileNotFoundError(f"{NGINX} is missing: apt-get install nginx (or make nginx)")
        self.data_dir = Path(data_dir).resolve()
        self.port = port or free_port()
        self.backend_ports = [free_port() for _ in range(backends)]
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="crisisboard-cluster-"))
        self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.python = python
        self.startup_timeout = startup_timeout
        self.keep_workdir = keep_workdir or workdir is not None
        self.backends: list[subprocess.Popen] = []
        self.allowed_hosts = tuple(allowed_hosts)
        self.secrets_file = Path(secrets_file).resolve() if secrets_file else None
        self.nginx: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        # on PostgreSQL every process reads one database; each keeps its local copy in the work folder
        self.database_url = database_url or os.environ.get("CRISISBOARD_DATABASE_URL", "").strip() or None

    @property
    def backend_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.backend_ports]

    @property
    def pids(self) -> list[int]:
        """The Streamlit processes' ids (the memory of the app; nginx's is separate: `nginx.pid`)."""
        return [process.pid for process in self.backends]

    def start(self) -> Cluster:
        checked_secrets(self.secrets_file)
        try:
            self._start_backends()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_backends(self) -> None:
        # One cookie secret for all: the XSRF cookie (file uploads) stays valid if a viewer fails over.
        env = dict(os.environ, CRISISBOARD_DATA=str(self.data_dir),
                   STREAMLIT_SERVER_COOKIE_SECRET=secrets.token_hex(32))
        if self.database_url:
            env.update(CRISISBOARD_DATABASE_URL=self.database_url, CRISISBOARD_DB_MIRROR=str(self.workdir / "db-copy"))
        for port in self.backend_ports:
            log = (self.workdir / f"streamlit-{port}.log").open("wb")
            self.backends.append(subprocess.Popen(
                streamlit_command(self.python, port, self.allowed_hosts, self.secrets_file),
                cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT))
            log.close()
        for url, process, port in zip(self.backend_urls, self.backends, self.backend_ports):
            try:
                wait_healthy(url, self.startup_timeout, process)
            except RuntimeError as error:
                tail = (self.workdir / f"streamlit-{port}.log").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"{error}\n{tail[-1500:]}") from None

    def _start_nginx(self) -> None:
        prefix = self.workdir / "nginx"
        make_prefix(prefix)
        user_line = ""
        if os.geteuid() == 0:  # nginx's workers drop to `nobody`: let them use the temp dirs
            import pwd

            nobody = pwd.getpwnam("nobody")
            user_line = "user nobody nogroup;"
            for path in [self.workdir, prefix, prefix / "tmp"]:
                path.chmod(0o755)
            for path in (prefix / "tmp").iterdir():
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.nginx = launch_nginx(prefix, render_config(self.port, self.backend_ports, prefix, user_line))
        wait_healthy(self.url, 30, self.nginx)

    def access_log(self) -> str:
        path = self.workdir / "nginx" / "access.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT, timeout=10)  # graceful: closes the websockets, then exits
            self.nginx = None
        for process in self.backends:
            _stop(process)
        self.backends = []
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8600, help="nginx listens on 127.0.0.1:PORT (default 8600)")
    parser.add_argument("--data", default=os.environ.get("CRISISBOARD_DATA", str(PROJECT / "data")),
                        help="data folder (default: $CRISISBOARD_DATA or data/)")
    parser.add_argument("--workdir", help="keep logs and nginx prefix here (default: a temporary dir, removed)")
    parser.add_argument("--database-url", default=os.environ.get("CRISISBOARD_DATABASE_URL"),
                        help="serve from this PostgreSQL database (default: $CRISISBOARD_DATABASE_URL; "
                             "without it, the data folder)")
    parser.add_argument("--allowed-host", action="append", default=[],
                        help="a Host name the cluster is reached by, beyond 127.0.0.1 and localhost (repeatable)")
    parser.add_argument("--secrets", help="the secrets.toml with [auth] (and its cookie_secret) for every process")
    parser.add_argument("--print-config", action="store_true", help="print the rendered nginx.conf and exit")
    parser.add_argument("--print-site", action="store_true",
                        help="print a site file for a system nginx (/etc/nginx/conf.d/) and exit; backends on "
                             "PORT+1, PORT+2, ...")
    args = parser.parse_args(argv)
    if args.print_site:
        print(render_site(args.port, [args.port + 1 + i for i in range(args.backends)]), end="")
        return 0
    if args.print_config:
        ports = [args.port + 1 + i for i in range(args.backends)]
        print(render_config(args.port, ports, Path(args.workdir or "/tmp/crisisboard-cluster/nginx")))
        return 0
    cluster = Cluster(args.data, args.backends, args.port, args.workdir, database_url=args.database_url,
                      allowed_hosts=(*ALLOWED_HOSTS, *args.allowed_host), secrets_file=args.secrets)
    stopping = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        cluster.start()
    except Exception as error:  # noqa: BLE001 - a configuration error: say it and stop, nothing left running
        print(f"crisisboard cluster not started: {error}", file=sys.stderr)
        return 2
    try:
        print(f"crisisboard on {cluster.url} (nginx pid {cluster.nginx.pid if cluster.nginx else '?'}) -> "
              + ", ".join(f"{url} (pid {pid})" for url, pid in zip(cluster.backend_urls, cluster.pids)),
              flush=True)
        print(f"logs in {cluster.workdir}; Ctrl-C stops everything", flush=True)
        while not stopping:
            for process in [cluster.nginx, *cluster.backends]:
                if process is not None and process.poll() is not None:
                    print(f"process {process.pid} exited with {process.returncode}: stopping", flush=True)
                    stopping.append(0)
            time.sleep(0.5)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Serve a folder of published editions (`make publish` -> public/) with Debian's nginx on 127.0.0.1.

    .venv/bin/python deploy/static.py public --port 8700          # until Ctrl-C
    .venv/bin/python deploy/static.py public --print-config       # the rendered nginx.conf
    .venv/bin/python deploy/static.py public --precompress        # .gz beside each text file (make publish does)
    .venv/bin/python deploy/static.py /var/www/crisisboard --print-site --port 80   # a system nginx's site file

Like deploy/cluster.py: everything lives in a fresh temporary prefix (config, pid, logs, temp dirs), nginx runs in
the foreground (`daemon off`), no root needed and the system nginx is never touched; stopping (Ctrl-C, SIGTERM or
`StaticServer.stop()`) ends the nginx it started, by its id. The configuration is deploy/nginx-static.conf.template
(cache headers: a year and immutable for /<slug>/v<N>/, a minute for latest/ and feed.atom; types, gzip, no
listing, security headers; deploy/README.md). Used as a library by tests/test_publish_served.py and
benchmarks/bench_publish.py (`StaticServer(folder)` as a context manager).
"""

from __future__ import annotations

import argparse
import grp
import gzip
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import NGINX, _stop, free_port, launch_nginx, make_prefix  # noqa: E402 - deploy/ beside this file

TEMPLATE = Path(__file__).resolve().parent / "nginx-static.conf.template"
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=60, must-revalidate"
# The text types the template compresses (gzip_types), by file ending: precompress() writes their .gz beside them.
TEXT_ENDINGS = (".html", ".css", ".js", ".mjs", ".json", ".geojson", ".csv", ".atom", ".svg", ".md", ".txt")
# Files smaller than this are compressed by nginx on the fly (cheap: a claim's page is about 2 kB); precompressing
# every one would mean 317,000 .gz files and 95 s at 100,000 claims for little gain.
PRECOMPRESS_MIN_BYTES = 16_384


def precompress(root: Path) -> int:
    """Write `<file>.gz` (gzip -9) beside every text file of `root` of 16 kB or more that has none or an older
    one, for nginx's gzip_static: nginx then sends those bytes instead of compressing each response again (Plotly's
    bundle alone is 4.6 MB). Hidden folders (a publish in progress) are skipped. The .gz files are not part of an
    edition (its manifest lists the files themselves). Returns how many were written."""
    written = 0
    for path in sorted(Path(root).rglob("*")):
        relative = path.relative_to(root).parts
        if (not path.is_file() or path.suffix.lower() not in TEXT_ENDINGS or any(p.startswith(".") for p in relative)
                or path.stat().st_size < PRECOMPRESS_MIN_BYTES):
            continue
        target = path.with_name(path.name + ".gz")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        os.replace(temporary, target)
        written += 1
    return written


def render_config(root: Path, listen: str, prefix: Path, user_line: str = "", workers: str = "auto",
                  access_log: str | None = None) -> str:
    """nginx.conf serving `root` on `listen` (e.g. "127.0.0.1:8700"), its pid, logs and temp dirs in `prefix`.
    `access_log`: nginx's access_log arguments (default: `prefix`/access.log in the crisisboard_static format)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {"USER_LINE": user_line, "WORKERS": workers, "PREFIX": str(prefix), "LISTEN": listen,
              "ROOT": str(Path(root).resolve()),
              "ACCESS_LOG": access_log or f"{prefix}/access.log crisisboard_static"}
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise ValueError("a placeholder of nginx-static.conf.template was not filled")
    return text


def render_site(root: Path, port: int) -> str:
    """The same configuration as a site file for a system nginx (Debian: /etc/nginx/conf.d/crisisboard-static.conf,
    included inside `http {}`): the http block's body without the private temp dirs, listening on `port`."""
    text = render_config(root, str(port), Path("/var/log/nginx"),
                         access_log="/var/log/nginx/crisisboard-static.access.log crisisboard_static")
    body = text.split("\nhttp {\n", 1)[1].rsplit("\n}", 1)[0]
    lines = [line.removeprefix("    ") for line in body.splitlines()
             if "_temp_path" not in line and "Private temp dirs" not in line]
    return ("# crisisboard's published editions: rendered by deploy/static.py --print-site (see deploy/README.md)\n"
            + "\n".join(lines).strip() + "\n")


def _user_line(root: Path) -> str:
    """As root, nginx's workers drop to another user: the owner of the served folder, who can read it."""
    if os.geteuid() != 0:
        return ""
    info = Path(root).stat()
    return f"user {pwd.getpwuid(info.st_uid).pw_name} {grp.getgrgid(info.st_gid).gr_name};"


def wait_answering(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Until `url` answers with any HTTP status (a folder with no index answers 403 or 404: nginx is up)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"nginx exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: nginx did not answer after {timeout:.0f} s")
        time.sleep(0.1)


class StaticServer:
    """nginx serving `root` (a folder of published editions) on 127.0.0.1:`port` (a free one by default)."""

    def __init__(self, root: str | Path, port: int | None = None, workdir: str | Path | None = None,
                 workers: str = "auto", access_log: bool = True) -> None:
        if not NGINX.exists():
            raise FileNotFoundError(f"{NGINX} is missing: apt-get install nginx (or make nginx)")
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root} is not a folder: publish first (make publish)")
        self.port = port or free_port()
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="crisisboard-static-"))
        self.keep_workdir = workdir is not None
        self.workers = workers
        self.access_log = access_log
        self.url = f"http://127.0.0.1:{self.port}"
        self.nginx: subprocess.Popen | None = None

    def config(self) -> str:
        prefix = self.workdir / "nginx"
        return render_config(self.root, f"127.0.0.1:{self.port}", prefix, _user_line(self.root), self.workers,
                             None if self.access_log else "off")

    def start(self) -> StaticServer:
        prefix = self.workdir / "nginx"
        make_prefix(prefix)
        self.nginx = launch_nginx(prefix, self.config())
        try:
            wait_answering(self.url + "/", 30, self.nginx)
        except BaseException:
            self.stop()
            raise
        return self

    def access_log_text(self) -> str:
        path = self.workdir / "nginx" / "access.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT, timeout=10)
            self.nginx = None
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default="public", help="the folder publish wrote (default: public)")
    parser.add_argument("--port", type=int, default=8700, help="nginx listens on 127.0.0.1:PORT (default 8700)")
    parser.add_argument("--workdir", help="keep logs and nginx prefix here (default: a temporary dir, removed)")
    parser.add_argument("--print-config", action="store_true", help="print the rendered nginx.conf and exit")
    parser.add_argument("--precompress", action="store_true",
                        help="write the .gz of every text file of ROOT that lacks one (for gzip_static), and exit")
    parser.add_argument("--print-site", action="store_true",
                        help="print a site file for a system nginx (/etc/nginx/conf.d/) serving ROOT on PORT, and exit")
    args = parser.parse_args(argv)
    if args.precompress:
        print(f"{precompress(Path(args.root))} files precompressed (.gz) in {args.root}")
        return 0
    if args.print_site:
        print(render_site(Path(args.root), args.port), end="")
        return 0
    if args.print_config:
        prefix = Path(args.workdir or "/tmp/crisisboard-static/nginx")
        print(render_config(Path(args.root), f"127.0.0.1:{args.port}", prefix), end="")
        return 0
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _frame: stopping.append(signum))
    try:
        server = StaticServer(args.root, args.port, args.workdir).start()
    except (OSError, RuntimeError) as error:
        print(f"nginx not started: {error}", file=sys.stderr)
        return 2
    try:
        print(f"{server.root} on {server.url}/ (nginx pid {server.nginx.pid if server.nginx else '?'}); "
              f"logs in {server.workdir}; Ctrl-C stops it", flush=True)
        while not stopping and server.nginx is not None and server.nginx.poll() is None:
            time.sleep(0.5)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

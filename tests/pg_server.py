"""A PostgreSQL server for the tests (issue #18): the one at CRISISBOARD_TEST_DATABASE_URL, else the one at
127.0.0.1:5432 when it answers (trust auth, user postgres), else a throwaway cluster started from Debian's
binaries (``make test`` installs the package when root and missing), as the postgres user when root.
Each test gets a database of its own, dropped afterwards."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from crisisboard.data.database import engine_for

ENV_TEST_URL = "CRISISBOARD_TEST_DATABASE_URL"
LOCAL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not this one"
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server answers and Debian's postgresql is not installed: "
                           "run 'make test' as root, or 'sudo apt-get install postgresql'")
    root = Path(tempfile.mkdtemp(prefix="crisisboard-pg-"))
    as_postgres: list[str] = []
    if os.getuid() == 0:  # initdb refuses root: the cluster is the postgres user's
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port, data = _free_port(), root / "data"
    subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[str]:
    """The admin URL of a server to test on."""
    given = os.environ.get(ENV_TEST_URL, "").strip()
    if given:
        yield given
    elif _answers(LOCAL_URL):
        yield LOCAL_URL
    else:
        with throwaway_cluster() as url:
            deadline = time.monotonic() + 30
            while not _answers(url) and time.monotonic() < deadline:
                time.sleep(0.2)
            yield url


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the server (dropped afterwards): its URL."""
    name = f"crisisboard_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine_for(url).dispose()  # the pools of this database close first
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

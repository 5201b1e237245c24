"""Fixtures for tests that run against either store: a PostgreSQL server per module (tests/pg_server.py: the
machine's, else a throwaway cluster), a fresh upgraded database per test, and `store`, parametrised over the CSV
folder and that database, both holding a copy of the fixture dataset. A test module imports the ones it uses."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
from conftest import VALID
from pg_server import fresh_database, server

from crisisboard.data.backends import CsvStore, PgStore, Store
from crisisboard.data.database import upgrade


@pytest.fixture(scope="module")
def pg_admin() -> Iterator[str]:
    with server() as url:
        yield url


@pytest.fixture()
def pg_url(pg_admin: str) -> Iterator[str]:
    with fresh_database(pg_admin) as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["csv", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    if request.param == "csv":
        return CsvStore(folder)
    pg = PgStore(request.getfixturevalue("pg_url"))
    pg.import_folder(folder, who="test setup", reason="the fixture dataset")
    return pg

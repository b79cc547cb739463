"""The directory on SQLite always, and on a real PostgreSQL server the test run starts itself."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from directory.repository import Directory
from tests.servers import PostgresServer, Unavailable, seeded_directory

SHARED = Path(__file__).resolve().parents[3] / "shared"
_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    try:
        server.start()
    except Unavailable as why:
        server.stop()
        pytest.skip(f"PostgreSQL could not be started here: {why}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'directory.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"directory_{next(_names)}")


@pytest.fixture
def empty_directory(database_url) -> Directory:
    directory = seeded_directory(database_url, seed=False)
    yield directory
    directory.engine.dispose()


@pytest.fixture
def directory(empty_directory) -> Directory:
    report = empty_directory.seed()
    assert not report.skipped, report.skipped
    return empty_directory


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory) -> Directory:
    """One seeded SQLite directory for read-only tests."""
    return seeded_directory(f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'directory.db'}")

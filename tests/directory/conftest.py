"""The directory on SQLite always, and on a real PostgreSQL server the test run starts itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory.repository import Directory
from tests.servers import seeded_directory

SHARED = Path(__file__).resolve().parents[3] / "shared"


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

"""Actions run against a real, seeded directory (SQLite file in a temporary folder)."""

import pytest

from actions import services
from directory.db import make_engine
from directory.repository import Directory
from tests.servers import seeded_directory as seeded


@pytest.fixture(scope="session")
def seeded_directory(tmp_path_factory) -> Directory:
    return seeded(f"sqlite:///{tmp_path_factory.mktemp('actions') / 'directory.db'}")


@pytest.fixture(autouse=True)
def use_seeded_directory(seeded_directory):
    services.set_directory(seeded_directory)
    yield seeded_directory
    services.set_directory(None)


@pytest.fixture
def directory_down():
    """A directory whose PostgreSQL server is not there (nothing listens on the port)."""
    from tests.servers import free_port

    down = Directory(make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/directory"))
    services.set_directory(down)
    yield down

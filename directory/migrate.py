"""Run the directory's Alembic migrations from code (`signpost directory init`, tests)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from alembic import command
from alembic.config import Config

from directory.db import database_url

if TYPE_CHECKING:
    from directory.repository import Directory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: Optional[str] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: Optional[str] = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def migrated_directory(url: Optional[str] = None) -> Directory:
    """The directory at `url` (else DATABASE_URL, else the SQLite file), migrated to the newest
    schema first."""
    from directory.db import make_engine
    from directory.repository import Directory

    upgrade(url)
    return Directory(make_engine(url))
